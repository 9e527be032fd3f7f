"""People: medical reviewers become ``Person`` (name, credentials, role, bio, photo, links,
public profile, optional login), the public side of authors and reviewers; articles gain a
``byline``. Reviewers keep their review sign-offs and get public profiles (they were named on
articles already); authors get a private profile each for editors to complete; the editorial
team becomes a profile of its own, for articles no one person wrote. Reversible."""

from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify

import articles.models

TEAM_SLUG = "editorial-team"
TEAM = {
    "name": "The nervepain editorial team",
    "kind": "team",
    "job_title": "Editorial team",
    "bio": (
        "The editors of nervepain write and update articles together, from published clinical "
        "guidance and research, and ask health professionals to review them."
    ),
    "is_public": True,
}
ACTIONS = ("add", "change", "delete", "view")



def _checks_now(schema_editor):
    # PostgreSQL defers foreign-key checks to the end of the transaction; a later schema change
    # in this migration would then fail with "pending trigger events". Check them as we go.
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

def _unique_slug(Person, name, pk=None):
    base = slugify(name)[:120] or "person"
    slug, n = base, 2
    while Person.objects.filter(slug=slug).exclude(pk=pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def forward(apps, schema_editor):
    _checks_now(schema_editor)
    Person = apps.get_model("articles", "Person")
    Article = apps.get_model("articles", "Article")
    Permission = apps.get_model("auth", "Permission")
    for action in ACTIONS:
        Permission.objects.filter(
            content_type__app_label="articles", codename=f"{action}_reviewer"
        ).update(codename=f"{action}_person", name=f"Can {action} person")
    for person in Person.objects.all():
        person.slug = _unique_slug(Person, person.name, person.pk)
        person.same_as = person.profile_url
        person.is_public = True
        person.save()
    author_ids = Article.objects.filter(author__isnull=False).values("author_id").distinct()
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for user in User.objects.filter(pk__in=author_ids):
        name = " ".join(part for part in (user.first_name, user.last_name) if part)
        name = name or user.username
        Person.objects.get_or_create(
            user=user, defaults={"name": name, "slug": _unique_slug(Person, name)}
        )
    team = Person.objects.filter(slug=TEAM_SLUG).first()
    if team is None:
        team = Person.objects.create(slug=TEAM_SLUG, **TEAM)
    # No one person is named on these: the editors published them.
    Article.objects.filter(author__isnull=True, byline__isnull=True).update(byline=team)


def backward(apps, schema_editor):
    _checks_now(schema_editor)
    Person = apps.get_model("articles", "Person")
    apps.get_model("articles", "Article").objects.update(byline=None)
    Permission = apps.get_model("auth", "Permission")
    Person.objects.filter(slug=TEAM_SLUG, reviewed_articles=None).delete()
    Person.objects.filter(user__isnull=False, reviewed_articles=None).delete()
    for person in Person.objects.all():
        person.profile_url = person.same_as.splitlines()[0] if person.same_as else ""
        person.save()
    for action in ACTIONS:
        Permission.objects.filter(
            content_type__app_label="articles", codename=f"{action}_person"
        ).update(codename=f"{action}_reviewer", name=f"Can {action} medical reviewer")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_site_settings_and_publisher_pages"),
        ("comments", "0006_moderators_restore_article_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("Reviewer", "Person"),
        migrations.AlterModelOptions(
            name="person",
            options={"ordering": ["name"], "verbose_name": "person", "verbose_name_plural": "people"},
        ),
        migrations.AddField(
            model_name="person",
            name="slug",
            field=models.SlugField(max_length=140, null=True, db_index=False),
        ),
        migrations.AddField(
            model_name="person",
            name="kind",
            field=models.CharField(
                choices=[("person", "Person"), ("team", "Team or organisation")],
                default="person",
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="bio",
            field=models.TextField(
                blank=True,
                help_text="A few sentences, plain text, shown on the profile.",
                verbose_name="short bio",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="photo",
            field=models.ImageField(blank=True, upload_to="people/", verbose_name="photo"),
        ),
        migrations.AddField(
            model_name="person",
            name="same_as",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Optional: the person's pages elsewhere (professional register, university, "
                    "LinkedIn), one https://… address per line."
                ),
                validators=[articles.models.validate_same_as],
                verbose_name="links",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="is_public",
            field=models.BooleanField(
                default=False,
                help_text="Show a profile page and link bylines to it.",
                verbose_name="public profile",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="user",
            field=models.OneToOneField(
                blank=True,
                help_text="Optional: the account this person signs in with, if any.",
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="profile",
                to=settings.AUTH_USER_MODEL,
                verbose_name="login",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="job_title",
            field=models.CharField(
                blank=True,
                help_text="For example Consultant neurologist, or Health writer.",
                max_length=120,
                verbose_name="role",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="byline",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Who readers see as the writer: a person, or the editorial team. Empty: the "
                    "author's own profile."
                ),
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="articles",
                to="articles.person",
                verbose_name="byline",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="person",
            name="slug",
            field=models.SlugField(
                help_text="The profile's address: /people/slug/",
                max_length=140,
                unique=True,
                verbose_name="slug",
            ),
        ),
        migrations.RemoveField(model_name="person", name="profile_url"),
    ]
