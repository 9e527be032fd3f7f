"""Make sure the seed article, its references and its call-to-action exist (idempotent).

The seed has no medical reviewer: a sign-off is a real person's statement, so an editor
records it in the admin once a reviewer has read the article. Its byline is the editorial
team (a team's profile, not a person's): no one named person wrote it.
"""

from pathlib import Path

import reversion
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, CallToAction, Person, Reference, Tag, Topic

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"

SEED_SLUG = "why-does-nerve-pain-get-worse-after-physical-therapy"
SEED_ARTICLE = {
    "title": (
        "Why Does Nerve Pain Get Worse After Physical Therapy? – Causes, Insights & Management Tips"
    ),
    "summary": (
        "Why nerve pain can flare after a physical therapy session, what causes it, "
        "how to manage it, and when to seek further help."
    ),
    "status": Article.Status.PUBLISHED,
    "allow_comments": True,
}
# The sources the body cites as [@key]. No date accessed: the author's text does not say when.
SEED_REFERENCES = [
    {
        "key": "mayo-clinic-peripheral-neuropathy",
        "title": "Peripheral neuropathy: Symptoms and causes",
        "publisher": "Mayo Clinic",
        "url": (
            "https://www.mayoclinic.org/diseases-conditions/peripheral-neuropathy/"
            "symptoms-causes/syc-20352061"
        ),
    },
]
SEED_TOPIC = {
    "name": "Peripheral neuropathy",
    "slug": "peripheral-neuropathy",
    "description": (
        "Damage to the nerves outside the brain and spinal cord: why it hurts, how it is "
        "treated, and how to live well with it."
    ),
}
SEED_TAGS = [
    ("Physical therapy", "physical-therapy"),
    ("Exercise", "exercise"),
    ("Pain management", "pain-management"),
]
# The editorial team's profile (migration 0007 creates it; recreated here if it was deleted).
TEAM_SLUG = "editorial-team"
TEAM = {
    "name": "The nervepain editorial team",
    "kind": Person.Kind.TEAM,
    "job_title": "Editorial team",
    "is_public": True,
}
SEED_CTA_NAME = "Nerve pain after therapy: share your story"
SEED_CTA = {
    "heading": "Have you had similar experiences?",
    "button_label": "Share your story",
    "button_url": "#respond",
}


class Command(BaseCommand):
    help = (
        "Create the seed article and its call-to-action if they do not exist. "
        "An existing article is left exactly as it is, so a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be created, create nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        if Article.objects.filter(slug=SEED_SLUG).exists():
            self.stdout.write("Seed article already present; nothing to do.")
            return
        if dry_run:
            self.stdout.write(f"Would create the article {SEED_SLUG!r} and its call-to-action.")
            return
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment("Created by load_seed.")
            cta, _ = CallToAction.objects.get_or_create(
                name=SEED_CTA_NAME,
                defaults={**SEED_CTA, "text": (SEED_DIR / "call-to-action.md").read_text()},
            )
            team, _ = Person.objects.get_or_create(slug=TEAM_SLUG, defaults=TEAM)
            topic, _ = Topic.objects.get_or_create(
                name=SEED_TOPIC["name"],
                defaults={key: value for key, value in SEED_TOPIC.items() if key != "name"},
            )
            article = Article.objects.create(
                slug=SEED_SLUG,
                byline=team,
                topic=topic,
                body=(SEED_DIR / "nerve-pain-after-physical-therapy.md").read_text(),
                call_to_action=cta,
                **SEED_ARTICLE,
            )
            article.tags.set(
                Tag.objects.get_or_create(name=name, defaults={"slug": slug})[0]
                for name, slug in SEED_TAGS
            )
            for position, reference in enumerate(SEED_REFERENCES, start=1):
                Reference.objects.create(article=article, position=position, **reference)
        self.stdout.write(self.style.SUCCESS(f"Created the seed article {SEED_SLUG!r}."))
