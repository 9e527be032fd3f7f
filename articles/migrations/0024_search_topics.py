from django.db import migrations, models


def fill(apps, schema_editor):
    """Every article's topics' and tags' names, and on PostgreSQL its document with them."""
    from django.conf import settings
    from django.contrib.postgres.search import SearchVector

    config = settings.SEARCH_CONFIG
    # The document as articles.search.search_vector builds it at this migration.
    document = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("search_topics", weight="B", config=config)
        + SearchVector("search_headings", weight="C", config=config)
        + SearchVector("search_text", weight="D", config=config)
    )
    Article = apps.get_model("articles", "Article")
    postgres = schema_editor is not None and schema_editor.connection.vendor == "postgresql"
    for article in Article.objects.select_related("topic__parent").prefetch_related("tags"):
        topic = article.topic
        names = [topic.name, topic.parent.name if topic.parent_id else ""] if topic else []
        names += [tag.name for tag in article.tags.all()]
        row = Article.objects.filter(pk=article.pk)
        row.update(search_topics=" ".join(name for name in names if name))
        if postgres:  # apart: an UPDATE's expressions read the row as it was before it
            row.update(search_vector=document)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_privacy_periods_follow_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_topics",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
