"""Site search: the headings' and body's plain text on every article and, on PostgreSQL, the
weighted tsvector with a GIN index (created here, not in Meta.indexes: SQLite has neither).
Derived data only: going back drops the index and the columns."""

import django.contrib.postgres.search
from django.db import migrations, models

INDEX = "articles_article_search_vector_gin"



def _checks_now(schema_editor):
    # PostgreSQL defers foreign-key checks to the end of the transaction; a later schema change
    # in this migration would then fail with "pending trigger events". Check them as we go.
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

def fill(apps, schema_editor):
    _checks_now(schema_editor)
    from django.conf import settings
    from django.contrib.postgres.search import SearchVector

    from articles.markdown import analyse, plain_text

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.all():
        analysis = analyse(article.body_html)
        article.search_headings = plain_text(" ".join(h["title"] for h in analysis.headings))
        article.search_text = plain_text(analysis.text)
        # update_fields leaves the "updated" date alone: nothing a reader sees has changed.
        article.save(update_fields=["search_headings", "search_text"])
    if schema_editor.connection.vendor == "postgresql":
        # The document as it was then (articles.search.search_vector has grown since: the
        # fields it reads now do not all exist at this migration).
        config = settings.SEARCH_CONFIG
        Article.objects.update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("search_headings", weight="C", config=config)
            + SearchVector("search_text", weight="D", config=config)
        )
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON articles_article USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_topics_and_tags")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_headings",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill, drop_index),
    ]
