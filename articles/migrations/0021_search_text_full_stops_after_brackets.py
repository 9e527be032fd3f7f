"""Search text with a full stop after each heading, list item and cell that ends with a closing
bracket or quote, so that result snippets read "Peripheral neuropathy (PN). It affects…", not
"…(PN) It affects…" (derived data only; going back leaves it, which search reads the same)."""

from django.db import migrations


def refill(apps, schema_editor):
    from articles.markdown import analyse, plain_text

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body_html", "search_text").iterator():
        search_text = plain_text(analyse(article.body_html).search_text)
        if search_text != article.search_text:
            # update(): the "updated" date stays; nothing a reader sees in the article changed.
            Article.objects.filter(pk=article.pk).update(search_text=search_text)


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_search_text_full_stops")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
