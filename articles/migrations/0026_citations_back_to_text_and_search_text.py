"""Articles saved before references had "Back to text" get it now: their first citation of
each reference is given the id the link leads to (``render_markdown``), which only a save
gave them. And search text no longer keeps a space before the full stop after a citation
("at night [@nhs]." was quoted "night ."). Derived data only, written with update() so the
"updated" date stays; going back leaves it, which pages and search read the same."""

import importlib

from django.db import migrations

refill_search_text = importlib.import_module(
    "articles.migrations.0020_search_text_full_stops"
).refill


def render_citations(apps, schema_editor):
    from articles.markdown import render_markdown

    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("articles", "Reference")
    cited = Article.objects.filter(body_html__contains='class="citation"')
    for article in cited.only("pk", "body", "body_html").iterator():
        keys = list(
            Reference.objects.filter(article_id=article.pk)
            .order_by("position", "pk")  # as Reference.Meta orders them, and render_body
            .values_list("key", flat=True)
        )
        body_html = render_markdown(article.body, citations=keys)
        if body_html != article.body_html:
            Article.objects.filter(pk=article.pk).update(body_html=body_html)


def refill(apps, schema_editor):
    render_citations(apps, schema_editor)
    refill_search_text(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0025_editors_group")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
