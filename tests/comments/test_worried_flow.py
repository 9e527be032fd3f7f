"""What a moderator may do from the "a reader is worried" email's links (docs/moderating.md):
write to the writer, reply under the comment as the site with the crisis resources, or hold
it, for a comment readers still see."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from comments.models import Comment, CommentReport, CrisisSupport
from tests.comments.test_queue_fixes import change_form
from tests.factories import ArticleFactory, CommentFactory, UserFactory


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def worried(db):
    """A published comment a reader is worried about."""
    comment = CommentFactory(
        article=ArticleFactory(title="Living with TN"),
        user_name="Maria",
        user_email="maria@example.org",
        comment="I don't know how much longer I can do this.",
    )
    CommentReport.objects.create(comment=comment, reason="worried", reporter_key_hash="a")
    return comment


def change_url(comment):
    return f"/admin/comments/comment/{comment.pk}/change/"


def test_holding_a_published_comment_from_its_page(moderator_client, worried):
    response = moderator_client.post(
        change_url(worried), change_form(worried, _decision="unapprove")
    )
    assert response.status_code == 302
    worried.refresh_from_db()
    assert worried.state == Comment.State.PENDING


def test_a_comment_a_moderator_holds_while_a_worry_is_open_comes_first_in_the_queue(
    moderator_client, worried
):
    """Holding it does not handle the worry: the comment waits as urgent, ahead of older held
    comments, as one that readers' reports hold or a worry reaches while held."""
    older = CommentFactory(state="pending", submit_date=timezone.now() - datetime.timedelta(1))
    response = moderator_client.post(
        change_url(worried), change_form(worried, _decision="unapprove")
    )
    assert response.status_code == 302
    worried.refresh_from_db()
    assert (worried.state, worried.urgent) == (Comment.State.PENDING, True)
    assert list(Comment.objects.pending().queue_order()) == [worried, older]


def test_the_writers_email_is_a_link_to_write_to_them(moderator_client, worried):
    """docs: "you may write to its writer (their email is on the comment's page)": on a phone
    a plain address had to be copied by hand into a new message."""
    field = soup(moderator_client.get(change_url(worried))).select_one(".field-writer_email")
    link = field.select_one("a")
    assert link.get_text() == "maria@example.org"
    assert (
        link["href"] == "mailto:maria@example.org?subject=Your%20comment%20on%20Living%20with%20TN"
    )


def test_an_erased_writer_has_no_email_link(moderator_client, worried):
    Comment.objects.filter(pk=worried.pk).update(user_email="")
    field = soup(moderator_client.get(change_url(worried))).select_one(".field-writer_email")
    assert field.select_one("a") is None


def test_the_reply_box_carries_the_sites_crisis_resources_for_its_script(moderator_client, worried):
    """The page's script offers "Insert the crisis resources" from this attribute: the
    moderator replying under a worried reader's comment need not retype the helplines."""
    support = CrisisSupport.current()
    support.message = "We are glad you wrote."
    support.resources = (
        "Samaritans (UK) | 116 123\nFind a helpline | findahelpline.com\nTalk to your GP"
    )
    support.save()
    box = soup(moderator_client.get(change_url(worried))).select_one("textarea[name=reply]")
    assert box["data-crisis-reply"] == (
        "We are glad you wrote.\n\n"
        "- Samaritans (UK): 116 123\n"
        "- Find a helpline: https://findahelpline.com\n"
        "- Talk to your GP"
    )


def test_a_reply_with_the_crisis_resources_is_published_under_the_comment(
    moderator_client, worried, client
):
    text = CrisisSupport.current().as_reply()
    response = moderator_client.post(
        change_url(worried),
        {"user_name": worried.user_name, "user_url": "", "comment": worried.comment, "reply": text},
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent_id=worried.pk, from_site=True)
    assert reply.state == Comment.State.PUBLISHED
    page = soup(client.get(worried.get_absolute_url()))
    assert page.select_one(f'#c{reply.pk} a[href="https://findahelpline.com/"]') is not None


def test_on_the_article_a_moderator_can_open_a_public_comments_admin_page(
    moderator_client, worried, client
):
    """The email's "Read it on the article" leads here: a moderator had only Reply and Report
    under a published comment, nothing to reach its writer's email, the site's reply or Hold."""
    url = worried.content_object.get_absolute_url()
    item = soup(moderator_client.get(url)).select_one(f"#c{worried.pk}")
    assert item.select_one("a.moderate-link")["href"] == change_url(worried)
    assert not item.select('a[href$="/report/"]')
    reader = soup(client.get(url)).select_one(f"#c{worried.pk}")
    assert not reader.select("a.moderate-link")
    assert reader.select('a[href$="/report/"]')


def test_the_queue_card_tells_a_worry_from_complaints(moderator_client, worried):
    """ "2 reports" alone read as two complaints, on a comment a reader is worried about."""
    CommentReport.objects.create(comment=worried, reason="spam", reporter_key_hash="b")
    page = soup(moderator_client.get("/admin/comments/comment/?state=published"))
    card = page.select_one(f"#qc-{worried.pk}")
    assert card.select_one(".qc-reports").get_text() == "2 reports"
    marker = card.select_one("a.qc-worried")
    assert marker.get_text() == "A reader is worried about the writer"
    assert marker["href"] == (
        f"/admin/comments/commentreport/?comment__id__exact={worried.pk}&reason__exact=worried"
        "&worry=unhandled"
    )
    CommentReport.objects.create(comment=worried, reason="worried", reporter_key_hash="c")
    page = soup(moderator_client.get("/admin/comments/comment/?state=published"))
    marker = page.select_one(f"#qc-{worried.pk} a.qc-worried")
    assert marker.get_text() == "2 readers are worried about the writer"


def test_a_card_without_worried_reports_has_no_marker(moderator_client, worried):
    CommentReport.objects.filter(comment=worried).update(reason="abusive")
    page = soup(moderator_client.get("/admin/comments/comment/?state=published"))
    assert page.select_one(f"#qc-{worried.pk} a.qc-worried") is None


def handled_url(comment):
    return f"/admin/comments/comment/{comment.pk}/worry-handled/"


def unhandled(comment):
    return CommentReport.objects.filter(comment=comment).unhandled_worries().count()


def test_the_comments_page_offers_to_mark_the_worry_as_handled(moderator_client, worried):
    """A moderator who replied or wrote to the writer had no way to say so: the overview, the
    card and the email went on as if nobody had."""
    page = soup(moderator_client.get(change_url(worried)))
    box = page.select_one(".worry-box")
    assert "A reader is worried about the writer." in box.get_text()
    button = box.select_one("button.worry-handled")
    assert button.get_text() == "Mark the worry as handled"
    # Its own form, after the page's (Enter in a field still saves the page).
    form = page.select_one(f"form#{button['form']}")
    assert form["method"] == "post" and form["action"] == handled_url(worried)
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert form.find_parent("form") is None


def test_the_comments_page_shows_what_the_worried_readers_wrote(moderator_client, worried):
    """The box said "2 readers are worried" but not what they wrote: the moderator had to go
    to the reports list to read it before writing to the writer. Their words, escaped, newest
    first; a few, with a link to all of them."""
    now = timezone.now()
    hours_ago = now - datetime.timedelta(hours=5)
    worried.reports.update(created_at=hours_ago, worried_at=hours_ago)
    CommentReport.objects.create(
        comment=worried,
        reason="worried",
        text="She said <b>goodbye</b> in another thread too.",
        reporter_key_hash="b",
        created_at=now - datetime.timedelta(hours=1),
    )
    CommentReport.objects.create(
        comment=worried, reason="spam", text="Not a worry", reporter_key_hash="c"
    )
    box = soup(moderator_client.get(change_url(worried))).select_one(".worry-box")
    items = box.select(".worry-words li")
    assert [li.select_one("blockquote, .worry-nothing").get_text() for li in items] == [
        "She said <b>goodbye</b> in another thread too.",  # as text, not bold
        "They wrote nothing more.",
    ]
    assert box.select_one(".worry-words b") is None
    assert box.find("a", string=re.compile("worried reports")) is None  # both are shown
    for n in range(3):
        CommentReport.objects.create(
            comment=worried, reason="worried", text=f"Worry {n}", reporter_key_hash=f"w{n}"
        )
    box = soup(moderator_client.get(change_url(worried))).select_one(".worry-box")
    shown = [q.get_text() for q in box.select(".worry-words blockquote")]
    assert shown == ["Worry 2", "Worry 1", "Worry 0"]
    link = box.find("a", string="All 5 worried reports")
    assert link["href"] == (
        "/admin/comments/commentreport/"
        f"?comment__id__exact={worried.pk}&reason__exact=worried&worry=unhandled"
    )


def test_the_worried_readers_words_need_the_reports_permission(client, worried):
    worried.reports.update(text="Private words")
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="comments", codename="view_comment")
    )
    client.force_login(viewer)
    page = soup(client.get(change_url(worried)))
    assert page.select_one(".worry-box") is not None
    assert "Private words" not in page.get_text()


def test_marking_the_worry_as_handled(moderator_client, moderator, worried):
    CommentReport.objects.create(comment=worried, reason="worried", reporter_key_hash="b")
    spam = CommentReport.objects.create(comment=worried, reason="spam", reporter_key_hash="c")
    response = moderator_client.post(handled_url(worried), {"next": change_url(worried)})
    assert response.status_code == 302 and response["Location"] == change_url(worried)
    reports = CommentReport.objects.filter(comment=worried, reason="worried")
    assert {(r.handled_by, r.handled_at is not None) for r in reports} == {(moderator, True)}
    spam.refresh_from_db()
    assert spam.handled_at is None  # a complaint is settled by a decision, not by this
    worried.refresh_from_db()
    assert worried.state == Comment.State.PUBLISHED and worried.moderated_at is None
    entry = LogEntry.objects.get(object_id=str(worried.pk))
    assert entry.user == moderator
    assert entry.change_message == "Readers' worry about the writer marked as handled."
    page = soup(moderator_client.get(change_url(worried)))
    assert "The worry of 2 readers is marked as handled." in page.select_one(".messagelist").text
    assert page.select_one(".worry-box") is None
    assert "Worry handled by" in page.select_one(".field-readers_reports").get_text()


def test_marking_the_worry_as_handled_is_a_post_for_moderators_only(client, worried):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "change_comment"]
        )
    )
    client.force_login(viewer)
    page = soup(client.get(change_url(worried)))
    assert page.select_one(".worry-box") is not None  # told, but not offered the button
    assert page.select_one("button.worry-handled") is None
    assert client.post(handled_url(worried)).status_code == 403
    assert unhandled(worried) == 1


def test_marking_the_worry_as_handled_refuses_a_get_and_checks_csrf(moderator, worried):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    assert browser.get(handled_url(worried)).status_code == 405
    assert browser.post(handled_url(worried)).status_code == 403
    assert unhandled(worried) == 1


def test_replying_as_the_site_on_the_comments_page_handles_the_worry(
    moderator_client, moderator, worried
):
    form = soup(moderator_client.get(change_url(worried)))
    assert "marks readers' worry about its writer as handled" in form.select_one(
        "#id_reply_helptext"
    ).get_text(" ", strip=True)
    moderator_client.post(
        change_url(worried),
        {"user_name": worried.user_name, "user_url": "", "comment": worried.comment, "reply": "Hi"},
    )
    assert unhandled(worried) == 0
    assert CommentReport.objects.get(comment=worried).handled_by == moderator
    assert LogEntry.objects.filter(
        object_id=str(worried.pk),
        change_message="Replied as the site. Readers' worry about the writer marked as handled.",
    ).exists()


def test_replying_from_the_queue_handles_the_worry(moderator_client, worried):
    response = moderator_client.post(
        f"/admin/comments/comment/{worried.pk}/reply/", {"reply": "We are here."}
    )
    assert response.status_code == 302
    assert unhandled(worried) == 0


def test_the_queue_card_counts_only_worries_not_yet_handled(moderator_client, worried, moderator):
    moderator_client.post(handled_url(worried))
    page = soup(moderator_client.get("/admin/comments/comment/?state=published"))
    assert page.select_one(f"#qc-{worried.pk} a.qc-worried") is None
    CommentReport.objects.create(comment=worried, reason="worried", reporter_key_hash="b")
    page = soup(moderator_client.get("/admin/comments/comment/?state=published"))
    marker = page.select_one(f"#qc-{worried.pk} a.qc-worried")
    assert marker.get_text() == "A reader is worried about the writer"
