"""The queue's pages in a real browser: Django draws the links to the other pages as filled
buttons beside a plain current page, so another page looked like the one shown."""

import pytest
from django.contrib.auth.models import Group

from tests.e2e.test_moderation import QUEUE, logged_in
from tests.factories import ArticleFactory, CommentFactory, UserFactory

# serialized_rollback: data migrations (the Moderators group) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STYLE = """el => {
  const s = getComputedStyle(el);
  return {bg: s.backgroundColor, border: s.borderTopWidth, weight: s.fontWeight,
          underline: s.textDecorationLine, height: el.getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_the_current_page_is_outlined_and_the_others_are_plain_links(
    browser, live_server, transactional_db, width
):
    user = UserFactory(username="mod", is_staff=True, email="mod@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    CommentFactory.create_batch(45, article=ArticleFactory(), state="pending")
    page, errors = logged_in(browser, live_server, user, viewport={"width": width, "height": 800})
    page.goto(f"{live_server.url}{QUEUE}?p=2")
    current = page.locator('#changelist .paginator [aria-current="page"]')
    assert current.inner_text() == "2"
    now = current.evaluate(STYLE)
    assert now["border"] == "2px" and int(now["weight"]) >= 700
    assert now["height"] >= 24
    for link in page.locator("#changelist .paginator a:not(.showall)").all():
        other = link.evaluate(STYLE)
        # No fill (Django's button), underlined as a link, tall enough to tap.
        assert other["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), link.inner_text()
        assert other["border"] == "0px" and "underline" in other["underline"]
        assert other["height"] >= 24
    assert errors == []
