"""Posting a comment through the real view: outcomes, refusals, and nothing typed lost."""

import datetime
import logging
import re
import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import caches
from django.utils import timezone

from articles.models import Article
from comments.forms import FORM_COOKIE, new_form_token
from comments.models import Comment, VerifiedEmail
from comments.trust import sign_comment
from tests.comments.conftest import POST_URL, form_data, send
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Physio made it worse for a week, then better."


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def assert_text_kept(response, text=TEXT):
    """The reader's text comes back in the form (or a box to copy it from)."""
    page = soup(response)
    box = page.find("textarea", attrs={"name": "comment"}) or page.find("textarea", id="kept-text")
    assert box is not None
    assert box.get_text().strip() == text


def test_first_comment_is_held_and_lands_on_the_article(client, post, article):
    response = post(article)
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/articles/nerve-pain/#c{comment.pk}"
    assert comment.state == Comment.State.PENDING
    assert comment.reason == Comment.Reason.NOT_TRUSTED
    assert not comment.is_public


def test_held_comment_is_seen_only_by_its_author_in_that_browser(
    client, post, article, other_reader
):
    post(article)
    comment = Comment.objects.get()

    own = soup(client.get(article.get_absolute_url()))
    item = own.find(id=f"c{comment.pk}")
    assert item is not None
    assert "awaiting moderation" in item.get_text()
    # Not "No comments yet" over the writer's own comment.
    assert own.find(id="comments-heading").get_text() == "No public comments yet"

    other = other_reader.get(article.get_absolute_url())
    assert f'id="c{comment.pk}"' not in other.content.decode()
    assert TEXT not in other.content.decode()


def test_published_comments_are_counted_and_listed(client, article):
    CommentFactory(article=article, comment="First public")
    CommentFactory(article=article, comment="Second public")
    CommentFactory(article=article, comment="Held one", state=Comment.State.PENDING)
    CommentFactory(article=article, comment="Spam one", state=Comment.State.SPAM)
    CommentFactory(article=article, comment="Removed one", state=Comment.State.REMOVED)
    page = soup(client.get(article.get_absolute_url()))
    assert page.find(id="comments-heading").get_text() == "2 Responses"
    text = page.select_one("#comments").get_text()
    assert "First public" in text and "Second public" in text
    for hidden in ("Held one", "Spam one", "Removed one"):
        assert hidden not in text


def test_staff_comment_is_published(client, post, article, staff_user):
    client.force_login(staff_user)
    post(article, name="Site editor", email=staff_user.email)
    comment = Comment.objects.get()
    assert comment.state == Comment.State.PUBLISHED
    assert comment.reason == Comment.Reason.STAFF


def test_honeypot_filled_is_refused_without_a_row(post, article):
    response = post(article, honeypot="http://spam.example")
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "automated" in response.content.decode()
    assert_text_kept(response)


def test_posting_faster_than_a_person_is_refused_with_the_text_kept(settings, post, article):
    settings.COMMENTS_MIN_SECONDS = 3
    response = post(article)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = response.content.decode()
    assert page.count("wait a few seconds") == 1  # once, not again above the form
    assert page.count('role="alert"') == 1
    assert_text_kept(response)


def test_form_old_enough_passes_the_time_trap(settings, client, article):
    settings.COMMENTS_MIN_SECONDS = 3
    token = new_form_token(served_at=time.time() - 5)
    assert send(client, form_data(article), token=token).status_code == 303


def test_expired_form_gives_the_text_back_with_a_fresh_token(settings, client, article):
    settings.COMMENTS_FORM_MAX_AGE = 3600
    token = new_form_token(served_at=time.time() - 3601)
    response = send(client, form_data(article), token=token)
    assert response.status_code == 400
    assert response.content.decode().count("expired") == 1
    assert_text_kept(response)
    fresh = response.cookies[FORM_COOKIE].value
    assert fresh != token
    assert send(client, form_data(article), token=fresh).status_code == 303


@pytest.mark.parametrize("token", ["", "garbage", new_form_token()[:-3] + "abc"])
def test_missing_or_tampered_token_is_refused(client, article, token):
    client.cookies[FORM_COOKIE] = token
    response = client.post(POST_URL, form_data(article))
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert response.content.decode().count("could not be checked") == 1
    assert_text_kept(response)


def test_validation_errors_keep_everything_typed_and_name_the_field(post, article):
    response = post(article, email="not-an-address", url="https://ann.example")
    page = soup(response)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert_text_kept(response)
    assert page.find("input", attrs={"name": "name"})["value"] == "Ann Reader"
    assert page.find("input", attrs={"name": "url"})["value"] == "https://ann.example"
    label = page.find("label", attrs={"for": "id_email"})
    assert "Enter an email address like name@example.com." in label.get_text()
    assert page.find("input", attrs={"name": "email"}).has_attr("aria-invalid")


def test_the_problem_page_lists_each_field_error_with_a_link_to_its_field(post, article):
    """Above a form that is long on a phone, as NHS.UK's error summary does: each error,
    in the form's order, linked to its field."""
    response = post(article, name="", email="not-an-address", comment="   ")
    summary = soup(response).select_one(".problem[role=alert]")
    assert "Please correct the fields marked below:" in summary.get_text()
    links = [(a["href"], a.get_text()) for a in summary.select(".problem-list a")]
    assert links == [
        ("#id_name", "Name: Please enter your name."),
        ("#id_email", "Email: Enter an email address like name@example.com."),
        ("#id_comment", "Comment: Please write a comment."),
    ]
    page = soup(response)
    assert all(page.find(id=href[1:]) is not None for href, _text in links)


def test_a_form_corrected_on_the_problem_page_can_be_sent_at_once(settings, client, article):
    """The reader has had the form since the page that served it: the page that gives it back
    with an error starts no new wait (a corrected email sent 1.6 s later was "too fast")."""
    settings.COMMENTS_MIN_SECONDS = 3
    token = new_form_token(served_at=time.time() - 60)
    refused = send(client, form_data(article, email="ann@example"), token=token)
    assert refused.status_code == 400
    again = refused.cookies[FORM_COOKIE].value
    assert again != token  # a new one-time nonce
    assert send(client, form_data(article), token=again).status_code == 303
    assert Comment.objects.count() == 1


def test_a_form_sent_too_fast_keeps_its_wait_on_the_problem_page(settings, client, article):
    """Sent back at once, the wait still counts from the page that served the form: a new
    token on the problem page is no way around the time trap."""
    settings.COMMENTS_MIN_SECONDS = 3
    refused = send(client, form_data(article), token=new_form_token())
    assert "faster than we allow" in refused.content.decode()
    again = send(client, form_data(article), token=refused.cookies[FORM_COOKIE].value)
    assert again.status_code == 400
    assert "faster than we allow" in again.content.decode()
    assert not Comment.objects.exists()


def test_fields_to_correct_come_before_the_time_trap(settings, post, article):
    """An empty form sent at once: the reader is asked for the fields, not told to wait."""
    settings.COMMENTS_MIN_SECONDS = 3
    response = post(article, name="", email="", comment="")
    reason = soup(response).select_one(".problem[role=alert] p").get_text()
    assert reason == "Please correct the fields marked below:"
    assert "faster" not in response.content.decode()


def test_a_refused_reply_is_still_a_reply_to_the_same_comment(post, article):
    parent = CommentFactory(article=article, user_name="Bea Walker")
    response = post(article, reply_to=parent.pk, email="not-an-address")
    page = soup(response)
    note = page.select_one(".replying-to")
    assert not note.has_attr("hidden")
    assert " ".join(note.get_text().split()).startswith("Replying to Bea Walker.")
    assert page.find("input", attrs={"name": "reply_to"})["value"] == str(parent.pk)


def test_a_name_ending_in_a_full_stop_takes_no_second_one(post, article):
    parent = CommentFactory(article=article, user_name="Tom K.")
    note = soup(post(article, reply_to=parent.pk, email="not-an-address")).select_one(
        ".replying-to"
    )
    assert " ".join(note.get_text().split()).startswith("Replying to Tom K. Cancel reply")


def test_a_reply_to_a_comment_no_longer_shown_comes_back_as_a_new_comment(client, post, article):
    """The reason says "you can post it as a new comment": sending the page again does."""
    gone = CommentFactory(article=article, state=Comment.State.REMOVED)
    response = post(article, reply_to=gone.pk)
    page = soup(response)
    assert "post it as a new comment" in page.get_text()
    assert page.select_one(".replying-to").has_attr("hidden")
    assert page.find("input", attrs={"name": "reply_to"})["value"] == ""
    data = {field["name"]: field.get("value", "") for field in page.select("form input")}
    data["comment"] = page.find("textarea", attrs={"name": "comment"}).get_text()
    assert send(client, data, token=response.cookies[FORM_COOKIE].value).status_code == 303
    assert Comment.objects.exclude(pk=gone.pk).get().level == 0  # a thread of its own


@pytest.mark.parametrize("trait", ["honeypot", "too fast", "closed"])
def test_a_refusal_that_is_not_about_a_field_lists_no_fields(settings, client, post, trait):
    """A filled honeypot (the reader never sees that field), a token refusal or a closed
    article: the reason says it all, and nothing in the form is marked."""
    article = ArticleFactory(allow_comments=trait != "closed")
    if trait == "too fast":
        settings.COMMENTS_MIN_SECONDS = 3
    response = post(article, honeypot="http://spam.example" if trait == "honeypot" else "")
    assert response.status_code in (400, 403)
    assert soup(response).select(".problem-list") == []
    assert_text_kept(response)


def test_a_comment_over_the_limit_comes_back_whole_with_its_length(post, article):
    """The box has no maxlength (a browser would cut a pasted story short without a word):
    the server refuses a longer text and gives all of it back, its numbers written as the box's
    hint writes them ("up to 3,000 characters")."""
    story = ("My calves burned after every session. " * 80)[:3001]
    response = post(article, comment=story)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert_text_kept(response, story)
    [error] = [a.get_text() for a in soup(response).select(".problem-list a")]
    assert error == (
        "Comment: Your comment is 3,001 characters long; the limit is 3,000. Please shorten it: "
        "your text is kept below."
    )


def test_line_breaks_count_once_against_the_limit(post, article):
    """Browsers send each line break as two characters; the text is stored with one, and
    counted as stored (as the page's count does)."""
    lines = [f"Week {n:02d}: the burning eased a little more." for n in range(70)]
    text = "\n".join(lines)
    assert len(text) <= 3000 < len(text.replace("\n", "\r\n"))
    response = post(article, comment=text.replace("\n", "\r\n"))
    assert response.status_code == 303
    assert Comment.objects.get().comment == text


def test_the_comment_box_says_its_limit_and_does_not_cut_text(client, article):
    page = soup(client.get(article.get_absolute_url()))
    box = page.find("textarea", attrs={"name": "comment"})
    assert not box.has_attr("maxlength")
    assert box["data-maxlength"] == "3000"
    count = page.find(id="id_comment_count")
    assert "id_comment_count" in box["aria-describedby"].split()
    assert count.get_text() == "You can enter up to 3,000 characters."
    assert count["aria-live"] == "polite"


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [
        ("name", "Annabel " * 7 + "Reader", 50),
        ("email", "a" * 250 + "@example.org", 254),
        ("url", "https://physio.example/" + "a" * 200, 200),
    ],
)
def test_a_value_longer_than_its_column_comes_back_with_the_limit(
    post, article, field, value, limit
):
    """A website address of 223 characters reached the database and failed there: a 500 on
    PostgreSQL, the reader's text lost. The inputs have no maxlength either (a browser would
    cut a pasted address short, leaving a broken link)."""
    response = post(article, **{field: value})
    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = soup(response)
    box = page.find("input", attrs={"name": field})
    assert box["value"] == value and not box.has_attr("maxlength")
    [error] = [a.get_text() for a in page.select(".problem-list a")]
    assert error.endswith(f"This is {len(value)} characters long; the limit is {limit}.")
    assert_text_kept(response)


@pytest.mark.parametrize("url", ["ftp://files.example/notes", "javascript:alert(1)"])
def test_a_website_is_a_web_address(post, article, url):
    response = post(article, url=url)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    [error] = [a.get_text() for a in soup(response).select(".problem-list a")]
    assert error == "Website: Enter a web address like https://example.com, or leave it empty."


def test_a_nul_in_the_comment_is_dropped_as_it_is_saved(post, article):
    """As in an edit: the comment is saved without it (no reader types one on purpose)."""
    assert post(article, comment="Ice helped.\x00").status_code == 303
    assert Comment.objects.get().comment == "Ice helped."


def test_empty_comment_is_refused_with_a_reason(post, article):
    response = post(article, comment="   ")
    assert response.status_code == 400
    assert "Please write a comment." in response.content.decode()


def test_closed_article_says_so_and_keeps_the_text(client, post):
    article = ArticleFactory(allow_comments=False)
    page = soup(client.get(article.get_absolute_url()))
    assert "Comments are closed" in page.select_one("#respond").get_text()
    assert page.find("form", class_="comment-form") is None

    response = post(article)
    assert response.status_code == 403
    assert "closed" in response.content.decode()
    assert_text_kept(response)
    assert not Comment.objects.exists()


def test_comments_close_after_the_configured_days(settings, client, post):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=31))
    recent = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=29))
    assert post(old).status_code == 403
    assert post(recent).status_code == 303
    assert "Comments are closed" in client.get(old.get_absolute_url()).content.decode()


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_comments_on_unpublished_articles_are_refused(post, trait):
    response = post(ArticleFactory(**{trait: True}))
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert_text_kept(response)


def test_reply_nests_under_its_parent(post, article):
    parent = CommentFactory(article=article)
    assert post(article, reply_to=parent.pk).status_code == 303
    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert reply.parent_id == parent.pk
    assert reply.level == 1


def test_reply_deeper_than_three_levels_attaches_to_the_deepest_level(post, article):
    top = CommentFactory(article=article)
    second = CommentFactory(article=article, parent=top)
    third = CommentFactory(article=article, parent=second)
    assert third.level == 2
    post(article, reply_to=third.pk)
    reply = Comment.objects.latest("submit_date")
    assert reply.level == 2
    assert reply.parent_id == second.pk


def test_reply_to_a_comment_on_another_article_is_a_400_without_a_row(post, article):
    elsewhere = CommentFactory()
    response = post(article, reply_to=elsewhere.pk)
    assert response.status_code == 400
    assert Comment.objects.count() == 1
    assert "not available on this article" in response.content.decode()
    assert_text_kept(response)


@pytest.mark.parametrize("state", ["pending", "spam", "removed"])
def test_reply_to_a_comment_that_is_not_public_is_refused(post, article, state):
    hidden = CommentFactory(article=article, state=state)
    assert post(article, reply_to=hidden.pk).status_code == 400
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("reply_to", ["999999", "99999999999999999999", "-1", "first"])
def test_reply_to_a_missing_comment_is_refused(post, article, reply_to):
    """A number past any id was a 500 on SQLite (too large for its INTEGER), and one that is
    no id asked the reader to correct fields none of which was marked."""
    response = post(article, reply_to=reply_to)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "The comment you replied to is not available" in response.content.decode()
    assert_text_kept(response)


def test_double_submit_creates_one_comment(client, article):
    """A double click: both requests carry the same page view's token."""
    data, token = form_data(article), new_form_token()
    first = send(client, data, token=token)
    second = send(client, data, token=token)
    assert Comment.objects.count() == 1
    assert second.status_code == 303
    assert second["Location"] == first["Location"]


def test_back_and_send_again_creates_one_comment(client, article):
    """Back, then send again: a newer page view's token, the same comment."""
    first = send(client, form_data(article))
    again = send(client, form_data(article))
    assert Comment.objects.count() == 1
    assert again.status_code == 303
    assert again["Location"] == first["Location"]


@pytest.fixture
def second_browser(other_reader, article):
    """The writer's other browser (a phone, say), which has posted here before: it has a
    commenter key of its own."""
    send(other_reader, form_data(article, email="ann.phone@example.org", comment="Earlier."))
    return other_reader


def already_sent(response):
    """What the second browser is told: the page, its focused status, and the comment links."""
    page = soup(response)
    status = page.find(attrs={"role": "status"})
    comment = re.compile(r"#c\d+$")
    return page, status, [a["href"] for a in page.find_all("a", href=comment)]


@pytest.mark.parametrize("state", [Comment.State.PENDING, Comment.State.SPAM])
def test_the_same_comment_from_another_browser_is_told_it_was_received(
    client, second_browser, article, state
):
    """A held comment is shown only in the browser that wrote it: the other browser, sent
    to it, found nothing. It is told the comment was received, and nothing the sender did
    not know already (not the comment, nor whether a moderator has read it)."""
    send(client, form_data(article))
    first = Comment.objects.get(comment=TEXT)
    Comment.objects.filter(pk=first.pk).update(state=state)
    response = send(second_browser, form_data(article))
    assert response.status_code == 200
    assert Comment.objects.filter(comment=TEXT).count() == 1
    page, status, links = already_sent(response)
    assert page.h1.get_text() == "You already sent this comment"
    assert status.has_attr("autofocus") and status["tabindex"] == "-1"
    assert "not posted a second time" in status.get_text()
    assert "seen only in the browser it was sent from" in status.get_text()
    assert TEXT not in page.get_text() and "Ann Reader" not in page.get_text()
    assert links == []  # no way to the held comment
    assert page.find("a", href="/articles/nerve-pain/#comments") is not None
    assert second_browser.get("/articles/nerve-pain/").content.decode().count(TEXT) == 0


def test_the_same_comment_from_another_browser_after_publication_links_to_it(
    client, second_browser, article, moderator
):
    send(client, form_data(article))
    first = Comment.objects.get(comment=TEXT)
    first.moderate(Comment.State.PUBLISHED, moderator)
    response = send(second_browser, form_data(article))
    assert response.status_code == 200
    assert Comment.objects.filter(comment=TEXT).count() == 1
    _page, status, links = already_sent(response)
    assert "not posted a second time" in status.get_text()
    assert links == [f"/articles/nerve-pain/#c{first.pk}"]


def test_sent_again_where_it_was_written_twice_lands_on_this_browsers_own(
    client, other_reader, article
):
    """Past the rate limit's window, a browser's first post is not looked up (it has no key),
    so the same text can be held twice; sent a third time from the second browser, it lands
    on the one that browser sees, not on the first browser's."""
    send(client, form_data(article))
    caches["counters"].clear()  # the rate limit's window has passed
    send(other_reader, form_data(article))
    _first, second = Comment.objects.filter(comment=TEXT).order_by("pk")
    response = send(other_reader, form_data(article))
    assert response.status_code == 303
    assert response["Location"] == f"/articles/nerve-pain/#c{second.pk}"
    assert Comment.objects.filter(comment=TEXT).count() == 2


@pytest.mark.parametrize("published", [False, True])
def test_the_same_comment_from_a_browser_without_a_key_is_not_posted_twice(
    client, other_reader, article, moderator, published, django_capture_on_commit_callbacks
):
    """The writer's phone, or the same browser with its cookies cleared or its first answer
    lost (a double submit with script off): no commenter key, so the same text became a
    second comment, held twice, the moderators emailed twice. It is told it was received."""
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form_data(article))
    first = Comment.objects.get(comment=TEXT)
    if published:
        first.moderate(Comment.State.PUBLISHED, moderator)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(other_reader, form_data(article))
    assert response.status_code == 200
    assert Comment.objects.filter(comment=TEXT).count() == 1
    assert len(mail.outbox) == sent
    page, status, links = already_sent(response)
    assert page.h1.get_text() == "You already sent this comment"
    assert "not posted a second time" in status.get_text() and status.has_attr("autofocus")
    assert links == ([f"/articles/nerve-pain/#c{first.pk}"] if published else [])
    assert TEXT not in page.get_text()


def test_the_same_comment_from_another_device_is_found_whatever_the_emails_case(
    client, other_reader, article
):
    """The phone's keyboard wrote "Jo@Example.org" where the laptop had "jo@example.org": the
    rate limit counted one address (it lowercases), the look-up matched the email exactly and
    the same text became a second comment."""
    send(client, form_data(article, email="jo@example.org"))
    response = send(other_reader, form_data(article, email="Jo@Example.org"))
    assert response.status_code == 200
    assert Comment.objects.filter(comment=TEXT).count() == 1
    assert already_sent(response)[0].h1.get_text() == "You already sent this comment"


def test_the_same_comment_sent_again_past_the_rate_limit_is_told_it_was_received(
    settings, client, other_reader, article
):
    """Sent again is no new comment: not refused as one too many."""
    settings.COMMENTS_RATE_LIMIT = 1
    send(client, form_data(article))
    response = send(other_reader, form_data(article))
    assert response.status_code == 200
    assert "not posted a second time" in already_sent(response)[1].get_text()


def test_the_same_crisis_comment_from_another_browser_comes_with_the_resources(
    client, second_browser, article
):
    """Its writer may be in danger now: the resources come first, as under the comment."""
    text = "Some days I want to die."
    send(client, form_data(article, comment=text))
    response = send(second_browser, form_data(article, comment=text))
    page = soup(response)
    crisis = page.select_one(".crisis")
    assert crisis is not None and crisis.has_attr("autofocus")
    assert not page.find(attrs={"role": "status"}).has_attr("autofocus")


@pytest.mark.parametrize("published", [False, True])
def test_the_same_crisis_comment_from_a_browser_without_a_key_is_not_held_twice(
    client, other_reader, article, moderator, published, django_capture_on_commit_callbacks
):
    """The writer's phone (or the same browser, cookies cleared) has no commenter key: it was
    not looked up, so the same urgent comment was held twice, the moderators were emailed
    twice and the queue showed it twice. It is told it was received, with the resources."""
    text = "Some days I want to die."
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form_data(article, comment=text))
    first = Comment.objects.get(comment=text)
    if published:
        first.moderate(Comment.State.PUBLISHED, moderator)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(other_reader, form_data(article, comment=text))
    assert response.status_code == 200
    assert Comment.objects.filter(comment=text).count() == 1
    assert len(mail.outbox) == sent
    page, status, links = already_sent(response)
    assert "not posted a second time" in status.get_text()
    assert len(page.select(".crisis")) == 1
    assert links == ([f"/articles/nerve-pain/#c{first.pk}"] if published else [])


def test_a_held_comment_without_a_key_is_no_keyless_browsers_own(client, article):
    """A held comment with no commenter key hash (imported, or older than the keys) and a
    browser without a key sending the same crisis words: the browser is told it was received,
    not sent to the held comment's anchor, which it cannot see (both "had" an empty hash)."""
    text = "Some days I want to die."
    held = CommentFactory(article=article, comment=text, user_email="ann@example.org")
    held.state = Comment.State.PENDING
    held.commenter_key_hash = ""
    held.save()
    response = send(client, form_data(article, comment=text, email="ann@example.org"))
    assert response.status_code == 200
    page, status, links = already_sent(response)
    assert "not posted a second time" in status.get_text()
    assert links == []  # held: nothing to link to
    assert len(page.select(".crisis")) == 1
    assert Comment.objects.filter(comment=text).count() == 1


def test_the_same_words_later_in_another_place_are_a_new_comment(client, article):
    parent = CommentFactory(article=article)
    send(client, form_data(article, comment="Thank you!"))
    send(client, form_data(article, comment="Thank you!", reply_to=parent.pk))
    assert Comment.objects.filter(comment="Thank you!").count() == 2


def test_one_token_cannot_post_a_second_comment(client, article):
    data, token = form_data(article), new_form_token()
    send(client, data, token=token)
    response = send(client, {**data, "comment": "Another text entirely."}, token=token)
    assert response.status_code == 400
    assert Comment.objects.count() == 1
    assert "already used" in response.content.decode()
    assert_text_kept(response, "Another text entirely.")


def test_rate_limit_per_ip_answers_429_with_the_text(client, article):
    for n in range(5):
        data = form_data(article, email=f"r{n}@example.org", comment=f"Comment {n}")
        assert send(client, data).status_code == 303
    response = send(client, form_data(article, email="r6@example.org"))
    assert response.status_code == 429
    assert Comment.objects.count() == 5
    assert_text_kept(response)


def test_rate_limit_per_email_across_addresses(client, article):
    for n in range(5):
        send(client, form_data(article, comment=f"Comment {n}"), REMOTE_ADDR=f"198.51.100.{n}")
    response = send(client, form_data(article), REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429
    assert Comment.objects.count() == 5


def test_rate_limit_window_is_configurable(settings, client, article):
    settings.COMMENTS_RATE_LIMIT = 1
    assert send(client, form_data(article)).status_code == 303
    assert send(client, form_data(article, email="b@example.org")).status_code == 429


@pytest.mark.parametrize(
    "name",
    [
        "Ann\u200bReader",  # zero-width space
        "Ann\u202eredaeR",  # right-to-left override
        "\u2066Admin\u2069",  # isolates
        "Ann\u00adReader",  # soft hyphen (invisible)
        "Ann\u200dReader",  # zero-width joiner
    ],
)
def test_names_with_invisible_or_direction_changing_characters_are_refused(post, article, name):
    response = post(article, name=name)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "invisible or direction-changing" in response.content.decode()


@pytest.mark.parametrize("name", ["nervepain", "Moderator", "ADMIN"])
def test_names_reserved_for_the_site_are_refused(post, article, name):
    assert post(article, name=name).status_code == 400


def test_name_is_normalised(post, article):
    post(article, name="  Ann   Reader ")
    assert Comment.objects.get().user_name == "Ann Reader"


def test_direction_overrides_are_dropped_from_the_text(post, article):
    post(article, comment="safe \u202etxt.exe")
    assert Comment.objects.get().comment == "safe txt.exe"


def test_remember_me_sets_a_cookie_only_when_ticked(client, post, article, other_reader):
    response = post(article, remember="on", url="https://ann.example")
    assert response.cookies["np_remember"].value
    assert response.cookies["np_remember"]["httponly"]
    page = soup(client.get(article.get_absolute_url()))
    assert page.find("input", attrs={"name": "name"})["value"] == "Ann Reader"
    assert page.find("input", attrs={"name": "email"})["value"] == "ann@example.org"

    response = post(article, client=other_reader, email="bea@example.org", name="Bea")
    assert response.cookies["np_remember"].value == ""  # not ticked: nothing kept (cleared)
    page = soup(other_reader.get(article.get_absolute_url()))
    assert not page.find("input", attrs={"name": "name"}).get("value")


def test_reply_without_javascript_uses_a_link(client, article):
    parent = CommentFactory(article=article, user_name="Bea")
    page = soup(client.get(article.get_absolute_url()))
    link = page.select_one(f"#c{parent.pk} a.reply-link")
    assert link["href"] == f"?reply_to={parent.pk}#respond"

    page = soup(client.get(f"{article.get_absolute_url()}?reply_to={parent.pk}"))
    assert page.find("input", attrs={"name": "reply_to"})["value"] == str(parent.pk)
    note = page.select_one(".replying-to")
    assert not note.has_attr("hidden")
    assert "Bea" in note.get_text()


def test_reply_link_to_a_hidden_comment_is_ignored(client, article):
    held = CommentFactory(article=article, state=Comment.State.PENDING)
    page = soup(client.get(f"{article.get_absolute_url()}?reply_to={held.pk}", follow=True))
    assert not page.find("input", attrs={"name": "reply_to"}).get("value")


def test_get_on_the_post_url_is_not_allowed(client):
    assert client.get(POST_URL).status_code == 405


def test_post_naming_something_other_than_an_article_is_refused(client, article):
    data = form_data(article, content_type="auth.user", object_pk=str(UserFactory().pk))
    response = send(client, data)
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert_text_kept(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
    ],
)
def test_post_from_another_site_is_refused_with_the_text(client, article, headers):
    """Cross-site request forgery: a form on another site cannot post as this reader."""
    response = send(client, form_data(article), **headers)
    assert response.status_code == 403
    assert not Comment.objects.exists()
    assert_text_kept(response)


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_SEC_FETCH_SITE": "same-origin"}, {"HTTP_ORIGIN": "http://testserver"}, {}],
)
def test_post_from_this_site_is_accepted(client, article, headers):
    assert send(client, form_data(article), **headers).status_code == 303


def test_reader_pages_carry_no_per_reader_token(client, article):
    """The page can be shared from the cache: nothing in it belongs to one reader; the form's
    one-time token comes in a cookie, a new one with every page view."""
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert first.content == second.content
    assert set(first.cookies) == {FORM_COOKIE}
    assert first.cookies[FORM_COOKIE].value != second.cookies[FORM_COOKIE].value
    assert first.cookies[FORM_COOKIE]["httponly"]


def test_posting_reads_the_article_once(post, article, django_assert_num_queries):
    """The post's query budget: the same-text check, the spam list and trust; then the
    comment's rows in three tables, in one transaction (a savepoint inside the test's own).
    The moderation lists come from the cache, and the article from this process's copy read
    by the first post (nothing has changed since). A change that adds a query here should be
    a choice."""
    post(article, comment="A first comment warms the content type, rules and article copies.")
    with django_assert_num_queries(8) as captured:
        response = post(article, comment="Ice helped more than heat.")
    assert response.status_code == 303
    assert response["Location"] == Comment.objects.latest("pk").get_absolute_url()
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [q for q in sql if 'FROM "articles_article"' in q]
    assert [q.split('"')[1] for q in sql if q.startswith("INSERT")] == [
        "django_comments",
        "django_comments_xtd_xtdcomment",
        "comments_comment",
    ]
    assert not [q for q in sql if q.startswith("UPDATE")]
    rule_tables = ("comments_crisisphrase", "comments_moderationword", "comments_medicalclaim")
    assert not [q for q in sql if any(table in q for table in rule_tables)]


def article_reads(captured):
    return [q for q in captured.captured_queries if 'FROM "articles_article"' in q["sql"]]


@pytest.mark.parametrize(
    "change, status",
    [
        (lambda article: setattr(article, "allow_comments", False), 403),
        (lambda article: setattr(article, "status", Article.Status.DRAFT), 400),
        (
            lambda article: setattr(
                article, "published_at", timezone.now() + datetime.timedelta(1)
            ),
            400,
        ),
    ],
    ids=["comments closed", "unpublished", "rescheduled"],
)
def test_an_article_changed_since_the_last_post_is_read_again(
    post, article, change, status, django_assert_max_num_queries
):
    """The copy of the article a post keeps is dropped by any saved change to it: the next
    post reads the article again and sees it closed, unpublished or not yet due."""
    assert post(article, comment="A first comment, while the article is open.").status_code == 303
    change(article)
    article.save()
    with django_assert_max_num_queries(20) as captured:
        response = post(article, comment="A second comment, after the change.")
    assert len(article_reads(captured)) == 1
    assert response.status_code == status
    assert_text_kept(response, "A second comment, after the change.")
    assert Comment.objects.count() == 1


def test_a_browser_without_a_commenter_key_is_not_looked_up(
    post, article, other_reader, django_assert_num_queries
):
    """A browser's first post, from an address that sent nothing in the rate limit's window:
    a key made for it has earned no trust, and it cannot be sending a comment again (every
    post leaves a key, and the address's counter says it sent none lately): neither is
    asked of the database."""
    post(article, comment="A first comment warms the content type and rules caches.")
    with django_assert_num_queries(6) as captured:
        response = post(
            article, client=other_reader, email="bea@example.org", comment="My first comment."
        )
    assert response.status_code == 303
    assert not [q for q in captured.captured_queries if "trustedcommenter" in q["sql"]]
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert not [q for q in reads if 'FROM "django_comments"' in q]
    assert Comment.objects.latest("pk").commenter_key_hash  # the new key is kept, hashed


def test_a_browser_without_a_key_whose_address_sent_lately_is_looked_up_once(
    post, article, other_reader, django_assert_num_queries
):
    """The same address sent a comment in the rate limit's window (its counter, read anyway,
    says so): this may be it again from another device. One query on django-comments' table
    (its article index) finds nothing, and the post goes on; trust is still not asked."""
    post(article, comment="A first comment warms the content type and rules caches.")
    with django_assert_num_queries(7) as captured:
        response = post(article, client=other_reader, comment="Another comment, my phone.")
    assert response.status_code == 303
    assert not [q for q in captured.captured_queries if "trustedcommenter" in q["sql"]]
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len([q for q in reads if 'FROM "django_comments"' in q]) == 1


def test_a_new_thread_is_written_with_its_place_and_no_update(
    post, article, django_assert_num_queries
):
    """django-comments-xtd saves a new comment twice (its place in the thread needs its id);
    a comment that starts a thread gets its place in the INSERT of xtd's row instead."""
    post(article, comment="A first comment warms the content type cache.")
    with django_assert_num_queries(8) as captured:
        post(article, comment="Its own thread, in one go.")
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    comment = Comment.objects.latest("pk")
    assert (comment.thread_id, comment.parent_id, comment.level) == (comment.pk, comment.pk, 0)
    assert comment.order == 1


def test_a_reply_is_placed_in_its_thread_with_one_update(post, article, django_assert_num_queries):
    """A reply's place comes from its parent's: xtd's second save writes only the thread's
    columns of xtd's table (beside xtd's count of the parent's replies)."""
    parent = CommentFactory(article=article)
    post(article, comment="A first comment warms the content type and rules caches.")
    # The parent, then xtd's thread arithmetic: its parent again, the order of the replies.
    with django_assert_num_queries(16) as captured:
        post(article, comment="A reply to it.", reply_to=parent.pk)
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    place = [q for q in updates if "nested_count" not in q]
    assert len(place) == 1
    assert place[0].startswith('UPDATE "django_comments_xtd_xtdcomment" SET "thread_id"')
    reply = Comment.objects.latest("pk")
    assert (reply.thread_id, reply.parent_id, reply.level) == (parent.pk, parent.pk, 1)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("My feet burn at night since the exercises.", Comment.Reason.NOT_TRUSTED),
        ("I want to end my life, nothing helps.", Comment.Reason.CRISIS),
    ],
)
def test_a_post_without_a_key_looks_for_crisis_phrases_once(
    post, article, other_reader, monkeypatch, text, reason
):
    """The view looks for them (a crisis text sent again from another device is found) and
    the moderation rules take what it found: they looked again, every post from a browser
    without a commenter key, 70 microseconds a time."""
    from comments import health

    calls = []
    looked_for = health.crisis_phrases_in
    monkeypatch.setattr(
        health, "crisis_phrases_in", lambda *args: calls.append(args) or looked_for(*args)
    )
    post(article, client=other_reader, comment=text)
    assert len(calls) == 1
    assert Comment.objects.latest("pk").reason == reason


CONFIRM_NOTE = (
    "Check your email. To get emails when someone replies, open the link we send to "
    "a***@example.org (one a day, and none once the address is confirmed)."
)


def test_asking_for_reply_emails_says_where_the_confirmation_link_went(client, post, article):
    """Ticking "Email me when someone replies" from an unconfirmed address, the page after
    posting said nothing of the confirmation email (no reply email comes until it is opened):
    the writer's comment now says where the link went, the address masked, as a status."""
    post(article, followup="on")
    comment = Comment.objects.get()
    assert comment.followup
    page = soup(client.get(article.get_absolute_url()))
    note = page.find(id=f"c{comment.pk}").select_one(":scope > .confirm-email")
    assert note is not None
    assert note["role"] == "status"
    assert CONFIRM_NOTE in note.get_text()
    assert "ann@example.org" not in page.decode()


def test_a_confirmation_that_could_not_be_sent_is_not_said_to_be_sent(
    client, post, article, settings, django_capture_on_commit_callbacks, caplog
):
    """Sent in the request (the immediate backend), a refused confirmation email still had
    the comment say "We've sent a link": the writer waited for an email that never came. It
    says the link could not be sent, and how to ask again (the day's one request was not used
    up: the next comment's confirmation goes)."""
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.BrokenBackend"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        post(article, followup="on")
    comment = Comment.objects.get()
    page = soup(client.get(article.get_absolute_url()))
    note = page.find(id=f"c{comment.pk}").select_one(":scope > .confirm-email")
    assert "We've sent" not in note.get_text()
    assert note.get_text().startswith("We could not send you a link. The email to a***@example")
    assert "when you next comment" in note.get_text()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        post(article, followup="on", comment="Asking again.")
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    later = soup(client.get(article.get_absolute_url()))
    assert CONFIRM_NOTE in later.find(id=f"c{Comment.objects.latest('pk').pk}").get_text()


def test_the_note_says_nothing_of_the_addresss_history(
    client, post, article, django_capture_on_commit_callbacks
):
    """Anyone may type anyone's address: the note said "We've sent a link", "Check your email
    for our earlier link. We sent it to b***@example.com earlier today" (its owner commented
    today) or nothing (its owner confirmed reply emails), which told a stranger whether the
    owner comments on this health site. It reads the same in all three cases."""
    with django_capture_on_commit_callbacks(execute=True):
        post(article, followup="on", comment="My first comment.")
    with django_capture_on_commit_callbacks(execute=True):
        post(article, followup="on", comment="My second comment.", email="Ann@Example.org")
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]  # one link a day
    VerifiedEmail.objects.create(email="bob@example.org")
    post(article, followup="on", comment="My third comment.", email="bob@example.org")
    first, second, third = Comment.objects.order_by("pk")
    page = soup(client.get(article.get_absolute_url()))

    def note(comment):
        said = page.find(id=f"c{comment.pk}").select_one(":scope > .confirm-email")
        return " ".join(said.get_text().split())

    assert note(first) == CONFIRM_NOTE
    assert note(second) == CONFIRM_NOTE.replace("a***@example.org", "A***@Example.org")
    assert note(third) == CONFIRM_NOTE.replace("a***@", "b***@")


def test_the_confirmation_note_is_never_in_a_page_shared_with_others(
    client, post, article, other_reader, settings
):
    """The note names one reader's address: their page is their own (never stored), and the
    page and fragment caches other readers are served from never carry it."""
    CommentFactory(article=article, comment="A public one")
    other_reader.get(article.get_absolute_url())  # fills the page cache, before and after
    post(article, followup="on")
    own = client.get(article.get_absolute_url())
    assert "a***@example.org" in own.content.decode()
    assert "private" in own["Cache-Control"]
    for _ in range(2):  # a miss (stored), then a hit
        shared = other_reader.get(article.get_absolute_url()).content.decode()
        assert "a***@example.org" not in shared and "confirm-email" not in shared


def test_no_confirmation_note_without_reply_emails_asked_for(client, post, article):
    post(article)
    assert "confirm-email" not in client.get(article.get_absolute_url()).content.decode()


def test_no_note_once_this_browser_confirmed_the_address(client, post, article, other_reader):
    """Confirmed from this browser, its comments still said "Check your email" for a week.
    Confirmation is the browser's now, so dropping the note tells no other browser anything;
    another browser with the address keeps it."""
    post(article, followup="on")
    comment = Comment.objects.get()
    client.post(f"/comments/confirm/{sign_comment(comment.pk, 'confirm')}/")
    assert "confirm-email" not in client.get(article.get_absolute_url()).content.decode()
    post(article, client=other_reader, followup="on", comment="From my phone.")
    assert "confirm-email" in other_reader.get(article.get_absolute_url()).content.decode()
