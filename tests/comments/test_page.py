"""The discussion as readers see it: safe text, no personal data, a fixed number of queries."""

import hashlib

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_comment_text_is_plain_text_with_links_and_paragraphs(client, article):
    comment = CommentFactory(
        article=article,
        comment="First line\nsecond line\n\nNew paragraph <b>bold?</b> "
        "<script>alert(1)</script> see https://example.org/page",
    )
    item = soup(client.get(article.get_absolute_url())).find(id=f"c{comment.pk}")
    text = item.select_one(".comment-text")
    paragraphs = text.find_all("p")
    assert len(paragraphs) == 2
    assert paragraphs[0].find("br") is not None
    assert text.find("b") is None and text.find("script") is None
    assert "<b>bold?</b>" in text.get_text()
    link = text.find("a")
    assert link["href"] == "https://example.org/page"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]


def test_website_link_carries_the_same_rel(client, article):
    comment = CommentFactory(article=article, user_url="https://bea.example")
    author = soup(client.get(article.get_absolute_url())).find(id=f"c{comment.pk}-a")
    assert author.a["href"] == "https://bea.example"
    assert author.a["rel"] == ["nofollow", "ugc", "noopener"]


def test_unsafe_website_is_not_linked(client, article):
    comment = CommentFactory(article=article, user_url="javascript:alert(1)")
    author = soup(client.get(article.get_absolute_url())).find(id=f"c{comment.pk}-a")
    assert author.a is None


def test_no_third_party_avatar_and_no_personal_data(client, article):
    comment = CommentFactory(
        article=article, user_email="Private.Person@example.org", ip_address="198.51.100.77"
    )
    content = client.get(article.get_absolute_url()).content.decode()
    email_hash = hashlib.md5(comment.user_email.strip().lower().encode()).hexdigest()
    for secret in ("gravatar", "Private.Person", "private.person", email_hash, "198.51.100.77"):
        assert secret not in content
    item = soup(client.get(article.get_absolute_url())).find(id=f"c{comment.pk}")
    assert item.find("img") is None  # no avatar image of any kind


def test_problem_pages_show_no_personal_data_of_others(client, post, article):
    CommentFactory(article=article, user_email="other@example.org", ip_address="198.51.100.5")
    response = post(article, email="bad-address")
    content = response.content.decode()
    assert "other@example.org" not in content and "198.51.100.5" not in content


def test_thread_is_nested_three_levels_with_permalinks(client, article):
    top = CommentFactory(article=article)
    reply = CommentFactory(article=article, parent=top)
    deep = CommentFactory(article=article, parent=reply)
    second_top = CommentFactory(article=article)
    page = soup(client.get(article.get_absolute_url()))
    assert page.find(id=f"c{deep.pk}").find_parent("li", id=f"c{reply.pk}") is not None
    assert page.find(id=f"c{reply.pk}").find_parent("li", id=f"c{top.pk}") is not None
    assert page.find(id=f"c{second_top.pk}").find_parent("li") is None
    assert page.select_one(f"#c{deep.pk} > .comment-meta > a")["href"] == f"#c{deep.pk}"
    assert page.find(id="comments-heading").get_text() == "4 Responses"


def test_article_page_queries_do_not_grow_with_comments(client, article, django_assert_num_queries):
    """The page is built in a fixed number of queries: 0 and 200 comments cost the same.

    Four: the article (with its people, topic and call-to-action), its references, its tags,
    and the visible comments (which also give the count for the structured data). The content
    type and the medical disclaimer come from caches a running site has warm.
    """
    url = article.get_absolute_url()
    client.get(url)  # warm the content-type and disclaimer caches, as a running site has
    with django_assert_num_queries(4) as empty:
        client.get(url)
    parents = CommentFactory.create_batch(40, article=article)
    children = [CommentFactory(article=article, parent=p) for p in parents for _ in range(2)]
    for child in children[:80]:
        CommentFactory(article=article, parent=child)
    assert Comment.objects.public().count() == 200
    with django_assert_num_queries(len(empty.captured_queries)):
        response = client.get(url)
    assert soup(response).find(id="comments-heading").get_text() == "200 Responses"


@pytest.mark.parametrize(
    "url",
    [
        "/comments/api/",
        "/comments/api/feeds/",
        "/comments/reply/1/",
        "/comments/sent/",
        "/comments/flag/1/",
        "/comments/like/1/",
        "/comments/dislike/1/",
        "/comments/mute/x/",
        "/comments/approve/1/",
        "/comments/delete/1/",
        "/comments/cr/1/1/",
        "/comments/posted/",
    ],
)
def test_xtd_and_contrib_comment_endpoints_are_not_mounted(client, url):
    """Only our post, confirm and unsubscribe endpoints exist."""
    CommentFactory(state=Comment.State.PENDING)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code in (403, 404)  # CSRF-protected or absent


def test_kept_endpoints_answer_anonymous_readers_safely(client):
    comment = CommentFactory(state=Comment.State.PENDING, comment="Held secret text")
    for url in ("/comments/confirm/bad/", "/comments/unsubscribe/bad/"):
        response = client.get(url)
        assert response.status_code == 400
        assert "Held secret text" not in response.content.decode()
    assert client.get("/comments/post/").status_code == 405
    assert comment.state == Comment.State.PENDING


def test_only_a_page_with_the_form_sets_its_token_cookie(client, article, settings):
    """The form's one-time token comes with an article's page, each time it is served (a
    cached copy too), never with pages that have no form: a reader who only browses the
    home page, topics, feeds or the sitemap gets no cookie."""
    from comments.forms import FORM_COOKIE

    settings.PAGE_CACHE_SECONDS = 300
    tokens = []
    for served in ("miss", "hit"):  # rendered, then from the page cache
        response = client.get(article.get_absolute_url())
        assert response["X-Page-Cache"] == served
        tokens.append(response.cookies[FORM_COOKIE].value)
    assert tokens[0] != tokens[1]
    for address in ("/", "/topics/", "/feed/", "/sitemap.xml", "/articles/no-such-article/"):
        client.cookies.clear()
        for _ in range(2):  # rendered, then (but the 404) from the page cache
            assert FORM_COOKIE not in client.get(address).cookies, address


def test_the_form_says_which_comments_a_moderator_reads_first(client, article):
    """The note under the form says what moderation does: a first comment waits for a
    moderator, an approved commenter's next ones appear at once, so "Comments are reviewed
    before they appear" told them something untrue; on an article that holds every comment,
    it says so."""
    note = soup(client.get(article.get_absolute_url())).select_one("#comment-privacy")
    assert "A moderator reads your first comment before it appears." in note.get_text()
    assert "Comments are reviewed before they appear" not in note.get_text()

    article.moderate_all_comments = True
    article.save()
    note = soup(client.get(article.get_absolute_url())).select_one("#comment-privacy")
    assert "A moderator reads every comment on this article before it appears." in note.get_text()
