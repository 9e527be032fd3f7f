"""Medical claims: held with their matched words, highlighted in the queue, and publishable
with a public note from the site."""

import pytest
from bs4 import BeautifulSoup

from comments.health import highlight_matches
from comments.models import Comment, MedicalClaimPattern, TrustedCommenter
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def latest():
    return Comment.objects.latest("submit_date", "pk")


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Take 600 mg of gabapentin three times a day.", "take 600 mg"),
        (
            "Honestly, just stop taking your gabapentin, it is poison.",
            "stop taking your gabapentin",
        ),
        ("This turmeric oil cured my neuropathy in a month!", "cured my"),
        ("Turmeric cured me in two weeks, try it!", "cured me"),  # was published at once
        ("This oil healed me completely.", "healed me"),
        ("Use my code PAIN20 at checkout.", "use my code"),
        ("Our clinic has a miracle cure.", "miracle cure"),
    ],
)
def test_each_kind_of_claim_is_held_with_its_words(post, article, text, matched):
    post(article, comment=text)
    comment = latest()
    assert comment.state == Comment.State.PENDING
    assert comment.reason == Comment.Reason.MEDICAL
    assert matched in comment.reason_detail.split(", ")


@pytest.mark.parametrize(
    "text",
    [
        "Physio made it worse for a week, then better.",
        "My doctor changed my dose and it helped a lot.",
        "I stopped running and started swimming.",
        "Nothing has cured the pain yet, but walking helps.",
    ],
)
def test_ordinary_stories_are_not_claims(post, article, text):
    post(article, comment=text)
    assert latest().reason == Comment.Reason.NOT_TRUSTED


def test_claims_are_held_even_from_a_trusted_commenter(post, article):
    post(article)
    TrustedCommenter.objects.create(key_hash=latest().commenter_key_hash, email="ann@example.org")
    post(article, comment="Take 900mg twice a day, trust me.")
    assert latest().state == Comment.State.PENDING
    assert latest().reason == Comment.Reason.MEDICAL


def test_a_pattern_added_by_moderators_applies_to_the_next_comment(post, article):
    MedicalClaimPattern.objects.create(
        category="promotion", kind="pattern", pattern=r"\bclinic\w* in \w+"
    )
    post(article, comment="Try the clinics in Leeds, they know nerves.")
    assert latest().reason == Comment.Reason.MEDICAL
    assert latest().reason_detail == "clinics in leeds"


def test_a_broken_regular_expression_is_refused_with_the_reason(moderator_client):
    response = moderator_client.post(
        "/admin/comments/medicalclaimpattern/add/",
        {"category": "cure", "kind": "pattern", "pattern": "cure(s"},
    )
    assert response.status_code == 200
    assert "This is not a valid regular expression" in response.content.decode()
    assert not MedicalClaimPattern.objects.filter(pattern="cure(s").exists()


def test_highlight_marks_the_matched_words_and_escapes_the_rest():
    comment = Comment(
        comment="<b>Take</b> 600  MG daily; it cured my pain",
        reason=Comment.Reason.MEDICAL,
        reason_detail="take 600 mg, cured my",
    )
    html = str(highlight_matches(comment))
    assert "&lt;b&gt;Take&lt;/b&gt;" in html  # the tag is text; "take 600 mg" spans it
    assert "<mark>cured my</mark>" in html
    assert "<b>" not in html


def test_the_queue_highlights_the_matched_words(moderator_client):
    comment = CommentFactory(
        state="pending",
        comment="Stop taking your pregabalin now.",
        reason=Comment.Reason.MEDICAL,
        reason_detail="stop taking your pregabalin",
    )
    page = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    row = page.find("input", value=str(comment.pk)).find_parent("tr")
    # The card shows the whole text, the words that matched marked as written.
    assert row.find("mark").get_text() == "Stop taking your pregabalin"


def test_a_marked_card_keeps_the_comments_paragraphs(moderator_client):
    """A held medical claim or crisis comment, the texts a moderator must read whole, ran its
    paragraphs together on its card; readers see them apart."""
    comment = CommentFactory(
        state="pending",
        comment="Everyone should try this.\n\nStop taking your pregabalin <now>.\nIt worked.",
        reason=Comment.Reason.MEDICAL,
        reason_detail="stop taking your pregabalin",
    )
    page = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    text = page.select_one(f"#qc-{comment.pk} .qc-highlighted")
    assert [str(p) for p in text.find_all("p")] == [
        "<p>Everyone should try this.</p>",
        "<p><mark>Stop taking your pregabalin</mark> &lt;now&gt;.<br/>It worked.</p>",
    ]


def test_a_phrase_over_a_blank_line_is_marked_whole_on_its_card(moderator_client):
    """ "miracle⏎⏎cure" was held as "miracle cure" and only "miracle" marked: the mark ran
    across the paragraphs the card draws, and ended at the first."""
    comment = CommentFactory(
        state="pending",
        comment="My aunt found a miracle\n\ncure at a clinic",
        reason=Comment.Reason.MEDICAL,
        reason_detail="miracle cure",
    )
    page = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    text = page.select_one(f"#qc-{comment.pk} .qc-highlighted")
    assert [mark.get_text() for mark in text.select("mark")] == ["miracle", "cure"]


def publish_with_note(moderator_client, comment, tab="", **extra):
    return moderator_client.post(
        f"/admin/comments/comment/{tab}",
        {"action": "publish_with_note", "_selected_action": [comment.pk], **extra},
    )


def test_publishing_with_a_note_asks_for_the_note_first(moderator_client):
    comment = CommentFactory(state="pending", reason=Comment.Reason.MEDICAL)
    response = publish_with_note(moderator_client, comment)
    assert response.status_code == 200
    assert "talk to your doctor" in response.content.decode()  # a suggested note
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING


@pytest.mark.parametrize("cache_mode", ["page cache", "fragment caches"])
def test_published_with_a_note_readers_see_it_marked_as_from_the_site(
    settings, moderator_client, moderator, client, cache_mode
):
    settings.PAGE_CACHE_SECONDS = 300 if cache_mode == "page cache" else 0
    settings.FRAGMENT_CACHE_SECONDS = 300 if cache_mode == "fragment caches" else 0
    comment = CommentFactory(state="pending", comment="Lyrica 300 mg at night fixed me.")
    url = comment.content_object.get_absolute_url()
    client.get(url)  # cached without it
    response = publish_with_note(
        moderator_client, comment, confirm="yes", site_note="Please ask your doctor first."
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED
    assert comment.moderated_by == moderator
    item = BeautifulSoup(client.get(url).content, "html.parser").find(id=f"c{comment.pk}")
    note = item.select_one(".site-note")
    assert "Please ask your doctor first." in note.get_text()
    assert note.select_one(".badge").get_text() == "From nervepain"


def test_an_empty_note_publishes_nothing_and_asks_again(moderator_client):
    comment = CommentFactory(state="pending")
    response = publish_with_note(moderator_client, comment, confirm="yes", site_note="  ")
    assert response.status_code == 200
    assert "Write a note of 1 to 300 characters" in response.content.decode()
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING
    assert comment.site_note == ""


def test_moderate_with_a_note_on_a_published_comment_updates_the_note(moderator):
    comment = CommentFactory(state="published")
    assert comment.moderate(Comment.State.PUBLISHED, moderator, note="Ask your doctor.")
    comment.refresh_from_db()
    assert comment.site_note == "Ask your doctor."
    assert not comment.moderate(Comment.State.PUBLISHED, moderator, note="Ask your doctor.")


def test_defaults_cover_the_four_kinds_of_claim():
    categories = set(MedicalClaimPattern.objects.values_list("category", flat=True))
    assert categories == {"dosing", "stop", "cure", "promotion"}


def test_a_match_holding_a_comma_is_quoted_in_the_reason_and_highlighted_whole(post, article):
    """ "cured my, rub it in, nightly" read as three matches; the one holding a comma is
    quoted, and the queue marks each match as a whole."""
    MedicalClaimPattern.objects.create(
        category="dosing", kind="pattern", pattern=r"rub it in, \w+ly"
    )
    post(article, comment="Rub it in, nightly. It cured my pain.")
    comment = latest()
    assert comment.reason == Comment.Reason.MEDICAL
    assert comment.reason_detail == "cured my, “rub it in, nightly”"
    html = str(highlight_matches(comment))
    assert "<mark>Rub it in, nightly</mark>" in html
    assert "<mark>cured my</mark>" in html


def test_a_reason_cut_inside_its_quotes_still_highlights():
    comment = Comment(
        comment="He said take 600 mg, twice daily",
        reason=Comment.Reason.MEDICAL,
        reason_detail="cured my, “take 600 mg, twice",
    )
    assert "<mark>take 600 mg, twice</mark>" in str(highlight_matches(comment))


def _undo(moderator_client, response):
    from urllib.parse import parse_qs, urlsplit

    href = BeautifulSoup(response.content, "html.parser").select_one("a.undo-link")["href"]
    token = parse_qs(urlsplit(href).query)["token"][0]
    return moderator_client.post("/admin/comments/comment/undo/", {"token": token}, follow=True)


def test_undoing_a_publish_with_a_note_takes_the_note_back_too(moderator_client):
    """Undo put the comment back in the queue with the note still on it: its next plain
    Approve published the note that was undone. The writer is not trusted for it either: a
    comment that needed the site's note does not let their next one through unread."""
    from comments.models import TrustedCommenter

    comment = CommentFactory(state="pending", reason=Comment.Reason.MEDICAL)
    response = publish_with_note(
        moderator_client, comment, confirm="yes", site_note="Wrong note, by mistake."
    )
    response = moderator_client.get(response["Location"])
    assert "1 comment published with the note from the site." in response.content.decode()
    assert not TrustedCommenter.objects.exists()
    assert "1 comment put back." in _undo(moderator_client, response).content.decode()
    comment.refresh_from_db()
    assert (comment.state, comment.site_note) == ("pending", "")


def test_changing_a_published_comments_note_starts_from_it_and_can_be_undone(moderator_client):
    """The box began with the default note, not the comment's; the message said "1 comment
    approved", and Undo answered "0 comments put back", the new note staying."""
    from django.contrib.admin.models import LogEntry

    comment = CommentFactory(state="published", site_note="Turmeric is no replacement.")
    tab = "?state=published"
    form = publish_with_note(moderator_client, comment, tab)
    form = BeautifulSoup(form.content, "html.parser")
    assert form.select_one("#id_site_note").get_text().strip() == "Turmeric is no replacement."
    assert "This comment will be published with your note under it" in form.get_text()
    # Several with other notes: each one's note is shown, and that yours replaces them.
    other = CommentFactory(state="published", site_note="Note for this one only.")
    several = moderator_client.post(
        "/admin/comments/comment/?state=published",
        {"action": "publish_with_note", "_selected_action": [comment.pk, other.pk]},
    )
    several = BeautifulSoup(several.content, "html.parser")
    assert sorted(s.get_text() for s in several.select("ul .help")) == [
        "Its note now: “Note for this one only.”",
        "Its note now: “Turmeric is no replacement.”",
    ]
    assert "in place of any note they have now" in several.get_text()
    response = publish_with_note(
        moderator_client, comment, tab, confirm="yes", site_note="Third version of the note."
    )
    response = moderator_client.get(response["Location"])
    comment.refresh_from_db()
    assert comment.site_note == "Third version of the note."

    def history():
        entries = LogEntry.objects.filter(object_id=str(comment.pk)).order_by("pk")
        return [entry.change_message for entry in entries]

    assert history() == ["Note from the site changed to “Third version of the note.”"]
    assert "1 comment put back." in _undo(moderator_client, response).content.decode()
    comment.refresh_from_db()
    assert (comment.state, comment.site_note) == ("published", "Turmeric is no replacement.")
    assert history()[-1] == (
        "Decision undone; note from the site back to “Turmeric is no replacement.”"
    )
    held = CommentFactory(state="pending")
    publish_with_note(moderator_client, held, confirm="yes", site_note="Ask your doctor.")
    assert LogEntry.objects.latest("pk").change_message == (
        "Comment approved, with the note from the site: “Ask your doctor.”"
    )


def test_save_with_a_reply_to_a_held_comment_says_it_approved_it_with_undo(moderator_client):
    """Save with a reply typed publishes the held comment it answers: the message said only
    "changed successfully", with no Undo, and History got an empty "No fields changed."."""
    from django.contrib.admin.models import LogEntry

    from tests.comments.test_comment_page import change_form

    comment = CommentFactory(state="pending", reason="reported")
    url = f"/admin/comments/comment/{comment.pk}/change/"
    data = change_form(comment, reply="Thanks, we are checking this one.", _save="Save")
    response = moderator_client.post(url, data, follow=True)
    said = response.content.decode()
    assert "Your reply is published." in said and "1 comment approved." in said
    comment.refresh_from_db()
    assert comment.state == "published"
    assert "No fields changed." not in [
        entry.get_change_message() for entry in LogEntry.objects.filter(object_id=str(comment.pk))
    ]
    undone = _undo(moderator_client, response).content.decode()
    assert "1 comment put back." in undone
    # Its reply stays, unseen until the comment is approved again: said, as it was not.
    assert "The site&#x27;s reply under it stays published, but hidden with it" in undone
    comment.refresh_from_db()
    assert comment.state == "pending"
