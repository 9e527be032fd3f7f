"""A commenter opens "someone replied to you" from an email: the article at the reply's #c link.

The browser's own jump took the page's smooth scrolling and ran from the top through the whole
article and the comments above (16,000-21,000 px with 60 comments above) for about two
seconds: half a second after the load the reply was still 1,700-2,600 px down the screen. It
ended in the right place (the browser lays the discussion out for the jump, content-visibility
or not); comments.js now puts the reply there at the load.
"""

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.e2e.test_journeys import DESKTOP, PHONE
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = "It flared for two days after each session, then eased, as my therapist said it might. " * 3


@pytest.fixture
def reply(transactional_db):
    call_command("load_seed")
    seed_article = Article.objects.get()
    above = [
        CommentFactory(article=seed_article, comment=LONG if n % 2 else "It eased in a week.")
        for n in range(60)
    ]
    mine = CommentFactory(
        article=seed_article, parent=above[-1], user_name="Sam", comment="Mine did the same."
    )
    for _ in range(5):
        CommentFactory(article=seed_article, comment=LONG)
    return mine


def target_top(page, pk):
    return page.evaluate(f"document.getElementById('c{pk}').getBoundingClientRect().top")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-375", "desktop"])
def test_the_reply_is_at_the_top_of_the_screen_at_once(browser, live_server, reply, viewport):
    article = reply.content_object
    context = browser.new_context(viewport=viewport, reduced_motion="no-preference")
    page = context.new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}#c{reply.pk}")  # waits for load
    page.wait_for_timeout(300)
    # At its scroll-margin-top (0.5rem) under the top of the screen, not on its way there...
    assert 0 <= target_top(page, reply.pk) <= 24
    page.wait_for_timeout(1500)
    # ...and there it stays once the discussion is drawn.
    assert 0 <= target_top(page, reply.pk) <= 24
    # Someone else's comment: the focus is left where the browser's jump leaves it.
    assert page.evaluate("document.activeElement === document.body")
    context.close()


def test_a_reader_who_scrolled_before_the_load_is_left_there(browser, live_server, reply):
    """A slow page (an image still coming): the reader who scrolled meanwhile is not taken
    back to the reply when the load comes."""
    article = reply.content_object
    type(article).objects.filter(pk=article.pk).update(
        body_html=article.body_html + '<p><img src="/static/img/slow.png" alt=""></p>'
    )
    held = []
    context = browser.new_context(viewport=PHONE, reduced_motion="no-preference")
    page = context.new_page()
    page.route("**/slow.png", lambda route: held.append(route))
    page.goto(
        f"{live_server.url}{article.get_absolute_url()}#c{reply.pk}", wait_until="domcontentloaded"
    )
    page.wait_for_timeout(2500)  # the browser's own jump, if any, is over
    page.mouse.move(100, 300)
    page.mouse.wheel(0, -1500)
    page.wait_for_timeout(500)
    read = page.evaluate("window.scrollY")
    assert held and page.evaluate("document.readyState") != "complete"
    held[0].fulfill(status=404)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert abs(page.evaluate("window.scrollY") - read) < 5
    context.close()
