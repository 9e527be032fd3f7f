"""Topics (two levels, one main topic per article) and tags (many). Each article's topic text
becomes a Topic of that name (the same text, the same topic); going back writes the name
back into the text field."""

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


def topics_to_text(apps, schema_editor):
    _checks_now(schema_editor)
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(topic__isnull=False).select_related("topic"):
        article.topic_name = article.topic.name
        article.save(update_fields=["topic_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_people"),
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
        migrations.RemoveField("article", "topic_name"),
    ]
