"""A reader whose page came from a front cache (no form token cookie) can still comment: the
form's script fetches a token when the reader turns to the form."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.e2e.test_journeys import DESKTOP, PHONE, fill_comment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SHOTS = Path(os.environ.get("SHOTS_DIR", "test-results/shots"))


@pytest.fixture
def article(transactional_db):
    call_command("load_seed")
    return Article.objects.get()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375", "desktop"])
def test_a_page_without_a_token_gets_one_and_the_comment_is_posted(
    page,
    live_server,
    article,
    viewport,
    console_errors,
):
    page.set_viewport_size(viewport)
    url = live_server.url + article.get_absolute_url()
    page.goto(url)
    page.context.clear_cookies()  # as Varnish serves it: a shared copy carries no cookie
    form = page.locator("form.comment-form")
    with page.expect_response(re.compile(r"/comments/token/$")) as token:
        fill_comment(form, "Ann", "ann@example.org", "Posted from a front-cached page.")
    assert token.value.status == 204
    assert any(c["name"] == "np_form" for c in page.context.cookies())
    page.wait_for_timeout(1100)  # a person takes longer than the time trap
    form.get_by_role("button", name="Post Comment").click()

    mine = Comment.objects.get(user_name="Ann")
    expect(page).to_have_url(re.compile(rf"#c{mine.pk}$"))
    expect(page.locator(f"#c{mine.pk}")).to_contain_text("awaiting moderation")
    assert console_errors == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)
    page.screenshot(path=SHOTS / f"posted-from-cached-page-{viewport['width']}.png", full_page=True)
