"""The moderation rules, each decision stored with its reason, and trust that cannot be spoofed."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment, ModerationWord, TrustedCommenter
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def approve(moderator_client, comment):
    response = moderator_client.post(
        "/admin/comments/comment/?state=all",
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED


def latest():
    return Comment.objects.latest("submit_date", "pk")


def test_returning_approved_commenter_is_published_at_once(client, post, article, moderator_client):
    post(article)
    approve(moderator_client, latest())
    assert post(article, comment="Thanks all, one more thought.").status_code == 303
    comment = latest()
    assert comment.state == Comment.State.PUBLISHED
    assert comment.reason == Comment.Reason.TRUSTED


def test_typing_a_trusted_name_and_email_in_another_browser_is_held(
    client, post, article, moderator_client, other_reader
):
    """The WordPress weakness: name and email alone must not earn trust."""
    post(article)
    approve(moderator_client, latest())
    post(article, client=other_reader, comment="Impostor here, buy pills.")
    comment = latest()
    assert comment.state == Comment.State.PENDING
    assert comment.reason == Comment.Reason.NOT_TRUSTED


def test_trusted_browser_with_another_email_is_held(client, post, article, moderator_client):
    post(article)
    approve(moderator_client, latest())
    post(article, email="someone.else@example.org", comment="Different person, same computer.")
    assert latest().state == Comment.State.PENDING


def test_a_forged_commenter_cookie_earns_nothing(
    client, post, article, moderator_client, other_reader
):
    post(article)
    approve(moderator_client, latest())
    stolen_hash = TrustedCommenter.objects.get().key_hash
    other_reader.cookies["np_commenter"] = stolen_hash  # not signed by the site
    post(article, client=other_reader, comment="Trying a forged cookie.")
    assert latest().state == Comment.State.PENDING


def test_trust_stores_only_a_hash_of_the_browser_key(client, post, article, moderator_client):
    response = post(article)
    approve(moderator_client, latest())
    raw_cookie = response.cookies["np_commenter"].value
    trusted = TrustedCommenter.objects.get()
    assert trusted.key_hash and trusted.key_hash not in raw_cookie
    assert response.cookies["np_commenter"]["httponly"]


def test_two_links_are_held_even_for_trusted_commenters(client, post, article, moderator_client):
    post(article)
    approve(moderator_client, latest())
    post(article, comment="See https://a.example and https://b.example for more.")
    comment = latest()
    assert comment.state == Comment.State.PENDING
    assert comment.reason == Comment.Reason.LINKS


def test_one_link_is_not_a_reason_to_hold(client, post, article, moderator_client):
    post(article)
    approve(moderator_client, latest())
    post(article, comment="This helped me: https://a.example")
    assert latest().state == Comment.State.PUBLISHED


@pytest.mark.parametrize(
    "field, value",
    [
        ("comment", "I sell CheapPills online"),
        ("name", "CheapPills Store"),
        ("email", "sales@cheappills.example"),
        ("url", "https://cheappills.example"),
    ],
)
def test_hold_words_hold_the_comment_with_the_word_as_reason(post, article, field, value):
    ModerationWord.objects.create(word="cheappills", action="hold")
    post(article, **{field: value})
    comment = latest()
    assert comment.state == Comment.State.PENDING
    assert comment.reason == Comment.Reason.HOLD_WORD
    assert comment.reason_detail == "cheappills"


@pytest.mark.parametrize(
    "field, value",
    [
        ("comment", "Visit CASINO now"),
        ("name", "Casino Bob"),
        ("email", "bob@casino.example"),
        ("url", "https://casino.example"),
    ],
)
def test_disallowed_words_refuse_outright_and_keep_the_text(post, article, field, value):
    ModerationWord.objects.create(word="casino", action="disallow")
    response = post(article, **{field: value})
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "does not accept" in response.content.decode()


def test_disallowed_ip_is_refused(client, article):
    from tests.comments.conftest import form_data, send

    ModerationWord.objects.create(word="203.0.113.", action="disallow")
    response = send(client, form_data(article), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_hold_all_articles_hold_even_trusted_commenters(client, post, moderator_client):
    open_article = ArticleFactory()
    strict = ArticleFactory(moderate_all_comments=True)
    post(open_article)
    approve(moderator_client, latest())
    post(strict, comment="On the strict article.")
    comment = latest()
    assert comment.state == Comment.State.PENDING
    assert comment.reason == Comment.Reason.HOLD_ALL


def test_proxy_address_is_taken_from_forwarded_for_when_configured(settings, client, article):
    from tests.comments.conftest import form_data, send

    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.0/24"]  # FORWARDED_ALLOW_IPS
    send(
        client,
        form_data(article),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20",
    )
    assert latest().ip_address == "198.51.100.20"


def test_forwarded_for_is_not_believed_from_an_address_that_is_not_our_proxy(
    settings, client, article
):
    """A reader reaching gunicorn directly (a web node's address) chose their own address,
    one for each post past the rate limit: only our proxies' header is read."""
    from tests.comments.conftest import form_data, send

    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1", "::1"]  # the default: this machine's
    send(client, form_data(article), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert latest().ip_address == "203.0.113.7"


@pytest.mark.parametrize(
    ("entry", "saved"),
    [
        ("198.51.100.20:51234", "198.51.100.20"),  # as some load balancers write it
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
        ("unknown", "10.0.0.1"),  # no address: the proxy's own, and the post is saved
    ],
)
def test_a_forwarded_address_is_saved_without_its_port(settings, client, article, entry, saved):
    """PostgreSQL's inet refused "198.51.100.20:51234": every post behind such a proxy was a
    500, the reader's text lost."""
    from tests.comments.conftest import form_data, send

    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.1"]
    response = send(
        client,
        form_data(article),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {entry}",
    )
    assert response.status_code == 303
    assert latest().ip_address == saved


def test_an_entry_that_is_no_address_is_logged_once(settings, client, monkeypatch, caplog):
    """It tells the operator the proxy count is off; a client can send any number of them."""
    from nervepain.middleware import ClientAddressMiddleware

    monkeypatch.setattr(ClientAddressMiddleware, "warned", False)
    settings.TRUSTED_PROXY_COUNT = 2
    for _ in range(3):
        client.get("/", HTTP_X_FORWARDED_FOR="made-up, 198.51.100.20")
    warnings = [r for r in caplog.records if "is not an address" in r.getMessage()]
    assert len(warnings) == 1
    assert "'made-up'" in warnings[0].getMessage()


def test_approving_a_parent_does_not_publish_its_held_replies(article, moderator_client):
    """xtd would cascade a parent's visibility onto its replies; ours keep their own state."""
    parent = CommentFactory(article=article, state=Comment.State.PENDING)
    # A staff reply to a held comment could exist (or a reply held before its parent was hidden).
    reply = CommentFactory(article=article, state=Comment.State.SPAM)
    Comment.objects.filter(pk=reply.pk).update(parent_id=parent.pk, level=1)
    approve(moderator_client, parent)
    reply.refresh_from_db()
    assert reply.state == Comment.State.SPAM
    assert not reply.is_public


def test_removing_a_parent_hides_its_replies_from_the_page(client, article, moderator_client):
    parent = CommentFactory(article=article, comment="Parent text")
    reply = CommentFactory(article=article, parent=parent, comment="Reply text")
    parent.moderate(Comment.State.REMOVED, None)
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.find(id=f"c{reply.pk}") is None
    assert page.find(id="comments-heading").get_text() == "No comments yet"
