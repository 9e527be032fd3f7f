"""Readers' own controls: edit and delete within the window from the writing browser, report a
comment, and the comments feed. Each state change is checked through the page cache."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments import controls, decisions
from comments.models import (
    Comment,
    CommentReport,
    CommentVersion,
    CrisisSupport,
    ModerationWord,
)
from comments.render import HELD_AGAIN_BECAUSE
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["page cache", "page and fragment caches", "fragment caches"])
def caches(request, settings):
    """Readers the page cache serves, and readers it cannot (built from fragments)."""
    settings.PAGE_CACHE_SECONDS = 0 if request.param == "fragment caches" else 300
    settings.FRAGMENT_CACHE_SECONDS = 0 if request.param == "page cache" else 300
    return request.param


def latest():
    return Comment.objects.latest("submit_date", "pk")


def page_after(response):
    return BeautifulSoup(response.content, "html.parser")


def page(client, url):
    return BeautifulSoup(client.get(url).content, "html.parser")


@pytest.fixture
def own_published(client, post, article, moderator):
    """A comment this browser (``client``) wrote, approved by a moderator a moment ago."""
    post(article, comment="Ice helped more than heat.")
    comment = latest()
    comment.moderate(Comment.State.PUBLISHED, moderator)
    return comment


def edit(client, comment, text, **headers):
    return client.post(f"/comments/{comment.pk}/edit/", {"comment": text}, **headers)


def test_the_writer_alone_sees_edit_and_delete_links(client, own_published, other_reader):
    url = own_published.content_object.get_absolute_url()
    mine = page(client, url).find(id=f"c{own_published.pk}")
    assert mine.select_one("a.edit-link")["href"] == f"/comments/{own_published.pk}/edit/"
    assert mine.find("a", href=f"/comments/{own_published.pk}/delete/") is not None
    theirs = page(other_reader, url).find(id=f"c{own_published.pk}")
    assert theirs.select_one(".own-controls") is None


def test_the_links_go_when_the_window_closes(client, own_published, settings):
    url = own_published.content_object.get_absolute_url()
    Comment.objects.filter(pk=own_published.pk).update(
        submit_date=timezone.now() - datetime.timedelta(minutes=16)
    )
    assert page(client, url).find(id=f"c{own_published.pk}").select_one(".own-controls") is None


def test_an_edit_shows_at_once_and_keeps_the_old_text(caches, client, own_published, other_reader):
    url = own_published.content_object.get_absolute_url()
    assert "Ice helped" in other_reader.get(url).content.decode()  # cached
    response = edit(client, own_published, "Ice helped more than heat, for me.")
    assert response.status_code == 303
    assert response["Location"].endswith(f"#c{own_published.pk}")
    own_published.refresh_from_db()
    assert own_published.state == Comment.State.PUBLISHED
    assert "Ice helped more than heat, for me." in other_reader.get(url).content.decode()
    version = CommentVersion.objects.get(comment=own_published)
    assert (version.text, version.state, version.change) == (
        "Ice helped more than heat.",
        "published",
        "edited",
    )


@pytest.mark.parametrize(
    ("addition", "reason"),
    [
        (" See https://example.org/ice", Comment.Reason.EDITED),
        (" Take 600 mg of gabapentin daily.", Comment.Reason.MEDICAL),
        (" Also buy-my-cream.", Comment.Reason.HOLD_WORD),
        (" Some nights I want to die.", Comment.Reason.CRISIS),
    ],
)
def test_an_edit_adding_a_link_or_a_held_phrase_goes_back_to_moderation(
    caches,
    client,
    own_published,
    other_reader,
    addition,
    reason,
    django_capture_on_commit_callbacks,
):
    ModerationWord.objects.create(word="buy-my-cream", action="hold")
    url = own_published.content_object.get_absolute_url()
    other_reader.get(url)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, own_published, own_published.comment + addition)
    own_published.refresh_from_db()
    assert own_published.state == Comment.State.PENDING
    assert own_published.reason == reason
    assert own_published.urgent is (reason == Comment.Reason.CRISIS)
    assert f'id="c{own_published.pk}"' not in other_reader.get(url).content.decode()
    awaiting = page(client, url).find(id=f"c{own_published.pk}").select_one(".awaiting")
    assert awaiting.get_text() == (  # why, where it said only "awaiting moderation"
        f"Your edited comment is awaiting moderation, because {HELD_AGAIN_BECAUSE[reason]}: "
        "a moderator reads it before others see it again. Only you can see it, in this browser."
    )
    assert len(mail.outbox) == 1
    assert ("URGENT" in mail.outbox[0].subject) is (reason == Comment.Reason.CRISIS)


def test_a_held_edit_edited_again_no_longer_names_what_held_it(client, own_published):
    """It said "because your edit added a link" after a second edit had taken the link out."""
    url = own_published.content_object.get_absolute_url()
    edit(client, own_published, "Ice helped. See https://example.org/ice")
    edit(client, own_published, "Ice helped, really.")
    own_published.refresh_from_db()
    assert own_published.state == Comment.State.PENDING
    awaiting = page(client, url).find(id=f"c{own_published.pk}").select_one(".awaiting")
    assert awaiting.get_text() == (
        "Your edited comment is awaiting moderation: a moderator reads it before others see it "
        "again. Only you can see it, in this browser."
    )


def test_a_link_added_to_a_held_comment_keeps_why_it_was_held(client, post, article):
    """The queue read "Edited after publication (added a link)" for a comment never
    published, and why it had been held was gone."""
    post(article, comment="Take 600 mg of gabapentin daily.")
    held = latest()
    assert (held.state, held.reason) == (Comment.State.PENDING, Comment.Reason.MEDICAL)
    edit(client, held, "Take 600 mg of gabapentin daily. https://example.org/gaba")
    held.refresh_from_db()
    assert (held.state, held.reason) == (Comment.State.PENDING, Comment.Reason.MEDICAL)


def test_a_comment_held_by_a_moderator_or_on_posting_does_not_blame_an_edit(
    client, own_published, moderator, post, article
):
    """Edited while public and unapproved by a moderator later, or held when posted: the
    note says only that it waits."""
    edit(client, own_published, "Ice helped more than heat, for me.")  # stays published
    own_published.refresh_from_db()
    own_published.reason = Comment.Reason.EDITED
    own_published.moderate(Comment.State.PENDING, moderator)
    post(article, comment="A new one, see https://example.org/")
    new = latest()
    assert new.state == Comment.State.PENDING
    post(article, comment="Take 600 mg of gabapentin daily.")  # held for it on posting
    medical = latest()
    assert medical.reason == Comment.Reason.MEDICAL
    edit(client, medical, "Take 600 mg of gabapentin daily, my doctor said.")  # edited, held
    shown = page(client, article.get_absolute_url())
    for comment in (own_published, new, medical):
        assert shown.find(id=f"c{comment.pk}").select_one(".awaiting").get_text() == (
            "Your comment is awaiting moderation. Only you can see it, in this browser."
        )


def test_an_edit_keeping_an_approved_link_stays_published(client, post, article, moderator):
    post(article, comment="Useful: https://example.org/a and https://example.org/b")
    comment = latest()
    comment.moderate(Comment.State.PUBLISHED, moderator)
    edit(client, comment, "Very useful: https://example.org/a and https://example.org/b")
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED


def test_an_edit_adding_a_disallowed_word_is_refused_and_the_text_kept(client, own_published):
    ModerationWord.objects.create(word="casino", action="disallow")
    response = edit(client, own_published, "Ice helped. casino")
    assert response.status_code == 400
    content = response.content.decode()
    assert "does not accept" in content and "Ice helped. casino" in content
    own_published.refresh_from_db()
    assert own_published.comment == "Ice helped more than heat."


def test_an_unchanged_text_is_no_edit_after_a_moderator_saved_the_comment(
    client, post, article, moderator, moderator_client
):
    """Browsers send line breaks as CRLF; the admin's text boxes store LF. Once a moderator
    had saved the comment (its name corrected, say), sending the same text back from "Edit"
    recorded an earlier version identical to it."""
    post(article, comment="Ice helped.\r\n\r\nHeat did not.")
    comment = latest()
    assert comment.comment == "Ice helped.\n\nHeat did not."
    comment.moderate(Comment.State.PUBLISHED, moderator)
    form = {"user_name": "Maria", "user_url": "", "comment": "Ice helped.\r\n\r\nHeat did not."}
    response = moderator_client.post(f"/admin/comments/comment/{comment.pk}/change/", form)
    assert response.status_code == 302
    assert edit(client, comment, "Ice helped.\r\n\r\nHeat did not.").status_code == 303
    assert not CommentVersion.objects.filter(comment=comment).exists()
    comment.refresh_from_db()
    assert (comment.user_name, comment.state) == ("Maria", Comment.State.PUBLISHED)


def test_an_empty_edit_is_refused_with_the_reason(client, own_published):
    response = edit(client, own_published, "   ")
    assert response.status_code == 400
    assert "Please write a comment." in response.content.decode()


def test_an_edit_of_only_invisible_characters_is_refused_and_kept(client, own_published):
    """The post form refuses a comment a reader would see nothing of; an edit saved one (a
    zero-width space stood in for the text, and the comment read as empty to everyone)."""
    text = "\u200b\u2060\u200b"
    response = edit(client, own_published, text)
    assert response.status_code == 400
    page = page_after(response)
    assert "Your comment has no visible text" in page.select_one(".problem").get_text()
    assert page.select_one("form.edit-form textarea").get_text() == text
    own_published.refresh_from_db()
    assert own_published.comment == "Ice helped more than heat."


@pytest.mark.parametrize("text", ["", "   ", "x" * 3001, "\u200b"])
def test_a_refused_edit_says_why_in_the_title_and_the_box(client, own_published, text):
    """Sent past the browser's own checks (no script, an old browser, a tool): the page's
    title says the changes were not saved, where it read as a fresh edit page, and the box
    is described by the reason, so a reader who goes back to it hears why again."""
    page = page_after(edit(client, own_published, text))
    assert page.title.get_text().startswith("Your changes were not saved: Edit your comment")
    box = page.select_one("form.edit-form textarea")
    reason = page.find(id=box["aria-describedby"].split()[0])
    assert reason is not None and reason.get_text() == page.select_one(".problem").get_text()
    assert box["aria-invalid"] == "true"
    assert (
        not page_after(client.get(f"/comments/{own_published.pk}/edit/"))
        .title.get_text()
        .startswith("Your changes")
    )


def test_the_edit_page_works_without_script(client, own_published):
    response = client.get(f"/comments/{own_published.pk}/edit/")
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").select_one("form.edit-form")
    assert form["method"] == "post"
    assert form.textarea.get_text() == "Ice helped more than heat."


def test_the_edit_form_checks_as_the_reply_form_does_and_says_by_its_button_until_when(
    client, own_published
):
    """An empty edit got the browser's bubble ("Please fill in this field") before our own
    message, where "Leave a Reply" has ``novalidate``; and without script the page never
    changes as the time runs out, its "for the next 14 minutes" going stale above the box: by
    the Save button it says until when a save is taken, a clock time that stays true, read
    with the button."""
    page = BeautifulSoup(client.get(f"/comments/{own_published.pk}/edit/").content, "html.parser")
    form = page.select_one("form.edit-form")
    assert form.has_attr("novalidate")
    deadline = own_published.submit_date + datetime.timedelta(minutes=15)
    actions = form.select_one(".form-actions")
    until = actions.find(id=actions.button["aria-describedby"])
    assert " ".join(until.get_text().split()) == f"You can save it until {deadline:%H:%M} UTC."
    assert int(until["data-deadline"]) == int(deadline.timestamp())  # comments.js: local time


def test_the_edit_form_says_until_when_and_that_a_link_is_read_again(client, own_published):
    """With script the edit form alone is shown under the comment (comments.js takes
    form.edit-form from this page): the deadline and "a moderator may read it again if you add
    a link" were outside it, so a writer editing in place was told neither."""
    page = BeautifulSoup(client.get(f"/comments/{own_published.pk}/edit/").content, "html.parser")
    form = page.select_one("form.edit-form")
    terms = form.find(id="id_edit_comment_terms")
    assert terms.get_text().startswith("You can edit it for the next ")
    # Advice about medicines is read again too (a medical claim): it said only "a link".
    assert (
        "A moderator may read it again before others see it if you add a link, or advice "
        "about medicines or treatment." in terms.get_text()
    )
    assert "id_edit_comment_terms" in form.textarea["aria-describedby"].split()


def test_the_edit_window_is_told_in_minutes_left_then_in_utc(client, own_published, monkeypatch):
    """It said only "You can edit it until 16:15 UTC": a reader elsewhere had to convert from
    UTC to know how long they had. Minutes left need no time zone; the clock time stays for
    reference (comments.js says it in the reader's own time). Rounded down, never a minute
    too many, and the page is never stored: the count is true only now."""
    deadline = own_published.submit_date + datetime.timedelta(minutes=15)
    url = f"/comments/{own_published.pk}/edit/"
    for left, says in (
        (datetime.timedelta(minutes=14, seconds=59), "for the next 14 minutes"),
        (datetime.timedelta(seconds=61), "for the next 1 minute"),
        (datetime.timedelta(seconds=59), "for less than a minute"),
    ):
        monkeypatch.setattr(timezone, "now", lambda left=left: deadline - left)
        response = client.get(url)
        terms = page_after(response).find(id="id_edit_comment_terms")
        text = " ".join(terms.get_text().split())
        assert text.startswith(f"You can edit it {says} (until {deadline:%H:%M} UTC). "), text
        window = terms.select_one(".edit-window")
        assert int(window["data-deadline"]) == int(deadline.timestamp())
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_an_edit_over_the_limit_comes_back_whole(client, own_published):
    page = BeautifulSoup(client.get(f"/comments/{own_published.pk}/edit/").content, "html.parser")
    box = page.select_one("form.edit-form textarea")
    assert not box.has_attr("maxlength") and box["data-maxlength"] == "3000"
    assert page.find(id="id_edit_comment_count").get_text() == (
        "You can enter up to 3,000 characters."
    )
    longer = "x" * 3001
    response = edit(client, own_published, longer)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("form.edit-form textarea").get_text() == longer
    problem = page.select_one(".problem")
    # Written as the hint above writes its number: "3,000", not "3000".
    assert "3,001 characters long; the limit is 3,000" in problem.get_text()
    # The page opens on the message, as the refused comment's page does (NHS.UK's summary).
    assert problem.has_attr("autofocus") and problem["tabindex"] == "-1"
    own_published.refresh_from_db()
    assert own_published.comment == "Ice helped more than heat."


def test_edit_is_refused_after_the_window(client, own_published, settings):
    settings.COMMENTS_EDIT_MINUTES = 15
    Comment.objects.filter(pk=own_published.pk).update(
        submit_date=timezone.now() - datetime.timedelta(minutes=15, seconds=1)
    )
    response = edit(client, own_published, "Too late to change.")
    assert response.status_code == 403
    assert "can no longer be changed" in response.content.decode()
    # The changed text, typed as the window closed, is given back to copy, with a way on.
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("textarea", id="kept-text").get_text() == "Too late to change."
    assert page.find("label", attrs={"for": "kept-text"}) is not None
    assert page.select_one(".problem a")["href"] == "/contact/"
    own_published.refresh_from_db()
    assert own_published.comment == "Ice helped more than heat."


def test_edit_is_refused_from_another_browser(own_published, other_reader):
    assert edit(other_reader, own_published, "Not mine.").status_code == 403
    assert other_reader.get(f"/comments/{own_published.pk}/edit/").status_code == 403


def test_edit_is_refused_from_another_site(client, own_published):
    response = edit(client, own_published, "Forged.", HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    own_published.refresh_from_db()
    assert own_published.comment == "Ice helped more than heat."


def test_edit_from_another_site_is_refused_with_the_way_back(client, own_published):
    """The refusal kept the text but had no link to the article: a dead end on a phone."""
    response = edit(client, own_published, "Forged.", HTTP_SEC_FETCH_SITE="cross-site")
    page = page_after(response)
    assert page.find("textarea", id="kept-text").get_text() == "Forged."
    back = page.select_one("main").find("a", href="/articles/nerve-pain/#comments")
    assert back.get_text() == "Back to Nerve pain"


def test_an_edit_of_a_comment_taken_down_meanwhile_keeps_the_text(
    client, own_published, moderator, other_reader
):
    """A moderator took the comment down while its writer was editing it: the save answered
    "Page not found", and the new text was lost."""
    own_published.moderate(Comment.State.REMOVED, moderator)
    response = edit(client, own_published, "What I meant to say, rewritten.")
    assert response.status_code == 404
    page = page_after(response)
    assert "no longer shown" in page.select_one(".problem").get_text()
    assert page.find("textarea", id="kept-text").get_text() == "What I meant to say, rewritten."
    back = page.select_one("main").find("a", href="/articles/nerve-pain/#comments")
    assert back is not None
    own_published.refresh_from_db()
    assert own_published.comment == "Ice helped more than heat."
    # Another browser's text comes back to it too, but not the article the comment was on.
    other = page_after(edit(other_reader, own_published, "Not mine."))
    assert other.find("textarea", id="kept-text").get_text() == "Not mine."
    assert other.select_one("main").find("a", href="/articles/nerve-pain/#comments") is None
    assert client.get(f"/comments/{own_published.pk}/edit/").status_code == 404


def test_delete_hides_the_comment_at_once_and_keeps_the_replies_to_it(
    caches, client, own_published, other_reader
):
    """The others' replies stay, under "Comment deleted by its writer" in its place: a
    writer's delete took every reply under it off the page, words written for them by others
    (often the support they had asked for). Nothing of the writer's is left in the place:
    name, text, date, nor a way to reply to it or report it."""
    reply = CommentFactory(
        article=own_published.content_object, parent=own_published, comment="Try a cold pack."
    )
    alone = CommentFactory(article=own_published.content_object, comment="Heat, for me.")
    url = own_published.content_object.get_absolute_url()
    assert "Ice helped" in other_reader.get(url).content.decode()
    assert client.get(f"/comments/{own_published.pk}/delete/").status_code == 200  # asks first
    response = client.post(f"/comments/{own_published.pk}/delete/")
    assert response.status_code == 303
    own_published.refresh_from_db()
    assert own_published.state == Comment.State.REMOVED
    assert own_published.reason == Comment.Reason.WITHDRAWN
    assert CommentVersion.objects.get(comment=own_published).change == "deleted"
    for reader in (other_reader, client):
        shown = page(reader, url)
        place = shown.find(id=f"c{own_published.pk}")
        assert place.find("p", recursive=False).get_text() == "Comment deleted by its writer"
        assert place.find(id=f"c{reply.pk}").select_one(".comment-text").get_text() == (
            "Try a cold pack."
        )
        assert [a["href"] for a in place.find_all("a", recursive=False)] == []
        assert "Ice helped" not in str(shown)
        assert own_published.user_name not in place.find("p", recursive=False).get_text()
        assert shown.find(id=f"c{alone.pk}") is not None
        assert heading_count(reader, url) == comment_count_in_json_ld(reader, url) == 2
        assert listed_counts(reader)[url] == 2


def test_a_moderators_page_links_a_deleted_comments_place_to_its_page(
    client, own_published, moderator
):
    """The Removed tab was the only way from the article to such a comment."""
    CommentFactory(article=own_published.content_object, parent=own_published)
    client.post(f"/comments/{own_published.pk}/delete/")
    moderating = Client()
    moderating.force_login(moderator)
    place = page(moderating, own_published.content_object.get_absolute_url()).find(
        id=f"c{own_published.pk}"
    )
    link = place.find("p", recursive=False).select_one("a.moderate-link")
    assert link["href"] == f"/admin/comments/comment/{own_published.pk}/change/"
    assert link.get_text() == "Moderate comment deleted by its writer"


@pytest.mark.parametrize("how", ["emptied after the retention period", "erased"])
def test_a_deleted_comments_place_outlives_the_purge_of_its_writers_data(
    client, own_published, other_reader, settings, how
):
    """Emptied of its writer's data after the retention period (or erased at their request),
    its record of the delete went with its earlier texts: the place and the others' replies
    under it left the page."""
    from comments.privacy import empty_old_removed, erase_commenter

    reply = CommentFactory(article=own_published.content_object, parent=own_published)
    client.post(f"/comments/{own_published.pk}/delete/")
    if how == "erased":
        erase_commenter(own_published.user_email, keep_text=False, by="test")
    else:
        old = timezone.now() - datetime.timedelta(days=31)
        Comment.objects.filter(pk=own_published.pk).update(moderated_at=old)
        assert empty_old_removed(30) == 1
    shown = page(other_reader, own_published.content_object.get_absolute_url())
    assert shown.find(id=f"c{own_published.pk}")["class"] == ["withdrawn"]
    assert shown.find(id=f"c{reply.pk}") is not None
    assert not CommentVersion.objects.filter(comment=own_published).exclude(text="").exists()


def test_a_deleted_comment_without_replies_leaves_no_place(caches, client, own_published):
    """Nothing stands in for a deleted comment no one answered, nor for one answered only by
    comments deleted too, or held."""
    article = own_published.content_object
    gone = CommentFactory(article=article, parent=own_published)
    CommentFactory(article=article, parent=gone, state=Comment.State.PENDING)
    controls.delete_own(gone)
    client.post(f"/comments/{own_published.pk}/delete/")
    shown = page(client, article.get_absolute_url())
    assert shown.find(id=f"c{own_published.pk}") is None
    assert shown.find(id=f"c{gone.pk}") is None
    assert shown.select(".withdrawn") == []


def test_places_of_deleted_comments_keep_a_deeper_reply(caches, client, article, other_reader):
    """A reply under two comments deleted in turn keeps both places, and the feed has it."""
    top = CommentFactory(article=article, comment="Top")
    middle = CommentFactory(article=article, parent=top, comment="Middle")
    deep = CommentFactory(article=article, parent=middle, comment="Deep")
    controls.delete_own(middle)
    controls.delete_own(Comment.objects.get(pk=top.pk))
    url = article.get_absolute_url()
    shown = page(other_reader, url)
    assert [li["id"] for li in shown.select(".comment-list li")] == [
        f"c{top.pk}",
        f"c{middle.pk}",
        f"c{deep.pk}",
    ]
    assert [li["id"] for li in shown.select(".withdrawn")] == [f"c{top.pk}", f"c{middle.pk}"]
    assert heading_count(other_reader, url) == listed_counts(other_reader)[url] == 1
    feed = other_reader.get(f"/comments/feed/{article.pk}/").content.decode()
    assert f"#c{deep.pk}" in feed and f"#c{middle.pk}" not in feed


def test_a_deleted_comments_place_goes_once_a_moderator_decides_on_it(
    caches, article, moderator, other_reader
):
    """Approved and then removed by a moderator, a comment its writer had deleted stood as
    "Comment deleted by its writer" with its replies public (its reason stays "Deleted by
    its writer"); and once restored to the queue or marked as spam, readers were served the
    cached page with the place and replies for as long as it was kept."""
    url = article.get_absolute_url()
    for decision in ("restore", "spam", "approve then remove"):
        top = CommentFactory(article=article, comment="Top")
        reply = CommentFactory(article=article, parent=top, comment="Reply")
        controls.delete_own(top)
        assert page(other_reader, url).find(id=f"c{reply.pk}") is not None  # cached now
        top = Comment.objects.get(pk=top.pk)
        if decision == "restore":
            decisions.decide([top], Comment.State.PENDING, moderator)
        elif decision == "spam":
            decisions.decide([top], Comment.State.SPAM, moderator)
        else:
            decisions.decide([top], Comment.State.PUBLISHED, moderator)
            decisions.decide([Comment.objects.get(pk=top.pk)], Comment.State.REMOVED, moderator)
        shown = page(other_reader, url)
        assert shown.find(id=f"c{top.pk}") is None, decision
        assert shown.find(id=f"c{reply.pk}") is None, decision


@pytest.mark.parametrize("state", ["pending", "spam", "published"])
def test_undoing_a_decision_on_a_deleted_comment_brings_its_place_back(
    caches, article, moderator, other_reader, state
):
    """Undo recorded the moderator as having removed it: the place, and the replies under it,
    stayed off the page for good."""
    top = CommentFactory(article=article, comment="Top")
    reply = CommentFactory(article=article, parent=top, comment="Reply")
    controls.delete_own(top)
    changed = decisions.decide([Comment.objects.get(pk=top.pk)], state, moderator)
    url = article.get_absolute_url()
    if state != "published":
        assert page(other_reader, url).find(id=f"c{reply.pk}") is None
    token = decisions.undo_token(changed, state)
    assert decisions.undo(decisions.read_undo_token(token), moderator)
    shown = page(other_reader, url)
    assert shown.find(id=f"c{top.pk}")["class"] == ["withdrawn"]
    assert shown.find(id=f"c{reply.pk}") is not None


def test_deleting_a_comment_a_moderator_held_keeps_its_replies_off_the_page(
    client, own_published, moderator, other_reader
):
    """The writer's delete put back on the page the replies a moderator's hold had taken off
    (an abusive one, say), with nothing said to the moderator."""
    article = own_published.content_object
    reply = CommentFactory(article=article, parent=own_published, comment="Abuse.")
    decisions.decide([own_published], Comment.State.PENDING, moderator)
    url = article.get_absolute_url()
    assert page(other_reader, url).find(id=f"c{reply.pk}") is None
    asking = page(client, f"/comments/{own_published.pk}/delete/").get_text()
    assert "stays" not in asking and "stay," not in asking  # nothing to promise
    response = client.post(f"/comments/{own_published.pk}/delete/")
    assert response.status_code == 303
    assert "stays" not in page(client, response["Location"]).get_text()
    shown = page(other_reader, url)
    assert shown.find(id=f"c{own_published.pk}") is None
    assert shown.find(id=f"c{reply.pk}") is None


def test_a_reply_at_the_deepest_level_under_a_deleted_comment_is_posted_in_its_place(
    client, post, article, moderator
):
    """Its Reply link led to "The conversation you replied to is no longer available": a
    reply there goes under the comment above, which its writer had deleted. Once the comment
    it answers is deleted too, the reply says it answered a deleted comment."""
    top = CommentFactory(article=article, comment="Top")
    middle = CommentFactory(article=article, parent=top, comment="Middle")
    deepest = CommentFactory(article=article, parent=middle, comment="Deepest", user_name="Pat")
    assert deepest.level == 2
    controls.delete_own(middle)
    response = post(article, comment="I agree with Pat.", reply_to=deepest.pk)
    assert response.status_code in (302, 303), response.content.decode()
    reply = latest()
    assert (reply.parent_id, reply.replied_to) == (middle.pk, deepest.pk)
    reply.moderate(Comment.State.PUBLISHED, moderator)
    url = article.get_absolute_url()
    said = page(Client(), url).find(id=f"c{reply.pk}").select_one(".in-reply-to")
    assert said.get_text() == "In reply to Pat"
    controls.delete_own(Comment.objects.get(pk=deepest.pk))
    shown = page(Client(), url)
    assert shown.find(id=f"c{deepest.pk}") is None  # nothing under it: no place
    said = shown.find(id=f"c{reply.pk}").select_one(".in-reply-to")
    assert said.get_text() == "In reply to a deleted comment" and said.a is None


def test_a_comment_a_moderator_removed_still_takes_its_replies(caches, article, moderator):
    top = CommentFactory(article=article, comment="Top")
    reply = CommentFactory(article=article, parent=top, comment="Reply")
    top.moderate(Comment.State.REMOVED, moderator)
    url, reader = article.get_absolute_url(), Client()
    assert page(reader, url).select(".comment-list li") == []
    assert listed_counts(reader)[url] == 0
    assert f"#c{reply.pk}" not in reader.get(f"/comments/feed/{article.pk}/").content.decode()


def test_after_deleting_the_writer_is_told_it_worked(caches, client, own_published, other_reader):
    """The delete lands on a page of its own saying it was done (not the article, whose page
    may be a shared copy), focused, with the way back; a reload deletes nothing again, and
    no other browser gets the page."""
    response = client.post(f"/comments/{own_published.pk}/delete/")
    assert response.status_code == 303
    assert response["Location"] == f"/comments/{own_published.pk}/deleted/"
    landed = client.get(response["Location"])
    assert landed.status_code == 200
    assert "private" in landed["Cache-Control"]
    soup = BeautifulSoup(landed.content, "html.parser")
    assert soup.h1.get_text() == "Your comment was deleted"
    status = soup.find(attrs={"role": "status"})
    assert status.has_attr("autofocus") and status["tabindex"] == "-1"
    assert "no longer shown to anyone" in status.get_text()
    assert "repl" not in status.get_text()  # it had none
    url = own_published.content_object.get_absolute_url()
    assert soup.find("a", href=f"{url}#comments").get_text() == "Back to the discussion"
    assert client.get(response["Location"]).status_code == 200  # a reload only shows it again
    assert CommentVersion.objects.filter(comment=own_published).count() == 1
    assert other_reader.get(response["Location"]).status_code == 404


def test_after_deleting_the_writer_is_shown_how_to_have_it_erased(client, own_published):
    """Told only that "the site's moderators can still read it", a writer who regrets what
    they shared had nothing to do about it: the page leads to the privacy page's erasure
    section, which says that erasure covers a deleted comment and how to ask for it."""
    landed = client.get(client.post(f"/comments/{own_published.pk}/delete/")["Location"])
    soup = BeautifulSoup(landed.content, "html.parser")
    link = soup.find("a", string="how to ask, and what erasure removes")
    assert link["href"] == "/privacy/#your-copy-and-erasure"
    assert "can still read it for 30 days; then your words and details are removed" in (
        soup.find(attrs={"role": "status"}).get_text()
    )
    assert "ask the editors to erase it now" in link.parent.get_text()
    privacy = BeautifulSoup(client.get("/privacy/").content, "html.parser")
    section = privacy.find(id="your-copy-and-erasure")
    told = " ".join(p.get_text() for p in section.find_next_siblings("p"))
    assert "the ones you deleted yourself included" in told
    assert "To ask, write to the editors of this site from the email address" in told
    how_long = privacy.find(id="how-long").find_next_sibling("p").get_text()
    assert "the moderators can still read it for 30 days" in how_long


def test_back_to_the_delete_page_after_deleting_says_it_was_deleted(
    client, own_published, other_reader
):
    """Back from the confirmation (or the form sent again) was "Page not found", as if the
    delete had failed: it lands on the confirmation again. Other browsers still get 404."""
    url = f"/comments/{own_published.pk}/delete/"
    client.post(url)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 303
        assert response["Location"] == f"/comments/{own_published.pk}/deleted/"
    assert CommentVersion.objects.filter(comment=own_published).count() == 1
    assert other_reader.get(url).status_code == 404


def test_deleting_a_comment_with_replies_says_they_stay(client, own_published, article):
    """The writer is told before and after that the replies stay, with the number of public
    ones (a held one is not theirs to know of; one under a reply deleted too counts)."""
    reply = CommentFactory(article=article, parent=own_published)
    CommentFactory(article=article, parent=reply)
    CommentFactory(article=article, parent=own_published, state=Comment.State.PENDING)
    deleted = CommentFactory(article=article, parent=own_published)
    CommentFactory(article=article, parent=deleted)
    controls.delete_own(deleted)
    said = "The 3 replies under it stay, under the words “Comment deleted by its writer”"
    asking = page(client, f"/comments/{own_published.pk}/delete/")
    assert said in asking.get_text()
    response = client.post(f"/comments/{own_published.pk}/delete/")
    landed = page(client, response["Location"])
    assert said in landed.find(attrs={"role": "status"}).get_text()


def test_the_deleted_page_is_only_for_a_comment_its_writer_deleted(
    client, own_published, moderator
):
    """A comment a moderator removed, or one still shown, has no "you deleted it" page."""
    assert client.get(f"/comments/{own_published.pk}/deleted/").status_code == 404
    own_published.moderate(Comment.State.REMOVED, moderator)
    assert client.get(f"/comments/{own_published.pk}/deleted/").status_code == 404


def test_delete_is_refused_after_the_window(client, own_published):
    Comment.objects.filter(pk=own_published.pk).update(
        submit_date=timezone.now() - datetime.timedelta(minutes=20)
    )
    assert client.post(f"/comments/{own_published.pk}/delete/").status_code == 403
    own_published.refresh_from_db()
    assert own_published.state == Comment.State.PUBLISHED


def test_moderators_see_every_earlier_version(client, own_published, moderator_client):
    edit(client, own_published, "Second text.")
    edit(client, own_published, "Third text.")
    response = moderator_client.get(
        f"/admin/comments/commentversion/?comment__id__exact={own_published.pk}"
    )
    content = response.content.decode()
    assert "Ice helped more than heat." in content and "Second text." in content
    version = CommentVersion.objects.first()
    assert (
        moderator_client.get(f"/admin/comments/commentversion/{version.pk}/change/").status_code
        == 200
    )
    assert (
        moderator_client.post(
            f"/admin/comments/commentversion/{version.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )


# Reports


def report(browser, comment, reason="abusive", text="", **headers):
    """Sent, and followed to the thanks (a page of its own) or the form sent back."""
    return browser.post(
        f"/comments/{comment.pk}/report/",
        {"reason": reason, "text": text},
        follow=True,
        **headers,
    )


def test_the_thanks_for_a_report_is_a_page_of_its_own_a_reload_sends_nothing(
    client, article, other_reader
):
    """It was the POST's answer: reloading it asked to send the form again, and then said
    "You had already reported this comment". Only the browser that reported gets it."""
    comment = CommentFactory(article=article)
    sent = client.post(f"/comments/{comment.pk}/report/", {"reason": "abusive", "text": "Rude."})
    assert sent.status_code == 303
    assert sent["Location"] == f"/comments/{comment.pk}/reported/"
    for _reload in range(2):
        thanks = client.get(sent["Location"])
        assert "Your report was sent to the moderators." in (
            page_after(thanks).find(role="status").get_text()
        )
        assert "no-store" in thanks["Cache-Control"] and "private" in thanks["Cache-Control"]
    assert CommentReport.objects.get().text == "Rude."
    assert other_reader.get(sent["Location"]).status_code == 404
    assert Client().get(sent["Location"]).status_code == 404
    again = client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    assert again["Location"] == f"/comments/{comment.pk}/reported/?again=1"
    assert "You had already reported this comment" in page(client, again["Location"]).get_text()
    worried = CommentFactory(article=article)
    sent = client.post(f"/comments/{worried.pk}/report/", {"reason": "worried"})
    thanks = page(client, sent["Location"])
    assert "The moderators have been told at once." in thanks.find(role="status").get_text()
    assert thanks.select_one("section.crisis") is not None


def test_every_public_comment_has_a_report_link_and_held_ones_none(client, article):
    public = CommentFactory(article=article)
    held = CommentFactory(article=article, state="pending")
    soup = page(client, article.get_absolute_url())
    link = soup.find(id=f"c{public.pk}").find("a", href=f"/comments/{public.pk}/report/")
    assert link.get_text() == f"Report comment by {public.user_name}"
    assert soup.find(id=f"c{held.pk}") is None
    assert client.get(f"/comments/{held.pk}/report/").status_code == 404


def shown_and_named(link):
    """(The words a link shows, the name a screen reader gives it): hidden words count only in
    the name."""
    name = " ".join(link.get_text().split())
    for hidden in link.select(".visually-hidden"):
        hidden.extract()
    return " ".join(link.get_text().split()), name


def test_each_comments_links_are_named_for_it_beginning_with_the_word_shown(client, post, article):
    """A screen reader's list of links read "Reply, Report, Reply, Report...", each only
    described by its author: every comment's links are named for it, the visible word first
    (WCAG 2.5.3), the page showing what it showed; a writer's own Edit and Delete are named by
    the comment's time, since their comments share their name."""
    ann = CommentFactory(article=article, user_name="Ann")
    bob = CommentFactory(article=article, user_name="Bob <b>", parent=ann)
    post(article, comment="My own held comment.")
    mine = Comment.objects.latest("pk")
    soup = page(client, article.get_absolute_url())
    links = {}
    for pk in (ann.pk, bob.pk, mine.pk):
        item = soup.find(id=f"c{pk}")
        for link in item.find_all("a", recursive=False) + item.select(":scope > .own-controls a"):
            shown, name = shown_and_named(link)
            links[pk, shown] = name
    time = f"{mine.submit_date:%H:%M} UTC"
    assert links == {
        (ann.pk, "Reply"): "Reply to Ann",
        (ann.pk, "Report"): "Report comment by Ann",
        (bob.pk, "Reply"): "Reply to Bob <b>",  # escaped: text, not markup
        (bob.pk, "Report"): "Report comment by Bob <b>",
        (mine.pk, "Edit"): f"Edit your comment of {time}",
        (mine.pk, "Delete"): f"Delete your comment of {time}",
    }
    assert soup.select("a[aria-describedby]") == []  # named, no longer only described


def test_a_writers_own_public_comment_has_no_report_link(client, post, article):
    """Their own comment offered them Report beside Edit and Delete; every other reader's
    page has it."""
    post(article, comment="Ice helped more than heat.")
    mine = Comment.objects.latest("pk")
    Comment.objects.filter(pk=mine.pk).update(state=Comment.State.PUBLISHED)
    other = CommentFactory(article=article, user_name="Ann")
    soup = page(client, article.get_absolute_url())
    item = soup.find(id=f"c{mine.pk}")
    assert item.select(".own-controls a") and item.find("a", class_="reply-link")
    assert item.find("a", href=f"/comments/{mine.pk}/report/") is None
    assert soup.find(id=f"c{other.pk}").find("a", href=f"/comments/{other.pk}/report/")
    elsewhere = page(Client(), article.get_absolute_url())
    assert elsewhere.find(id=f"c{mine.pk}").find("a", href=f"/comments/{mine.pk}/report/")


def test_a_writers_own_comments_of_one_minute_are_named_apart(client, post, article):
    """Two comments sent in one minute were two "Edit your comment of 16:00 UTC" links (and
    two such Delete links): those of a shared minute are named by the second too; one alone in
    its minute keeps the shorter name."""
    for text in ["First thought.", "Second thought.", "Third thought."]:
        post(article, comment=text)
    first, second, third = Comment.objects.order_by("pk")
    minute = (timezone.now() - datetime.timedelta(minutes=1)).replace(microsecond=0)
    times = [
        minute.replace(second=5),
        minute.replace(second=40),
        (timezone.now() - datetime.timedelta(minutes=3)).replace(second=0, microsecond=0),
    ]
    for comment, when in zip([first, second, third], times, strict=True):
        Comment.objects.filter(pk=comment.pk).update(submit_date=when)
    soup = page(client, article.get_absolute_url())
    names = {
        comment.pk: [
            shown_and_named(link)[1]
            for link in soup.find(id=f"c{comment.pk}").select(".own-controls a")
        ]
        for comment in (first, second, third)
    }
    assert names == {
        first.pk: [
            f"Edit your comment of {times[0]:%H:%M:%S} UTC",
            f"Delete your comment of {times[0]:%H:%M:%S} UTC",
        ],
        second.pk: [
            f"Edit your comment of {times[1]:%H:%M:%S} UTC",
            f"Delete your comment of {times[1]:%H:%M:%S} UTC",
        ],
        third.pk: [
            f"Edit your comment of {times[2]:%H:%M} UTC",
            f"Delete your comment of {times[2]:%H:%M} UTC",
        ],
    }


@pytest.mark.parametrize("state", ["pending", "removed", "spam"])
def test_a_report_of_a_comment_hidden_meanwhile_says_so_and_keeps_the_words(client, article, state):
    """Others' reports, or a moderator, hid the comment while this reader wrote theirs: the
    report answered "Page not found" and its words were lost."""
    comment = CommentFactory(article=article, comment="Nobody would miss me.")
    Comment.objects.filter(pk=comment.pk).update(state=state)
    response = report(client, comment, "abusive", text="I know her from the clinic.")
    assert response.status_code == 404
    soup = page_after(response)
    assert soup.h1.get_text() == "Your report was not sent"
    assert "no longer shown" in soup.select_one(".problem").get_text()
    assert soup.find("textarea", id="kept-text").get_text() == "I know her from the clinic."
    assert soup.select_one("main").find("a", href="/articles/nerve-pain/#comments")
    assert "Nobody would miss me" not in soup.get_text()  # the comment is not public
    assert soup.find(id="danger-heading") is None
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("state", ["pending", "removed", "spam"])
def test_a_worry_about_the_writer_of_a_comment_hidden_meanwhile_reaches_the_moderators(
    client, article, moderator, state, django_capture_on_commit_callbacks
):
    """The worry is about a person, not about the comment being shown: it was "not sent", and
    a moderator who took the comment down, or was about to review it, never heard that a
    reader feared for its writer. It is recorded and mailed at once; the comment stays as it
    was (a held one comes first in the queue, as urgent), and the reader is told so, with the
    crisis resources."""
    comment = CommentFactory(article=article, comment="Nobody would miss me.")
    hidden_at = timezone.now() - datetime.timedelta(hours=2)  # the form was opened before
    Comment.objects.filter(pk=comment.pk).update(state=state, moderated_at=hidden_at)
    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, comment, "worried", text="I know her from the clinic.")
    assert response.status_code == 200
    soup = page_after(response)
    status = soup.find(role="status").get_text()
    assert "no longer shown" in status and "worried about its writer" in status
    assert soup.find(id="danger-heading") is not None
    assert soup.select_one("main").find("a", href="/articles/nerve-pain/#comments")
    assert "Nobody would miss me" not in soup.get_text()  # the comment is not public
    found = CommentReport.objects.get()
    assert (found.comment_id, found.reason, found.text) == (
        comment.pk,
        "worried",
        "I know her from the clinic.",
    )
    [message] = mail.outbox
    assert message.to == ["mod@example.org"]
    assert "URGENT: reader worried about" in message.subject
    assert "What the reader wrote to you: I know her from the clinic." in message.body
    assert "still shown" not in message.body and "no longer shown" in message.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body
    assert f"#c{comment.pk}" not in message.body  # readers cannot see it there
    comment.refresh_from_db()
    assert comment.state == state
    assert comment.urgent is (state == "pending")
    assert comment.moderated_at == hidden_at  # no decision recorded either


@pytest.mark.parametrize(
    ("state", "hidden_hours_ago"), [("pending", None), ("removed", 25), ("spam", 25)]
)
def test_a_worry_about_a_comment_never_shown_or_hidden_long_ago_is_not_sent(
    client, article, moderator, state, hidden_hours_ago, django_capture_on_commit_callbacks
):
    """Only a comment readers saw until lately (a form opened before it was taken down)
    takes a worry: anyone can send any comment's number, and each first worry mails the
    moderators at once. A held comment never shown, or one hidden over a day ago, answers as
    an ordinary report does, with the crisis resources and the words to copy."""
    comment = CommentFactory(article=article, comment="Nobody would miss me.")
    hidden_at = hidden_hours_ago and timezone.now() - datetime.timedelta(hours=hidden_hours_ago)
    Comment.objects.filter(pk=comment.pk).update(state=state, moderated_at=hidden_at)
    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, comment, "worried", text="I know her from the clinic.")
    assert response.status_code == 404
    soup = page_after(response)
    assert soup.h1.get_text() == "Your report was not sent"
    assert soup.find(id="danger-heading") is not None
    assert soup.find("textarea", id="kept-text").get_text() == "I know her from the clinic."
    assert not CommentReport.objects.exists() and not mail.outbox
    comment.refresh_from_db()
    assert not comment.urgent


def test_a_held_comment_a_reader_is_worried_about_comes_first_in_the_queue(
    client, article, moderator_client
):
    older = CommentFactory(article=article, state="pending", comment="I need to talk.")
    CommentFactory(article=article, state="pending", comment="A newer held comment.")
    # Held back by readers' reports a moment ago, after this reader opened the form.
    Comment.objects.filter(pk=older.pk).update(moderated_at=timezone.now())
    report(client, older, "worried")
    assert Comment.objects.pending().queue_order().first() == older
    assert report(client, older, "worried").status_code == 200  # "already reported"
    assert CommentReport.objects.count() == 1


def test_a_worry_about_a_hidden_comment_is_checked_as_any_report(
    settings, client, article, moderator, django_capture_on_commit_callbacks
):
    """From this site only, a text within the limit (given back to shorten, never cut) and
    the worried reports' ceiling per IP; nothing of the comment shown, nothing recorded."""
    settings.COMMENTS_WORRIED_REPORT_LIMIT = 1
    comment, other = CommentFactory.create_batch(2, article=article, comment="So tired.")
    Comment.objects.filter(pk__in=[comment.pk, other.pk]).update(
        state="removed", moderated_at=timezone.now()
    )
    foreign = report(client, comment, "worried", HTTP_SEC_FETCH_SITE="cross-site")
    assert foreign.status_code == 403
    assert "another website" in page_after(foreign).find(role="alert").get_text()
    details = "She said she has nobody left to talk to. " * 20
    long = report(client, comment, "worried", text=details)
    assert long.status_code == 400
    soup = page_after(long)
    assert soup.find("textarea", attrs={"name": "text"}).get_text() == details
    assert "the limit is 500" in soup.find(role="alert").get_text()
    assert soup.find(id="danger-heading") is not None
    assert "So tired." not in soup.get_text()
    assert not CommentReport.objects.exists() and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        assert report(client, comment, "worried").status_code == 200
        limited = report(Client(), other, "worried", text="Please help her.")
    assert limited.status_code == 429
    assert "many worried reports" in page_after(limited).find(role="alert").get_text()
    assert CommentReport.objects.get().comment_id == comment.pk
    assert len(mail.outbox) == 1


def test_the_report_form_offers_the_reasons(client, article):
    comment = CommentFactory(article=article)
    soup = BeautifulSoup(client.get(f"/comments/{comment.pk}/report/").content, "html.parser")
    values = [radio["value"] for radio in soup.select("input[name=reason]")]
    assert values == ["worried", "spam", "medical", "abusive", "other"]
    assert soup.find("textarea", attrs={"name": "text"}) is not None
    # The site's own message for a missing reason, as the comment forms give theirs: the
    # browser's bubble stood in for it (and left the page as it was for a screen reader).
    assert soup.select_one("form.report-form").has_attr("novalidate")


def test_reports_from_three_browsers_send_a_comment_back_to_pending(
    caches, article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article, comment="A comment under report")
    reader = Client()
    url = article.get_absolute_url()
    assert "A comment under report" in reader.get(url).content.decode()
    for n, reason in enumerate(["spam", "medical", "other"]):
        with django_capture_on_commit_callbacks(execute=True):
            response = report(Client(), comment, reason, text=f"report {n}")
        assert response.status_code == 200
        comment.refresh_from_db()
        expected = Comment.State.PENDING if n == 2 else Comment.State.PUBLISHED
        assert comment.state == expected
        visible = "A comment under report" in reader.get(url).content.decode()
        assert visible is (n < 2)
    assert comment.reason == Comment.Reason.REPORTED
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]


@pytest.mark.parametrize("handled", [False, True])
def test_a_comment_held_by_reports_while_a_worry_is_open_comes_first_in_the_queue(
    settings, article, moderator, handled, django_capture_on_commit_callbacks
):
    """A reader feared for its writer, and later readers' complaints hide it: it waits as
    urgent, as a worry sent while it was held makes it, not behind the held comments before
    it, and its email says why at once, whatever the emails-a-minute limit. A worry a
    moderator has handled leaves it where it was."""
    settings.COMMENTS_MODERATOR_EMAILS_PER_MINUTE = 0
    comment = CommentFactory(article=article, comment="I am done with all of you.")
    CommentFactory(article=article, state="pending", comment="A newer held comment.")
    report(Client(), comment, "worried", text="She sounds desperate.")
    if handled:
        CommentReport.objects.update(handled_at=timezone.now(), handled_by=moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for reason in ["abusive", "abusive", "other"]:
            report(Client(), comment, reason)
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING
    assert comment.urgent is not handled
    assert (Comment.objects.pending().queue_order().first() == comment) is not handled
    if handled:
        assert mail.outbox == []  # held as any reported comment, this minute's emails spent
    else:
        [message] = mail.outbox
        assert "URGENT: a commenter may be in crisis" in message.subject
        assert message.body.startswith(
            "URGENT, look at it now: a reader is worried about its writer, who may be in crisis."
        )
        assert "Reason held: Reported by readers (3 reports)" in message.body


def test_the_report_page_opens_on_the_thanks(client, article):
    """Like the other pages after an action, the page opens with the focus on what was done."""
    comment = CommentFactory(article=article)
    for _ in range(2):
        status = page_after(report(client, comment)).find(attrs={"role": "status"})
        assert status.has_attr("autofocus") and status["tabindex"] == "-1"
    assert "already reported" in status.get_text()


def test_one_browser_reporting_twice_counts_once(client, article):
    comment = CommentFactory(article=article)
    for _ in range(3):
        assert report(client, comment).status_code == 200
    assert CommentReport.objects.filter(comment=comment).count() == 1
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED
    assert "already reported" in report(client, comment).content.decode()


def test_reports_before_an_approval_do_not_count_after_it(article, moderator):
    comment = CommentFactory(article=article)
    for _ in range(3):
        report(Client(), comment)
    comment.refresh_from_db()
    comment.moderate(Comment.State.PUBLISHED, moderator)
    report(Client(), comment)
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED


def test_a_reader_worried_about_the_writer_tells_the_moderators_at_once(
    caches, article, moderator, settings, django_capture_on_commit_callbacks
):
    """One report is enough, whatever the emails-a-minute limit; the comment and the replies
    under it stay shown (worried reports never count towards hiding it); later worried
    reports since the last decision send no more email."""
    settings.COMMENTS_MODERATOR_EMAILS_PER_MINUTE = 0
    comment = CommentFactory(article=article, comment="Some days I see no point.")
    CommentFactory(article=article, parent=comment, comment="We're here for you.")
    reader, url = Client(), article.get_absolute_url()
    reader.get(url)
    for n in range(settings.COMMENTS_REPORTS_TO_HOLD + 1):
        with django_capture_on_commit_callbacks(execute=True):
            response = report(Client(), comment, "worried", text=f"I know her {n}")
        assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED
    shown = reader.get(url).content.decode()
    assert "I see no point" in shown and "here for you" in shown
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]
    message = mail.outbox[0]
    assert "URGENT: reader worried about" in message.subject
    assert "Some days I see no point." in message.body
    assert "What the reader wrote to you: I know her 0" in message.body
    assert f"{url}#c{comment.pk}" in message.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body


def test_worried_reports_do_not_count_with_the_others_and_mail_again_after_a_decision(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        for reason in ["worried", "spam", "abusive"]:
            report(Client(), comment, reason)
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED  # two complaints, not three
    comment.moderate(Comment.State.PUBLISHED, moderator, note="We are thinking of you.")
    with django_capture_on_commit_callbacks(execute=True):
        report(Client(), comment, "worried")
    assert len([m for m in mail.outbox if "worried" in m.subject]) == 2


def test_a_worry_after_the_last_one_was_handled_mails_again(
    article, moderator, django_capture_on_commit_callbacks
):
    """Replying under the comment is no decision: a second reader worried a day after the
    moderator had answered the first emailed nobody. Once handled, the next worry does; several
    unhandled ones email once, with what each reader wrote."""
    from comments import decisions

    comment = CommentFactory(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        report(Client(), comment, "worried", text="first")
    decisions.reply_as_site(comment, "We are here for you.", moderator)
    with django_capture_on_commit_callbacks(execute=True):
        report(Client(), comment, "worried", text="second")
        report(Client(), comment, "worried", text="third")
    worried = [m for m in mail.outbox if "worried" in m.subject]
    assert len(worried) == 2
    assert "second" in worried[1].body and "third" in worried[1].body
    assert "first" not in worried[1].body  # already handled
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED


def test_a_worry_marked_handled_by_hand_mails_again_on_the_next_one(
    article, moderator, django_capture_on_commit_callbacks
):
    from comments import decisions

    comment = CommentFactory(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        report(Client(), comment, "worried")
    assert decisions.handle_worry(comment, moderator) == 1
    with django_capture_on_commit_callbacks(execute=True):
        report(Client(), comment, "worried")
    assert len([m for m in mail.outbox if "worried" in m.subject]) == 2


@pytest.mark.parametrize("earlier", ["abusive", "worried"])
def test_a_worry_from_a_browser_that_reported_before_reaches_the_moderators(
    client, article, moderator, earlier, django_capture_on_commit_callbacks
):
    """The reader reported the comment (or was worried before, and a moderator answered),
    then came back fearing for its writer: told "You had already reported this comment: the
    moderators have it", their worry was dropped and nobody was emailed. Their report becomes
    the worry, with what they wrote now; a second worry from them is "already" again."""
    from comments import decisions

    comment = CommentFactory(article=article, comment="I am so tired of all of it.")
    with django_capture_on_commit_callbacks(execute=True):
        assert report(client, comment, earlier, text="It reads oddly.").status_code == 200
    if earlier == "worried":  # a moderator answered that worry
        decisions.handle_worry(comment, moderator)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, comment, "worried", text="They may hurt themselves.")
    assert response.status_code == 200
    status = BeautifulSoup(response.content, "html.parser").find(role="status").get_text()
    assert "told at once" in status
    worried = [m for m in mail.outbox[sent:] if "URGENT: reader worried about" in m.subject]
    assert len(worried) == 1 and "They may hurt themselves." in worried[0].body
    assert "It reads oddly." not in worried[0].body
    found = CommentReport.objects.get()
    assert (found.reason, found.text, found.handled_at) == (
        "worried",
        "They may hurt themselves.",
        None,
    )
    again = report(client, comment, "worried", text="Still worried.")
    assert "already reported" in again.content.decode()
    assert CommentReport.objects.get().text == "They may hurt themselves."


def test_a_report_that_becomes_a_worry_keeps_when_it_was_first_made(
    client, article, moderator, django_capture_on_commit_callbacks
):
    """A reader's earlier report that became a worry took the worry's time as when it was
    reported. It keeps when it was first made; the worry has its own time, which is what
    counts against a moderator's decision made since (the moderators are still emailed)."""
    comment = CommentFactory(article=article, comment="I am so tired of all of it.")
    report(client, comment, "abusive", text="It reads oddly.")
    first = timezone.now() - datetime.timedelta(hours=2)
    CommentReport.objects.update(created_at=first)
    comment.moderate(Comment.State.PENDING, moderator)  # a decision since the report
    comment.moderate(Comment.State.PUBLISHED, moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, comment, "worried", text="They may hurt themselves.")
    assert response.status_code == 200
    found = CommentReport.objects.get()
    assert found.reason == "worried" and found.created_at == first
    assert found.worried_at > comment.moderated_at
    worried = [m for m in mail.outbox if "URGENT: reader worried about" in m.subject]
    assert len(worried) == 1 and "They may hurt themselves." in worried[0].body


def test_a_complaint_reported_before_is_not_sent_as_the_words_of_a_worry(
    client, article, moderator, django_capture_on_commit_callbacks
):
    """A reader reported a comment as abusive ("Calls everyone idiots") and later, worried
    about its writer, sent the worry with nothing written: the email said "What the reader
    wrote to you: Calls everyone idiots", the complaint read as the worry's reason. A worry
    keeps only what was written for a worry."""
    comment = CommentFactory(article=article, comment="Nobody would notice if I stopped.")
    report(client, comment, "abusive", text="Calls everyone idiots")
    with django_capture_on_commit_callbacks(execute=True):
        assert report(client, comment, "worried").status_code == 200
    [worried] = [m for m in mail.outbox if "URGENT: reader worried about" in m.subject]
    assert "Calls everyone idiots" not in worried.body
    assert CommentReport.objects.get().text == ""


def test_the_worried_reader_gets_the_sites_crisis_resources(client, article):
    CrisisSupport.objects.update_or_create(pk=1, defaults={"resources": "Samaritans | 116 123"})
    comment = CommentFactory(article=article)
    soup = BeautifulSoup(report(client, comment, "worried").content, "html.parser")
    box = soup.select_one("section.crisis")
    assert "danger now" in box.h2.get_text()
    assert box.find("a", href="tel:116123").get_text() == "Samaritans: 116 123"
    assert "told at once" in soup.find(role="status").get_text()  # not "hidden"
    other = BeautifulSoup(report(client, CommentFactory(article=article)).content, "html.parser")
    assert other.select_one("section.crisis") is None
    CrisisSupport.objects.filter(pk=1).update(resources="")  # none listed: no "these services"
    box = BeautifulSoup(
        report(client, CommentFactory(article=article), "worried").content, "html.parser"
    ).select_one("section.crisis")
    assert box.ul is None
    assert "these services" not in box.get_text() and "emergency number" in box.get_text()


def test_the_worried_readers_box_is_the_writers_crisis_box(client, article):
    """One source for the crisis box (comments.render.crisis_section): the worried reader's
    resources were a template of their own, a near-copy that could drift from the writer's."""
    from comments.render import crisis_box, crisis_section

    CrisisSupport.objects.update_or_create(
        pk=1, defaults={"resources": "Samaritans <UK> | 116 123\nTalk to your GP"}
    )
    support, comment = CrisisSupport.current(), CommentFactory(article=article)
    box = page_after(report(client, comment, "worried")).select_one("section.crisis")
    message = (
        "If you know them, or how to reach them, please don't wait for us: these services "
        "can help you, and them."
    )
    heading = "If you think they are in danger now"
    same = crisis_section("danger-heading", heading, message, support.links(), "h2")
    assert box == BeautifulSoup(same, "html.parser").section
    writers = BeautifulSoup(crisis_box(support, comment.pk), "html.parser").section
    assert box.ul == writers.ul and "Samaritans &lt;UK&gt;: 116 123" in str(box.ul)


def test_reports_are_rate_limited_like_posting(settings, article):
    settings.COMMENTS_RATE_LIMIT = 2
    comments = CommentFactory.create_batch(3, article=article)
    statuses = [report(Client(), c).status_code for c in comments]
    assert statuses == [200, 200, 429]
    assert CommentReport.objects.count() == 2


def test_a_worry_past_the_report_limit_is_recorded_and_mails_the_moderators(
    settings, article, moderator, django_capture_on_commit_callbacks
):
    """A worry hides nothing and its writer may be in danger: the ordinary report limit
    turned the reader away, and the moderators never heard of it. Still once per comment
    until a moderator handles it; the comment stays shown."""
    settings.COMMENTS_RATE_LIMIT = 1
    first, second = CommentFactory.create_batch(2, article=article)
    report(Client(), first)
    with django_capture_on_commit_callbacks(execute=True):
        response = report(Client(), second, "worried", text="She is my sister.")
        again = report(Client(), second, "worried", text="I know her too.")
    assert response.status_code == again.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "told at once" in soup.find(role="status").get_text()
    assert "danger now" in soup.select_one("section.crisis h2").get_text()
    assert CommentReport.objects.filter(comment=second, reason="worried").count() == 2
    worried = [m for m in mail.outbox if "worried" in m.subject]
    assert len(worried) == 1 and "She is my sister." in worried[0].body
    second.refresh_from_db()
    assert second.state == Comment.State.PUBLISHED
    assert report(Client(), second, "spam").status_code == 429  # the others still wait
    assert not CommentReport.objects.filter(comment=second, reason="spam").exists()


def test_worried_reports_have_a_ceiling_of_their_own(settings, article):
    """Past it the reader is told so, with the text kept and the crisis resources still
    there; nothing is recorded, nothing hidden, and other readers are not held to it."""
    settings.COMMENTS_WORRIED_REPORT_LIMIT = 2
    comments = CommentFactory.create_batch(3, article=article)
    statuses = [report(Client(), c, "worried").status_code for c in comments[:2]]
    response = report(Client(), comments[2], "worried", text="She is my sister.")
    assert statuses == [200, 200] and response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    assert "many worried reports" in soup.find(role="alert").get_text()
    assert "danger now" in soup.select_one("section.crisis h2").get_text()
    assert soup.find("textarea", attrs={"name": "text"}).get_text() == "She is my sister."
    assert CommentReport.objects.count() == 2
    assert report(Client(), comments[2], "spam").status_code == 200  # counted apart
    elsewhere = report(Client(), comments[2], "worried", REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 200
    assert Comment.objects.filter(state=Comment.State.PUBLISHED).count() == 3


def test_a_report_with_no_reason_and_too_long_a_text_says_both_at_once(client, article):
    """Only the missing reason was said: the text to shorten came at the next try."""
    comment = CommentFactory(article=article)
    response = report(client, comment, reason="", text="Too long. " * 60)
    page = BeautifulSoup(response.content, "html.parser")
    links = [a["href"] for a in page.select(".problem a")]
    assert links == [f"#{page.select('input[name=reason]')[0]['id']}", "#id_report_text"]
    assert page.select_one("#id_report_text")["aria-invalid"] == "true"
    assert "599 characters long" in page.select_one("#id_report_text_error").get_text()


def test_the_report_form_says_this_browser_reported_the_comment_already(client, article):
    """A second report from the same browser is not recorded (but for a worry about the
    writer): its reason and words were dropped, with "You had already reported this comment"
    said only after sending. The form says so before; other browsers' forms say nothing."""
    comment = CommentFactory(article=article)
    url = f"/comments/{comment.pk}/report/"
    assert page(client, url).select(".report-earlier") == []
    assert report(client, comment, reason="medical").status_code == 200
    response = client.get(url)
    note = BeautifulSoup(response.content, "html.parser").select_one(".report-earlier")
    assert note.get_text().startswith("You reported this comment on ")
    assert (
        "as “Harmful medical advice”: the moderators have it, and a second report is not "
        "recorded." in note.get_text()
    )
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert page(Client(), url).select(".report-earlier") == []


def test_a_report_without_a_reason_is_refused_with_the_text_kept(client, article):
    comment = CommentFactory(article=article)
    response = report(client, comment, reason="", text="It is rude.")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Please choose why" in content and "It is rude." in content
    # The choices are marked as the field to correct, and the alert leads to them.
    soup = BeautifulSoup(content, "html.parser")
    fieldset = soup.select_one("fieldset.has-error")
    assert fieldset["aria-describedby"] == "id_reason_error"
    assert soup.select_one("#id_reason_error").find_parent("legend") is not None
    radios = soup.select("input[name=reason]")
    assert radios and all(radio["aria-invalid"] == "true" for radio in radios)
    assert soup.select_one(".problem a")["href"] == f"#{radios[0]['id']}"


def test_a_report_over_the_limit_comes_back_whole_and_records_nothing(client, article):
    """Cut at 500 characters before (by the box, then again by the server, without a word).
    Its length is written as the site writes numbers: "1,299", not "1299"."""
    comment = CommentFactory(article=article)
    page = BeautifulSoup(client.get(f"/comments/{comment.pk}/report/").content, "html.parser")
    box = page.find("textarea", attrs={"name": "text"})
    assert not box.has_attr("maxlength") and box["data-maxlength"] == "500"
    assert page.find(id="id_report_text_count").get_text() == "You can enter up to 500 characters."
    details = "They tell readers to stop their pregabalin at once. " * 25
    response = report(client, comment, text=details)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("textarea", attrs={"name": "text"}).get_text() == details
    assert "1,299 characters long; the limit is 500" in page.get_text()
    # The box is marked as the field to correct, the reason beside it, the alert leading to it
    # (only the alert said so, as plain text).
    box = page.find("textarea", attrs={"name": "text"})
    assert box["aria-invalid"] == "true"
    assert box["aria-describedby"] == "id_report_text_count"  # the reason is in its label
    said = page.select_one("#id_report_text_error")
    assert "1,299 characters long" in said.get_text() and said.find_parent("label")
    assert box.find_parent(class_="field")["class"] == ["field", "has-error"]
    assert page.select_one(".problem a")["href"] == "#id_report_text"
    assert page.select("fieldset.has-error, input[aria-invalid]") == []  # the reason is right
    assert not CommentReport.objects.exists()
    assert report(client, comment, text=details[:500]).status_code == 200
    assert CommentReport.objects.get().text == details[:500].strip()


@pytest.mark.parametrize("reason", ["abusive", "worried"])
def test_a_refused_report_does_not_count_towards_the_limits(settings, client, article, reason):
    """Told to shorten what they wrote (or to choose a reason), the reader sent it again and
    could be refused by the report limit the refused one had used up."""
    settings.COMMENTS_RATE_LIMIT = settings.COMMENTS_WORRIED_REPORT_LIMIT = 1
    comment = CommentFactory(article=article)
    details = "They tell readers to stop their pregabalin at once. " * 10
    assert report(client, comment, reason, text=details).status_code == 400
    assert report(client, comment, "", text=details[:500]).status_code == 400
    assert report(client, comment, reason, text=details[:500]).status_code == 200
    assert CommentReport.objects.get().text == details[:500].strip()
    other = CommentFactory(article=article)
    assert report(client, other, reason).status_code == 429  # the one sent did count


def test_a_nul_in_an_edit_or_a_report_is_dropped(client, own_published, article):
    """PostgreSQL cannot store NUL in text: either was a 500 there, the reader's text lost."""
    assert edit(client, own_published, "Ice helped\x00 more.").status_code == 303
    own_published.refresh_from_db()
    assert own_published.comment == "Ice helped more."
    other = CommentFactory(article=article)
    assert report(client, other, text="It is rude.\x00").status_code == 200
    assert CommentReport.objects.get().text == "It is rude."


def test_moderators_see_reports(article, moderator_client):
    comment = CommentFactory(article=article, state="pending", comment="Reported text")
    for reason in ("spam", "abusive"):
        CommentReport.objects.create(
            comment=comment, reason=reason, text="nasty", reporter_key_hash=reason * 8
        )
    queue = page(moderator_client, "/admin/comments/comment/")
    row = queue.find("input", value=str(comment.pk)).find_parent("tr")
    assert row.select_one("a.qc-reports").get_text() == "2 reports"
    reports = moderator_client.get(row.select_one("a.qc-reports")["href"]).content.decode()
    assert "Reported text" in reports and "nasty" in reports and "Abusive" in reports
    assert "spam" * 8 not in reports  # which browser reported stays out of sight


def test_a_comments_own_page_says_why_readers_reported_it(article, moderator_client):
    """Where the "a reader is worried" email leads: a published comment has no card there."""
    comment = CommentFactory(article=article)
    url = f"/admin/comments/comment/{comment.pk}/change/"

    def field():
        return page(moderator_client, url).select_one(".field-readers_reports .readonly")

    assert field().get_text(strip=True) == "None"
    for n, reason in enumerate(["worried", "spam", "worried"]):
        CommentReport.objects.create(comment=comment, reason=reason, reporter_key_hash=str(n))
    link = field().a
    assert link.get_text() == "Worried about the writer: 2; Spam: 1"
    assert link["href"] == f"/admin/comments/commentreport/?comment__id__exact={comment.pk}"


# The comments feed


@pytest.mark.parametrize(("path", "kind"), [("", "rss"), ("atom/", "feed")])
def test_the_feed_holds_public_comments_only_and_no_emails(client, path, kind):
    article = ArticleFactory()
    public = CommentFactory(article=article, comment="Public words", user_email="pub@example.org")
    for state in ("pending", "spam", "removed"):
        CommentFactory(article=article, state=state, comment=f"{state} words")
    response = client.get(f"/comments/feed/{article.pk}/{path}")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith("<?xml") and f"<{kind}" in content
    assert "Public words" in content
    assert f"https://nervepain.example{article.get_absolute_url()}#c{public.pk}" in content
    for hidden in ("pending words", "spam words", "removed words", "pub@example.org", "@"):
        assert hidden not in content


@pytest.mark.parametrize("path", ["", "atom/"])
def test_the_feed_carries_the_note_a_comment_was_published_with(client, path):
    """A medical claim published with the site's note ("Please talk to your doctor…") went
    out in the feeds as the claim alone: the note was the condition of publishing it."""
    from xml.etree import ElementTree

    article = ArticleFactory()
    CommentFactory(article=article, comment="Stop taking it <b>now</b>", site_note="Ask <first>.")
    CommentFactory(article=article, comment="Plain words")
    content = client.get(f"/comments/feed/{article.pk}/{path}").content
    texts = [
        element.text
        for element in ElementTree.fromstring(content).iter()
        if element.tag.rsplit("}", 1)[-1] in ("description", "summary") and element.text
    ]
    noted = [text for text in texts if "Stop taking it" in text]
    assert noted == [
        "<p>Stop taking it &lt;b&gt;now&lt;/b&gt;</p>"
        '<p class="site-note"><strong>From nervepain:</strong> Ask &lt;first&gt;.</p>'
    ]
    assert [text for text in texts if "Plain words" in text] == ["<p>Plain words</p>"]


@pytest.mark.parametrize("gone", ["removed", "spam", "pending"])
@pytest.mark.parametrize("path", ["", "atom/"])
def test_the_feed_leaves_out_replies_the_page_does_not_show(client, path, gone):
    """A reply under a comment its writer deleted (or a moderator held, removed or marked as
    spam) is not on the page: the feeds published it, linking to #c<id>, not on the page."""
    article = ArticleFactory()
    top = CommentFactory(article=article, comment="Ann's story")
    reply = CommentFactory(article=article, parent=top, comment="Bob's answer")
    deeper = CommentFactory(article=article, parent=reply, comment="Cal's answer")
    kept = CommentFactory(article=article, comment="Dee's story")
    Comment.objects.filter(pk=top.pk).update(state=gone)
    page = client.get(article.get_absolute_url()).content.decode()
    content = client.get(f"/comments/feed/{article.pk}/{path}").content.decode()
    for hidden in (reply, deeper):
        assert f'id="c{hidden.pk}"' not in page
        assert f"#c{hidden.pk}" not in content
    assert f"#c{kept.pk}" in content


def test_the_feed_costs_the_same_queries_for_any_number_of_comments(
    client, django_assert_num_queries
):
    """Item titles and links name the article without reading it again per comment."""
    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article)
    client.get(f"/comments/feed/{article.pk}/")
    with django_assert_num_queries(3):  # the article, the threads' shape, the comments
        client.get(f"/comments/feed/{article.pk}/")
    CommentFactory.create_batch(20, article=article)
    with django_assert_num_queries(3):
        client.get(f"/comments/feed/{article.pk}/")


def test_no_feed_for_an_unpublished_article(client):
    draft = ArticleFactory(draft=True)
    assert client.get(f"/comments/feed/{draft.pk}/").status_code == 404


def test_the_discussion_heading_links_to_the_feeds(client, article):
    feeds = page(client, article.get_absolute_url()).select_one(".comment-feeds")
    hrefs = [a["href"] for a in feeds.find_all("a")]
    assert hrefs == [f"/comments/feed/{article.pk}/", f"/comments/feed/{article.pk}/atom/"]


def comment_count_in_json_ld(client, url):
    import json

    script = page(client, url).find("script", type="application/ld+json")
    graph = json.loads(script.string)
    nodes = graph.get("@graph", [graph])
    return next(node["commentCount"] for node in nodes if "commentCount" in node)


@pytest.mark.parametrize("change", ["delete", "reported back", "edited to hold"])
def test_json_ld_never_counts_a_comment_readers_no_longer_see(
    caches, client, own_published, other_reader, change
):
    url = own_published.content_object.get_absolute_url()
    assert comment_count_in_json_ld(other_reader, url) == 1
    if change == "delete":
        client.post(f"/comments/{own_published.pk}/delete/")
    elif change == "reported back":
        for _ in range(3):
            report(Client(), own_published)
    else:
        edit(client, own_published, "Now with a link https://example.org/")
    assert comment_count_in_json_ld(other_reader, url) == 0
    assert comment_count_in_json_ld(Client(), url) == 0


def test_the_writers_page_queries_do_not_grow_with_comments(
    client, post, article, django_assert_num_queries
):
    """The writer's own page (held comments, Edit and Delete links, Report links) costs the
    same with 1 and 200 comments: the controls come from the one comments query."""
    post(article, comment="My own held comment.")
    url = article.get_absolute_url()
    client.get(url)  # warm the per-process caches, as a running site has
    # The article, its comments, its tags and its references (fragment caches off here).
    with django_assert_num_queries(4) as few:
        client.get(url)
    CommentFactory.create_batch(199, article=article)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".own-controls")) == 1
    assert len(soup.select('a[href$="/report/"]')) == 199


def test_the_writers_page_with_reply_emails_asked_costs_one_query_more(
    client, post, article, django_assert_num_queries
):
    """Whether the writer's address is confirmed yet ("We've sent a link to ...") is one query,
    asked only of a page showing a comment of theirs that asked for reply emails, whatever the
    number of comments."""
    post(article, comment="My own held comment.", followup="on")
    url = article.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(5):
        client.get(url)
    CommentFactory.create_batch(50, article=article)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert "a***@example.org" in response.content.decode()


def test_a_report_is_checked_once(client, article, monkeypatch):
    """The report's reason and text were checked in the view, before the limits count it, and
    again when it was recorded: once is enough."""
    from comments import controls

    calls = []
    checked = controls.checked_report

    def counted(*args, **kwargs):
        calls.append(args)
        return checked(*args, **kwargs)

    monkeypatch.setattr(controls, "checked_report", counted)
    comment = CommentFactory(article=article)
    assert report(client, comment, "abusive", text="  Rude.  ").status_code == 200
    assert len(calls) == 1
    assert CommentReport.objects.get().text == "Rude."


def heading_count(browser, url):
    heading = page(browser, url).find(id="comments-heading").get_text()
    return 0 if heading.startswith("No ") else int(heading.split()[0])


def listed_counts(browser):
    """The "N comments" of each article on the home page, by its address."""
    counts = {}
    for link in page(browser, "/").select('a[href$="#comments"]'):
        text = link.get_text()
        counts[link["href"].removesuffix("#comments")] = (
            int(text.split()[0]) if text[0] != "N" else 0
        )
    return counts


@pytest.mark.parametrize("viewer", ["writer", "moderator"])
def test_every_count_of_an_articles_comments_agrees_once_a_parent_is_held_again(
    caches, client, post, article, other_reader, moderator, viewer
):
    """A comment edited back into the queue (or unapproved) takes its public replies off the
    page: the home page still counted them ("8 comments" over "6 Responses"), and the page's
    structured data, cached from its writer's view (whose page shows them under the held
    comment), gave every reader that count."""
    post(article, comment="Heat helped my feet.")
    top = latest()
    top.moderate(Comment.State.PUBLISHED, moderator)
    reply = CommentFactory(article=article, parent=top, comment="Mine too.")
    CommentFactory(article=article, parent=reply, comment="And mine.")
    CommentFactory(article=article, comment="Ice was better for me.")
    url = article.get_absolute_url()
    assert heading_count(other_reader, url) == comment_count_in_json_ld(other_reader, url) == 4
    assert listed_counts(other_reader)[url] == 4

    edit(client, top, "Heat helped, see https://example.org/heat")  # a link: held again
    top.refresh_from_db()
    assert top.state == Comment.State.PENDING
    if viewer == "writer":  # the writer sees the replies under their held comment
        mine = page(client, url)
        assert mine.find(id=f"c{reply.pk}") is not None
        assert comment_count_in_json_ld(client, url) == 1
    else:  # a moderator sees every comment, the held one with its controls
        moderating = Client()
        moderating.force_login(moderator)
        assert page(moderating, url).find(id=f"c{reply.pk}") is not None
        assert comment_count_in_json_ld(moderating, url) == 1
    for reader in (other_reader, Client()):
        assert page(reader, url).find(id=f"c{reply.pk}") is None
        assert heading_count(reader, url) == 1
        assert comment_count_in_json_ld(reader, url) == 1
        assert listed_counts(reader)[url] == 1


def test_the_lists_count_what_each_page_shows_in_one_query_or_two(
    client, django_assert_num_queries
):
    """The lists' counts cost one query; one more only for an article whose replies hang under
    a comment readers no longer see."""
    from comments.threads import shown_counts

    plain, cut = ArticleFactory(), ArticleFactory()
    CommentFactory.create_batch(3, article=plain)
    top = CommentFactory(article=cut)
    reply = CommentFactory(article=cut, parent=top)
    CommentFactory(article=cut, parent=reply)
    CommentFactory(article=cut)
    with django_assert_num_queries(1):
        assert shown_counts([plain, cut]) == {plain.pk: 3, cut.pk: 4}
    Comment.objects.filter(pk=top.pk).update(state=Comment.State.SPAM)
    with django_assert_num_queries(2):
        assert shown_counts([plain, cut]) == {plain.pk: 3, cut.pk: 1}
    assert shown_counts([]) == {}
