"""A comment's own page in the admin, as a moderator opening it from an email on a phone uses
it: the comment and its decisions together at the top, the permanent Delete apart; "Publish
with a note from the site" there too; and the screens around it (reports, privacy) that name
and lead back to things as the moderator left them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.models import Comment, CommentReport
from tests.comments.test_queue_fixes import change_form
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"
REPORTS = "/admin/comments/commentreport/"
# A comment's page with readers' reports, whatever they are (one query reads them all).
COMMENT_PAGE_QUERIES = 18


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def change_page(client, comment):
    return soup(client.get(f"{CHANGELIST}{comment.pk}/change/"))


def test_the_decisions_are_beside_the_comment_before_the_other_fields_and_far_from_delete(
    admin_client,
):
    """On a phone they were after every field, the thread and Django's red Delete (2,900 px
    down): now they are in a Status box beside the comment's text, before the moderation
    details, and Delete stays in Django's row at the foot."""
    comment = CommentFactory(state="pending", reason="medical", reason_detail="cured my")
    form = change_page(admin_client, comment).select_one("#comment_form")
    top = form.select_one(".comment-top")
    assert top.select_one("textarea#id_comment") is not None
    status = top.select_one(".comment-status")
    assert [b.get_text() for b in status.select(".comment-decisions button")] == [
        "Approve",
        "Spam",
        "Remove",
    ]
    assert "Held: Medical claim (cured my)" in status.get_text(" ", strip=True)
    # Before the Moderation, Details and Reply fieldsets and the thread, in the page's order.
    later = top.find_next_siblings("fieldset")
    assert [f.h2.get_text() for f in later] == ["Moderation", "Details", "Reply"]
    assert top.find_next(class_="comment-thread") is not None
    assert not status.select(".deletelink") and top.find_next(class_="deletelink") is not None


def test_enter_in_a_field_still_saves_and_decides_nothing(moderator_client):
    """The first submit button of a form is the one Enter presses: with the decisions before
    Save, that would have been Approve (or Unapprove). A hidden Save comes first."""
    comment = CommentFactory(state="pending")
    form = change_page(moderator_client, comment).select_one("#comment_form")
    first = form.select("input[type=submit], button:not([type=button]):not([form])")[0]
    assert (first["name"], first.has_attr("hidden")) == ("_save", True)


def test_a_medical_claim_can_be_published_with_a_note_from_its_page(moderator_client):
    """The queue's bulk action "Publish with a note from the site", on the comment's page: the
    note box (open for a medical claim, with the usual note), and its button publishes it
    with the note, with the decision's Undo."""
    comment = CommentFactory(state="pending", reason="medical", comment="Stop your pills.")
    status = change_page(moderator_client, comment).select_one(".comment-status")
    note = status.select_one("details.comment-note")
    assert note.has_attr("open")
    assert note.textarea["name"] == "site_note"
    assert note.textarea.get_text(strip=True).startswith("Please talk to your doctor")
    button = note.select_one("button")
    assert (button["name"], button["value"]) == ("_decision", "publish_with_note")

    url = f"{CHANGELIST}{comment.pk}/change/"
    response = moderator_client.post(
        url,
        change_form(comment, site_note="  Ask your GP first.  ", _decision="publish_with_note"),
        follow=True,
    )
    comment.refresh_from_db()
    assert (comment.state, comment.site_note) == ("published", "Ask your GP first.")
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("1 comment published with the note from the site.")
    assert "Undo" in message
    assert response.redirect_chain[-1][0] == url


def test_an_empty_note_publishes_nothing_and_says_why(moderator_client):
    comment = CommentFactory(state="pending", reason="medical")
    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/change/",
        change_form(comment, site_note=" ", _decision="publish_with_note"),
    )
    page = soup(response)
    assert "Write a note of 1 to 300 characters" in page.select_one(".comment-note").get_text()
    assert page.select_one(".comment-note").has_attr("open")
    comment.refresh_from_db()
    assert (comment.state, comment.site_note) == ("pending", "")


def test_a_note_over_the_limit_is_refused_whole_with_its_length(moderator_client):
    """The box cut a pasted note at 300 characters without a word (maxlength), and the
    shortened note was published: now nothing is cut, and the note comes back whole."""
    comment = CommentFactory(state="pending", reason="medical")
    page = change_page(moderator_client, comment)
    assert not page.select_one("textarea[name=site_note]").has_attr("maxlength")
    note = ("Please talk to your doctor before changing any medication. " * 6).strip()  # 353
    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/change/",
        change_form(comment, site_note=note, _decision="publish_with_note"),
    )
    page = soup(response)
    said = page.select_one(".comment-note").get_text(" ", strip=True)
    assert "This note is 353 characters long; the limit is 300. Shorten it" in said
    assert page.select_one("textarea[name=site_note]").get_text().removeprefix("\n") == note
    comment.refresh_from_db()
    assert (comment.state, comment.site_note) == ("pending", "")

    # The queue's bulk action says the same, and gives the note back.
    data = {"action": "publish_with_note", "_selected_action": [comment.pk]}
    page = soup(moderator_client.post(CHANGELIST, {**data, "site_note": note, "confirm": "yes"}))
    box = page.select_one("#id_site_note")
    assert not box.has_attr("maxlength")
    assert box.get_text().removeprefix("\n") == note
    # Marked as the box to correct, the reason beside it.
    assert box["aria-invalid"] == "true" and "id_site_note_error" in box["aria-describedby"]
    assert "353 characters long" in page.select_one("#id_site_note_error").get_text()
    assert "This note is 353 characters long" in page.get_text()


def test_a_note_of_300_characters_with_a_line_break_is_taken(moderator_client):
    """A browser sends a line break as two characters: a note its box counted at 300 was
    refused as "301 characters long". A line break counts once, and is kept as one."""
    comment = CommentFactory(state="pending", reason="medical")
    note = "a" * 149 + "\r\n" + "b" * 150
    data = {"action": "publish_with_note", "_selected_action": [comment.pk]}
    response = moderator_client.post(CHANGELIST, {**data, "site_note": note, "confirm": "yes"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.state, comment.site_note) == ("published", "a" * 149 + "\n" + "b" * 150)


def test_a_published_comment_has_no_note_to_publish_with(moderator_client):
    comment = CommentFactory(state="published")
    assert change_page(moderator_client, comment).select(".comment-note") == []


def test_no_take_me_back_returns_to_the_queue_as_the_moderator_left_it(moderator_client):
    """The erase confirmation's way back went to the bare Pending tab, losing the tab, the
    filter and the email search the moderator had found the commenter with."""
    comment = CommentFactory(state="spam", user_email="ann@example.org", reason="links")
    where = f"{CHANGELIST}?state=spam&reason__exact=links&q=ann%40example.org"
    data = {"action": "erase_commenter_data", "_selected_action": [comment.pk]}
    page = soup(moderator_client.post(where, data))
    back = page.find("a", string="No, take me back")
    assert back["href"] == where
    # And for "Publish with a note" too.
    data["action"] = "publish_with_note"
    back = soup(moderator_client.post(where, data)).find("a", string="No, take me back")
    assert back["href"] == where


def test_the_reports_filter_names_a_reason_as_its_rows_do(moderator_client):
    """The filter said "I'm worried about the person who wrote it" (the reader's words) while
    each row's badge said "Worried about the writer": one name for one thing."""
    comment = CommentFactory()
    CommentReport.objects.create(comment=comment, reason="worried", reporter_key_hash="a")
    CommentReport.objects.create(comment=comment, reason="spam", reporter_key_hash="b")
    page = soup(moderator_client.get(REPORTS))
    badge = page.select_one("#result_list .report-worried").get_text()
    choices = [a.get_text(strip=True) for a in page.select("#changelist-filter a")]
    assert badge == "Worried about the writer" and badge in choices
    assert "I'm worried about the person who wrote it" not in page.get_text()
    link = page.find("a", string=badge, href=True)
    listed = moderator_client.get(REPORTS + link["href"]).context["cl"].result_list
    assert [r.reason for r in listed] == ["worried"]
    # The comment's page says it the same way.
    field = change_page(moderator_client, comment).select_one(".field-readers_reports a")
    assert field.get_text() == "Spam: 1; Worried about the writer: 1"
    assert Comment.objects.count() == 1


def test_on_a_phone_the_text_comes_first_then_the_decisions_then_the_commenter(admin_client):
    """The name, email and website stood between the comment's text and its Status box; they
    come after it now, in the page's order (a phone shows it as it comes), and are still
    saved as before."""
    comment = CommentFactory(state="pending", user_name="Pat", user_url="https://pat.example")
    top = change_page(admin_client, comment).select_one(".comment-top")
    order = [
        el.get("id") or "status"
        for el in top.select("#id_comment, .comment-status, #id_user_name, #id_user_url")
    ]
    assert order == ["id_comment", "status", "id_user_name", "id_user_url"]
    assert "Commenter" in top.select_one(".comment-commenter h2").get_text()
    response = admin_client.post(
        f"{CHANGELIST}{comment.pk}/change/",
        change_form(comment, user_name="Pat B", user_url="https://pat.example/b"),
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.user_name, comment.user_url) == ("Pat B", "https://pat.example/b")


def test_a_crisis_comment_offers_the_reply_with_the_resources_from_its_status_box(
    moderator_client,
):
    """The reply box and "Insert the crisis resources" were 1,500 px under the Status box on
    a phone. Its link opens the page at the reply, the resources in it and the cursor there,
    without script; the queue's filters kept, and a decision returns to the page without it
    (the resources would be back in the box after being sent)."""
    from comments.models import CrisisSupport

    comment = CommentFactory(state="pending", urgent=True, reason="crisis")
    url = f"{CHANGELIST}{comment.pk}/change/?_changelist_filters=state%3Dpending"
    link = soup(moderator_client.get(url)).select_one(".comment-status a.crisis-reply-link")
    assert link.get_text() == "Reply with the crisis resources"
    assert link["href"] == "?_changelist_filters=state%3Dpending&crisis_reply=1#id_reply"
    page = soup(moderator_client.get(url + "&crisis_reply=1"))
    box = page.select_one("textarea#id_reply")
    assert box.get_text().strip() == CrisisSupport.current().as_reply()
    assert box.has_attr("autofocus")
    [next_] = {i["value"] for i in page.select("input[name=next]")}
    assert next_ == f"{CHANGELIST}{comment.pk}/change/?_changelist_filters=state%3Dpending"
    # Not on other comments, and the box is empty without the link.
    assert soup(moderator_client.get(url)).select_one("textarea#id_reply").get_text().strip() == ""
    other = CommentFactory(state="pending", reason="medical")
    assert change_page(moderator_client, other).select(".crisis-reply-link") == []
    # Nor on one removed (its writer deleted it, say) or spam: Save refused the reply.
    for state in ("removed", "spam"):
        Comment.objects.filter(pk=comment.pk).update(state=state)
        assert change_page(moderator_client, comment).select(".crisis-reply-link") == []


def test_the_breadcrumb_returns_to_the_queue_as_the_moderator_left_it(moderator_client):
    """On the erase confirmation and "Publish with a note", the breadcrumb's "Comments" went
    to the bare Pending tab while "No, take me back" kept the tab, filters and search."""
    comment = CommentFactory(state="spam", user_email="ann@example.org", reason="links")
    where = f"{CHANGELIST}?state=spam&reason__exact=links&q=ann%40example.org"
    for action in ("erase_commenter_data", "publish_with_note"):
        data = {"action": action, "_selected_action": [comment.pk]}
        crumbs = soup(moderator_client.post(where, data)).select_one(".breadcrumbs")
        assert crumbs.find("a", string="Comments", href=True) is not None
        assert [a["href"] for a in crumbs.find_all("a", string="Comments")][-1] == where


def test_open_your_reply_in_a_message_is_marked_as_its_action(moderator_client):
    """Only a message's own actions (Undo, "Open your reply") are drawn as 44 px targets on a
    phone; the class tells them from a name linked inside the sentence."""
    comment = CommentFactory(state="pending")
    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/reply/", {"reply": "Ask your GP.", "next": CHANGELIST}
    )
    page = soup(moderator_client.get(response["Location"]))
    link = page.select_one(".messagelist").find("a", string="Open your reply")
    assert "message-action" in link["class"]


@pytest.mark.django_db
def test_whether_the_site_wrote_it_is_said_in_words(admin_client):
    """A reader's comment said "From the site" beside Django's red cross, which read as
    something wrong with the comment: it says "Written by the site: No"."""
    for from_site, answer in ((False, "No"), (True, "Yes")):
        row = change_page(admin_client, CommentFactory(from_site=from_site)).select_one(
            ".field-written_by_site"
        )
        assert row is not None
        assert row.label.get_text(strip=True) == "Written by the site:"
        assert row.select_one(".readonly").get_text(strip=True) == answer
        assert not row.select("img")


def test_the_reports_say_which_came_since_the_last_decision_as_the_card_does(
    moderator_client, moderator, django_assert_num_queries
):
    """A comment approved after two spam reports and reported twice more: its queue card
    says "4 reports, 2 new"; its page said "Spam: 2; Abusive or hurtful: 1; …", as if all
    were unanswered. It says which reasons are new, in the card's words, in no more queries
    (one reads the reports)."""
    now = timezone.now()
    before = now - datetime.timedelta(days=2)
    comment = CommentFactory(
        state="pending", moderated_at=now - datetime.timedelta(days=1), moderated_by=moderator
    )
    for key in ("a", "b"):
        CommentReport.objects.create(
            comment=comment, reason="spam", reporter_key_hash=key, created_at=before
        )
    CommentReport.objects.create(comment=comment, reason="abusive", reporter_key_hash="c")
    # A report older than the decision that has since become a worry is new.
    CommentReport.objects.create(
        comment=comment, reason="worried", reporter_key_hash="d", created_at=before, worried_at=now
    )
    url = f"{CHANGELIST}{comment.pk}/change/"
    moderator_client.get(url)  # Django's caches (content types, site) filled, as in use
    with django_assert_num_queries(COMMENT_PAGE_QUERIES):
        response = moderator_client.get(url)
    field = soup(response).select_one(".field-readers_reports a")
    assert (
        field.get_text()
        == "Spam: 2, none new; Abusive or hurtful: 1, 1 new; Worried about the writer: 1, 1 new"
    )
    card = soup(moderator_client.get(CHANGELIST)).select_one(f"#qc-{comment.pk} .qc-reports")
    assert card.get_text() == "4 reports, 2 new"
    # All new (or never decided): the reasons alone, as the card says "2 reports" alone.
    CommentReport.objects.filter(created_at=before, reason="spam").update(created_at=now)
    field = change_page(moderator_client, comment).select_one(".field-readers_reports a")
    assert field.get_text() == "Spam: 2; Abusive or hurtful: 1; Worried about the writer: 1"


@pytest.mark.django_db
def test_whether_the_writer_asked_for_replies_by_email_is_said_in_words(admin_client):
    """ "Replies by email" showed Django's red cross for a writer who did not ask, which read as
    something wrong with the comment, as "From the site" did: it says "No" (or "Yes"), and no
    read-only field of the page is an icon."""
    for followup, answer in ((False, "No"), (True, "Yes")):
        page = change_page(
            admin_client, CommentFactory(followup=followup, from_site=followup, urgent=followup)
        )
        row = page.select_one(".field-replies_by_email")
        assert row.label.get_text(strip=True) == "Replies by email:"
        assert row.select_one(".readonly").get_text(strip=True) == answer
        assert not page.select(".readonly img"), [str(img) for img in page.select(".readonly img")]


@pytest.mark.parametrize("state", ["published", "pending"])
def test_history_records_no_note_or_reply_that_was_not_saved(moderator_client, state):
    """Save with nothing changed, Remove, or a reply: History read "Changed Note from the
    site." each time, though no note was ever saved."""
    from django.contrib.admin.models import LogEntry

    from tests.comments.test_queue_fixes import CHANGELIST

    comment = CommentFactory(state=state, comment="Heat helped me.")
    box = change_page(moderator_client, comment).select_one("textarea[name=site_note]")
    shown = {"site_note": box.get_text().strip("\n")} if box else {}  # as the browser sends
    url = f"{CHANGELIST}{comment.pk}/change/"
    as_shown = change_form(comment, **shown)
    moderator_client.post(url, {**as_shown, "_save": "Save"})
    moderator_client.post(url, {**as_shown, "_decision": "remove"})
    moderator_client.post(url, {**as_shown, "_decision": "approve", "reply": "Thank you."})
    messages = [entry.get_change_message() for entry in LogEntry.objects.order_by("pk")]
    assert messages and not [m for m in messages if "Note from the site" in m], messages
    assert not [m for m in messages if "Reply as the site" in m], messages
    comment.refresh_from_db()
    assert comment.site_note == ""


def test_the_comment_page_leads_to_all_from_its_email_and_its_ip(moderator_client):
    """The queue's card has "All from this email" and "From this IP"; the comment's page, where
    the worried-reader email leads, had a mailto alone."""
    comment = CommentFactory(user_email="tom@example.org", ip_address="198.51.100.7")
    page = change_page(moderator_client, comment)
    email = page.select_one(".field-writer_email")
    assert email.find("a", string="All from this email")["href"] == (
        "/admin/comments/comment/?state=all&user_email=tom%40example.org"
    )
    ip = page.select_one(".field-ip_shown")
    assert "198.51.100.7" in ip.get_text() and "IP address" in ip.get_text()
    link = ip.find("a", string="From this IP")["href"]
    assert link == "/admin/comments/comment/?state=all&ip_address=198.51.100.7"
    listed = soup(moderator_client.get(link))
    assert listed.select_one(f"#qc-{comment.pk}") is not None


def test_a_comment_its_writer_deleted_says_so_and_what_approve_would_do(
    moderator_client, moderator
):
    """The Status box said only "This comment is removed." beside Approve: nothing said its
    writer had withdrawn it, nor that approving publishes the words they deleted."""
    from comments import controls, decisions

    comment = CommentFactory()
    controls.delete_own(comment)
    said = change_page(moderator_client, comment).select_one(".comment-withdrawn").get_text()
    assert said.startswith("Its writer deleted it on ")
    assert "Approve would publish the writer's words again" in said
    assert "in its place, over their replies" in said
    held = CommentFactory(state="pending")  # deleted while held: its replies stay hidden
    controls.delete_own(held)
    said = change_page(moderator_client, held).select_one(".comment-withdrawn").get_text()
    assert ", while it was held: its replies stay off the page." in said
    assert "in its place" not in said
    decisions.decide([Comment.objects.get(pk=comment.pk)], Comment.State.PENDING, moderator)
    decisions.decide([Comment.objects.get(pk=comment.pk)], Comment.State.REMOVED, moderator)
    assert change_page(moderator_client, comment).select_one(".comment-withdrawn") is None
