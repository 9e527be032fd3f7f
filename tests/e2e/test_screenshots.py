"""The README's two pictures: the article on a phone, the moderation queue on a desktop.

Taken on every run into test-results/screenshots/ (so a broken page shows up here first);
``make screenshots`` takes them into docs/img/ for the README.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OUTPUT = Path(os.environ.get("SCREENSHOTS_DIR", "test-results/screenshots"))
HELD = [
    (
        "Ann",
        "The burning got worse for two days after my session. Is that normal?",
        Comment.Reason.NOT_TRUSTED,
    ),
    (
        "Tomás",
        "My physio said flare-ups can happen. Which exercises were you doing?",
        Comment.Reason.NOT_TRUSTED,
    ),
    ("Lee", "Buy cheap pain pills at example.com and example.net today", Comment.Reason.LINKS),
]


@pytest.fixture
def discussion(transactional_db):
    call_command("load_seed")
    article = Article.objects.get()
    maria = CommentFactory(
        article=article, user_name="Maria", comment="It flared for two days, then eased."
    )
    CommentFactory(
        article=article,
        parent=maria,
        user_name="Sam",
        comment="Same for me. Gentler exercises helped, and telling my therapist.",
    )
    for name, text, reason in HELD:
        CommentFactory(
            article=article,
            user_name=name,
            comment=text,
            state=Comment.State.PENDING,
            reason=reason,
        )
    return article


def test_readme_screenshots(browser, live_server, discussion):
    OUTPUT.mkdir(parents=True, exist_ok=True)

    reader = browser.new_page(viewport={"width": 375, "height": 740})
    reader.goto(live_server.url + discussion.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_contain_text("Nerve Pain")
    reader.screenshot(path=OUTPUT / "article.png")  # the first screen, as a phone shows it

    moderator = UserFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    admin = browser.new_page(viewport={"width": 1280, "height": 800})
    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill("mod")
    admin.get_by_label("Password").fill("correct horse battery staple")
    admin.get_by_role("button", name="Log in").click()
    admin.goto(live_server.url + "/admin/comments/comment/")
    for _name, text, _reason in HELD:
        expect(admin.locator("#result_list")).to_contain_text(text[:30])
    admin.screenshot(path=OUTPUT / "moderation-queue.png")

    for name in ("article.png", "moderation-queue.png"):
        assert (OUTPUT / name).stat().st_size > 10_000
