"""Topics (two levels, one main topic per article) and tags (many). Each article's topic text
becomes a Topic of that name (the same text, the same topic); going back writes the name
back into the text field."""

import json

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify



def _checks_now(schema_editor):
    # PostgreSQL defers foreign-key checks to the end of the transaction; a later schema change
    # in this migration would then fail with "pending trigger events". Check them as we go.
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

def _unique_slug(Topic, name):
    base = slugify(name)[:120] or "topic"
    slug, n = base, 2
    while Topic.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def text_to_topics(apps, schema_editor):
    _checks_now(schema_editor)
    Article = apps.get_model("articles", "Article")
    Topic = apps.get_model("articles", "Topic")
    for article in Article.objects.exclude(topic_name="").order_by("pk"):
        name = " ".join(article.topic_name.split())
        topic = Topic.objects.filter(name__iexact=name).first()
        if topic is None:
            topic = Topic.objects.create(name=name, slug=_unique_slug(Topic, name))
        article.topic = topic
        article.save(update_fields=["topic"])


def _saved_versions(apps):
    """The article versions django-reversion keeps, as (version, parsed data) in JSON."""
    Version = apps.get_model("reversion", "Version")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="articles", model="article").first()
    if content_type is None:
        return
    for version in Version.objects.filter(content_type=content_type, format="json"):
        yield version, json.loads(version.serialized_data)


def _rewrite_versions(apps, convert):
    # Saved versions hold the topic as it was stored: keep them readable (History, Compare,
    # Restore) by converting it like the column.
    for version, data in _saved_versions(apps):
        for item in data:
            fields = item.get("fields", {})
            if "topic" in fields:
                fields["topic"] = convert(fields["topic"])
        version.serialized_data = json.dumps(data)
        version.save(update_fields=["serialized_data"])


def versions_to_topics(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    by_name = {name.casefold(): pk for pk, name in Topic.objects.values_list("pk", "name")}

    def convert(value):
        if isinstance(value, str):
            return by_name.get(" ".join(value.split()).casefold())
        return value

    _rewrite_versions(apps, convert)


def versions_to_text(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    names = dict(Topic.objects.values_list("pk", "name"))
    _rewrite_versions(apps, lambda value: names.get(value, "") if not isinstance(value, str) else value)


def topics_to_text(apps, schema_editor):
    _checks_now(schema_editor)
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(topic__isnull=False).select_related("topic"):
        article.topic_name = article.topic.name
        article.save(update_fields=["topic_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_people"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=100, unique=True, verbose_name="slug")),
                ("description", models.TextField(blank=True, verbose_name="description")),
            ],
            options={
                "verbose_name": "tag",
                "verbose_name_plural": "tags",
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="tags",
            field=models.ManyToManyField(
                blank=True,
                help_text="Keywords readers may follow to similar articles.",
                related_name="articles",
                to="articles.tag",
                verbose_name="tags",
            ),
        ),
        migrations.CreateModel(
            name="Topic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, unique=True, verbose_name="name")),
                ("slug", models.SlugField(max_length=140, unique=True, verbose_name="slug")),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        help_text="A sentence or two for the topic's page and its meta description.",
                        verbose_name="description",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Topics are listed in this order, then by name.",
                        verbose_name="position",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        help_text="Optional: makes this a subtopic. Subtopics cannot have subtopics.",
                        limit_choices_to={"parent__isnull": True},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="articles.topic",
                        verbose_name="parent topic",
                    ),
                ),
            ],
            options={
                "verbose_name": "topic",
                "verbose_name_plural": "topics",
                "ordering": ["position", "name"],
            },
        ),
        migrations.RenameField("article", "topic", "topic_name"),
        migrations.AddField(
            model_name="article",
            name="topic",
            field=models.ForeignKey(
                blank=True,
                help_text="The main topic: the condition the article is about, for example Peripheral neuropathy. The article is listed on its page (and its parent topic's).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.topic",
                verbose_name="topic",
            ),
        ),
        migrations.RunPython(text_to_topics, topics_to_text),
        migrations.RunPython(versions_to_topics, versions_to_text),
        migrations.RemoveField("article", "topic_name"),
    ]
