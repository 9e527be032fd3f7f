"""Re-render existing articles: headings now link to themselves, and the table of contents and
word count are derived from the body. Derived data only, so going back has nothing to undo."""

from django.db import migrations


def render(apps, schema_editor):
    from articles.markdown import analyse, render_markdown, table_of_contents

    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    for article in Article.objects.all():
        keys = list(
            Reference.objects.filter(article=article)
            .order_by("position", "pk")
            .values_list("key", flat=True)
        )
        article.body_html = render_markdown(article.body, citations=keys)
        analysis = analyse(article.body_html)
        article.toc = table_of_contents(analysis.headings)
        article.word_count = analysis.word_count
        # update_fields leaves the "updated" date alone: nothing a reader wrote has changed.
        article.save(update_fields=["body_html", "toc", "word_count"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_medical_review_references_and_reading_aids")]

    operations = [migrations.RunPython(render, migrations.RunPython.noop)]
