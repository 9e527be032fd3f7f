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
    from articles.markdown import analyse, plain_text
    from articles.search import search_vector

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.all():
        analysis = analyse(article.body_html)
        article.search_headings = plain_text(" ".join(h["title"] for h in analysis.headings))
        article.search_text = plain_text(analysis.text)
        # update_fields leaves the "updated" date alone: nothing a reader sees has changed.
        article.save(update_fields=["search_headings", "search_text"])
    if schema_editor.connection.vendor == "postgresql":
        Article.objects.update(search_vector=search_vector())
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
