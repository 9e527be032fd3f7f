"""Spam that learns locally: what a moderator marks as spam marks the next one, "Not spam"
forgets it, and old spam is deleted with its personal data."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.db.models.deletion import Collector
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import pagecache
from comments.models import Comment, SpamFingerprintMinimum, SpamSignature
from comments.spam import (
    FINGERPRINT_HASHES,
    delete_old_spam,
    fingerprint,
    index_fingerprints,
    match,
    minimum_keys,
)
from tests.comments.conftest import form_data, send
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

SPAM_TEXT = (
    "Great article! I found the best cheap replica watches and designer bags at "
    "https://www.spam.example/shop and my friends love them all"
)


def latest():
    return Comment.objects.latest("submit_date", "pk")


def act(moderator_client, action, comment):
    response = moderator_client.post(
        "/admin/comments/comment/?state=all", {"action": action, "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302
    comment.refresh_from_db()


def post_from(client, article, ip, **fields):
    response = send(client, form_data(article, **fields), REMOTE_ADDR=ip)
    assert response.status_code == 303
    return latest()


@pytest.fixture
def marked(client, article, moderator_client):
    """A comment a moderator marked as spam."""
    comment = post_from(
        client,
        article,
        "203.0.113.7",
        email="Seller@Spam.example",
        url="https://spam-site.example/",
        comment=SPAM_TEXT,
    )
    act(moderator_client, "mark_spam", comment)
    assert comment.state == Comment.State.SPAM
    return comment


def entries():
    return set(SpamSignature.objects.values_list("kind", "value"))


def test_marking_spam_records_domains_email_ip_and_a_fingerprint(marked):
    assert entries() == {
        ("domain", "spam.example"),
        ("domain", "spam-site.example"),
        ("email", "seller@spam.example"),
        ("ip", "203.0.113.7"),
        ("text", fingerprint(SPAM_TEXT)),
    }


@pytest.mark.parametrize(
    ("fields", "ip", "why"),
    [
        ({"email": "seller@spam.example"}, "198.51.100.1", "email"),
        ({"email": "seller@spam.example"}, "203.0.113.7", "ip"),  # with its email: spam
        (
            {"comment": "See https://spam.example/other please"},
            "198.51.100.2",
            "domain spam.example",
        ),
        ({"url": "http://www.spam-site.example/x"}, "198.51.100.3", "domain spam-site.example"),
        (
            {"comment": SPAM_TEXT.replace("Great article!", "Nice post, truly.")},
            "198.51.100.4",
            "similar text",
        ),
    ],
)
def test_a_later_comment_sharing_a_trait_is_spam_at_once(
    marked, other_reader, article, moderator, fields, ip, why, django_capture_on_commit_callbacks
):
    fields = {"email": "new@example.org", "comment": "An ordinary remark about pain.", **fields}
    if "similar" in why:
        fields["comment"] = fields["comment"].replace("https://www.spam.example/shop ", "")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_from(other_reader, article, ip, **fields)
    assert comment.state == Comment.State.SPAM
    assert comment.reason == Comment.Reason.SPAM_LIST
    assert why in comment.reason_detail.split(", ")
    assert mail.outbox == []  # no moderator is disturbed by known spam


def test_a_short_text_found_similar_and_nothing_else_is_held_not_spam(
    client, other_reader, article, moderator, moderator_client, django_capture_on_commit_callbacks
):
    """A spam question of 8 words ("how long did your flare-ups last?") sent readers asking
    the same in their own first words to spam at once, unseen, no moderator told. A short
    text found similar, and nothing else, is held, its moderators emailed; a long one, or one
    with another trait on the list, is still spam."""
    from comments import spam

    question = "Batch comment two: how long did your flare-ups last after starting physio?"
    sent = post_from(client, article, "203.0.113.70", email="a@example.org", comment=question)
    act(moderator_client, "mark_spam", sent)
    asked = question.replace("Batch comment two", "Rush comment nine")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_from(other_reader, article, "198.51.100.70", comment=asked)
    assert (comment.state, comment.reason) == ("pending", Comment.Reason.SPAM_LIST)
    assert comment.reason_detail == spam.SIMILAR_ONLY_HELD
    assert len(mail.outbox) == 1  # the moderators are told, as of any held comment
    # Approved, it leaves the spam's fingerprint listed (it took it off for good, Undo or not).
    act(moderator_client, "approve", comment)
    assert SpamSignature.objects.filter(kind="text", comment=sent).exists()
    again = post_from(Client(), article, "198.51.100.71", email="a@example.org", comment=asked)
    assert again.state == "spam"  # its email is on the list too


def test_a_comment_known_by_its_ip_address_alone_is_held_not_spam(
    marked, other_reader, article, moderator, moderator_client, django_capture_on_commit_callbacks
):
    """One spammer's IP sent every later reader on that address (a phone network, a hospital's
    Wi-Fi) to spam, unseen: a reader's health story vanished with no moderator told. It is
    held, its moderators emailed; approving it forgets the address, as others share it."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_from(
            other_reader, article, "203.0.113.7", email="helen@example.org",
            comment="A warm bath before bed helped my feet more than anything.",
        )  # fmt: skip
    assert comment.state == Comment.State.PENDING
    assert comment.reason == Comment.Reason.SPAM_LIST
    assert comment.reason_detail.startswith("ip only: held")
    assert [m.to for m in mail.outbox] == [[moderator.email]]

    act(moderator_client, "approve", comment)
    assert comment.state == Comment.State.PUBLISHED
    assert ("ip", "203.0.113.7") not in entries()
    assert ("email", "seller@spam.example") in entries()  # the spammer's other traits stay
    later = post_from(
        other_reader, article, "203.0.113.7", email="sam@example.org",
        comment="Ice packs for ten minutes eased the burning for me.",
    )  # fmt: skip
    assert later.reason != Comment.Reason.SPAM_LIST


def test_a_different_comment_is_not_caught(marked, other_reader, article):
    comment = post_from(
        other_reader,
        article,
        "198.51.100.9",
        comment="Walking every morning helped my feet more than any of the creams I bought.",
    )
    assert comment.state == Comment.State.PENDING


def test_short_texts_and_the_sites_own_links_teach_nothing(client, article, moderator_client):
    comment = post_from(
        client, article, "203.0.113.8", comment="Thanks! https://nervepain.example/articles/x/"
    )
    act(moderator_client, "mark_spam", comment)
    assert fingerprint("Thanks!") == ""
    assert {kind for kind, _ in entries()} == {"email", "ip"}


def test_not_spam_puts_it_back_and_removes_its_entries(marked, moderator_client, other_reader):
    act(moderator_client, "not_spam", marked)
    assert marked.state == Comment.State.PENDING
    assert entries() == set()


def test_not_spam_on_a_caught_comment_removes_the_entries_that_caught_it(
    marked, moderator_client, other_reader, article
):
    caught = post_from(other_reader, article, "198.51.100.1", email="seller@spam.example")
    assert caught.state == Comment.State.SPAM
    act(moderator_client, "not_spam", caught)
    assert caught.state == Comment.State.PENDING
    assert ("email", "seller@spam.example") not in entries()
    assert ("ip", "203.0.113.7") in entries()  # what did not catch it stays
    again = post_from(other_reader, article, "198.51.100.1", email="seller@spam.example")
    assert again.state == Comment.State.PENDING


def test_staff_are_never_caught(marked, staff_client, article):
    send(staff_client, form_data(article, comment=SPAM_TEXT), REMOTE_ADDR="203.0.113.7")
    assert latest().state == Comment.State.PUBLISHED


def test_the_spam_list_is_read_only_in_the_admin_but_entries_can_be_deleted(
    marked, moderator_client
):
    entry = SpamSignature.objects.get(kind="email")
    assert moderator_client.get("/admin/comments/spamsignature/").status_code == 200
    assert moderator_client.get("/admin/comments/spamsignature/add/").status_code == 403
    response = moderator_client.post(
        f"/admin/comments/spamsignature/{entry.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not SpamSignature.objects.filter(pk=entry.pk).exists()


def test_the_spam_list_shows_a_fingerprint_by_its_start_and_links_what_it_learned_from(
    marked, moderator_client
):
    entry = SpamSignature.objects.get(kind=SpamSignature.Kind.FINGERPRINT)
    page = moderator_client.get("/admin/comments/spamsignature/").content.decode()
    assert f"{entry.value[:16]}…" in page and entry.value not in page
    assert f'href="/admin/comments/comment/{entry.comment_id}/change/"' in page
    detail = moderator_client.get(f"/admin/comments/spamsignature/{entry.pk}/change/")
    assert entry.value in detail.content.decode()  # whole on its own page


def test_the_spam_list_counts_its_entries_in_words(marked, moderator_client):
    """Not "5 spam list", from the model's plural (the sidebar's name)."""
    count = SpamSignature.objects.count()
    page = moderator_client.get("/admin/comments/spamsignature/").content.decode()
    paginator = " ".join(page.split('<p class="paginator">')[1].split("</p>")[0].split())
    assert paginator == f"{count} entries on the spam list"
    SpamSignature.objects.exclude(pk=SpamSignature.objects.first().pk).delete()
    page = moderator_client.get("/admin/comments/spamsignature/").content.decode()
    assert "1 entry on the spam list" in page


def test_old_spam_is_deleted_with_its_personal_data_and_logged(marked, caplog, settings):
    settings.COMMENTS_SPAM_RETENTION_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    Comment.objects.filter(pk=marked.pk).update(submit_date=old)
    recent_spam = CommentFactory(state="spam")
    old_published = CommentFactory(state="published")
    Comment.objects.filter(pk=old_published.pk).update(submit_date=old)

    call_command("delete_old_spam", "--dry-run")
    assert Comment.objects.filter(pk=marked.pk).exists()

    with caplog.at_level(logging.INFO, logger="comments.spam"):
        call_command("delete_old_spam")
    assert not Comment.objects.filter(pk=marked.pk).exists()
    assert not Comment.objects.filter(user_email__iexact="seller@spam.example").exists()
    assert SpamSignature.objects.count() == 0
    assert set(Comment.objects.values_list("pk", flat=True)) == {recent_spam.pk, old_published.pk}
    assert "deleted old spam comments=1 older_than_days=30" in caplog.text


def test_old_spam_is_deleted_in_batches_each_its_own_transaction(marked):
    """Django reads every row it deletes: months of spam in one transaction held its locks
    and memory to the end (30,000 comments: 7.7 s, 272 MB)."""
    for n in range(4):
        CommentFactory(state="spam", comment=f"{SPAM_TEXT} {n}")
    kept = CommentFactory(state="published")
    with CaptureQueriesContext(connection) as queries:
        assert delete_old_spam(0, batch=2) == 5
    deletes = [q for q in queries if q["sql"].startswith('DELETE FROM "django_comments" ')]
    savepoints = [q for q in queries if q["sql"].startswith("SAVEPOINT")]
    assert (len(deletes), len(savepoints)) == (3, 4)  # 2 + 2 + 1, then one that finds none
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's VACUUM")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deleting_old_spam_leaves_the_spam_list_vacuumed(marked):
    """With autovacuum away, PostgreSQL read the spam list's index whole after a mass
    deletion (24 live rows among 2.5 million dead): the deletion cleans up after itself."""
    with CaptureQueriesContext(connection) as queries:
        call_command("delete_old_spam", "--days", "0")
    assert [q["sql"] for q in queries if q["sql"].startswith("VACUUM")] == [
        'VACUUM (ANALYZE) "comments_spamsignature", "comments_spamfingerprintminimum"'
    ]


def test_days_can_be_given_and_must_not_be_negative(marked):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot be negative"):
        call_command("delete_old_spam", "--days", "-1")
    call_command("delete_old_spam", "--days", "0")
    assert not Comment.objects.filter(pk=marked.pk).exists()


def test_similar_texts_are_found_through_the_index_of_minimums(marked, other_reader, article):
    """A similar text is found by the minimums kept for the fingerprint, not by reading every
    fingerprint on the list: without them, the same text is no longer caught."""
    fingerprint_entry = SpamSignature.objects.get(kind="text")
    assert sorted(fingerprint_entry.minimums.values_list("key", flat=True)) == sorted(
        minimum_keys(fingerprint_entry.value)
    )
    assert len(minimum_keys(fingerprint_entry.value)) == FINGERPRINT_HASHES

    similar = SPAM_TEXT.replace("Great article!", "Nice post.").replace(
        "https://www.spam.example/shop ", ""
    )
    fingerprint_entry.minimums.all().delete()
    assert post_from(other_reader, article, "198.51.100.4", comment=similar).state == "pending"


@pytest.mark.parametrize(("shared", "caught"), [(10, True), (9, False)])
def test_a_text_is_similar_from_ten_of_the_twenty_four_minimums(article, marked, shared, caught):
    """``FINGERPRINT_SIMILARITY`` (0.4) of 24 minimums at the same positions: 9.6, so 10."""
    text = "My physio gave me nerve glides and the pain eased after two gentle weeks of them"
    own = fingerprint(text)
    chunks = [own[i : i + 8] for i in range(0, len(own), 8)]
    listed = "".join(
        chunk if i < shared else f"{(int(chunk, 16) + 1) % 2**32:08x}"
        for i, chunk in enumerate(chunks)
    )
    SpamSignature.objects.filter(kind="text").delete()
    entry = SpamSignature.objects.create(comment=marked, kind="text", value=listed)
    index_fingerprints(SpamSignature.objects.filter(pk=entry.pk))
    comment = CommentFactory.build(comment=text, user_email="new@example.org", ip_address=None)
    assert (match(comment) == "similar text") is caught


def test_the_index_goes_with_the_fingerprint(marked, moderator_client):
    assert SpamFingerprintMinimum.objects.count() == FINGERPRINT_HASHES
    act(moderator_client, "not_spam", marked)
    assert not SpamFingerprintMinimum.objects.exists()


def test_every_trait_is_looked_up_in_one_query(marked, django_assert_num_queries):
    """A post checks its link domains, email, IP and text against the spam list in one
    statement (building two querysets cost more CPU than the rest of the rules together),
    and still finds both kinds of entry."""
    similar = SPAM_TEXT.replace("Great article!", "Nice post.")
    comment = CommentFactory.build(
        comment=similar, user_email="seller@spam.example", ip_address="198.51.100.9"
    )
    with django_assert_num_queries(1):
        found = match(comment)
    assert sorted(found.split(", ")) == ["domain spam.example", "email", "similar text"]


def test_deleting_spam_leaves_readers_pages_cached(marked):
    """The spam list is the moderators' record: deleting old spam with what it taught (its
    fingerprint's minimums among them) does not make every cached page stale."""
    before = pagecache.current_version()
    call_command("delete_old_spam", "--days", "0")
    assert SpamFingerprintMinimum.objects.count() == 0
    assert pagecache.current_version() == before


def test_the_index_of_minimums_is_deleted_without_being_read():
    """Deleting fingerprints deletes their minimums by one statement, never reading them: a
    receiver watching those deletes made Django read each of them and bump the page version
    twice per row (20,000 fingerprints, 480,000 minimums: 175 s in one transaction)."""
    assert Collector(using="default").can_fast_delete(SpamFingerprintMinimum.objects.all())


def test_a_spam_wave_marked_at_once_is_listed_once(client, other_reader, article, moderator_client):
    """Held comments of one spam wave, marked together: their shared traits are on the list
    once, renewed by the last one marked (copies made every later check read them all), and
    what differs (each IP) is added."""
    first = post_from(
        client, article, "203.0.113.7", email="seller@spam.example", comment=SPAM_TEXT
    )
    second = post_from(
        other_reader,
        article,
        "203.0.113.8",
        email="Seller@Spam.example",
        comment=SPAM_TEXT.replace("all", "all, today only"),
    )
    assert (first.state, second.state) == ("pending", "pending")  # nothing listed yet
    act(moderator_client, "mark_spam", first)
    act(moderator_client, "mark_spam", second)

    listed = list(SpamSignature.objects.values_list("kind", "value", "comment"))
    assert sorted(listed) == sorted(
        [
            ("domain", "spam.example", second.pk),
            ("email", "seller@spam.example", second.pk),
            ("ip", "203.0.113.7", first.pk),
            ("ip", "203.0.113.8", second.pk),
            ("text", fingerprint(SPAM_TEXT), second.pk),  # the second's text was similar
        ]
    )
    assert SpamFingerprintMinimum.objects.count() == FINGERPRINT_HASHES


def test_renewed_entries_live_as_long_as_the_latest_spam(
    client, other_reader, article, moderator_client
):
    first = post_from(
        client, article, "203.0.113.7", email="seller@spam.example", comment=SPAM_TEXT
    )
    caches["counters"].clear()  # later: the same text is not "sent again" within the window
    second = post_from(
        other_reader, article, "203.0.113.8", email="seller@spam.example", comment=SPAM_TEXT
    )
    act(moderator_client, "mark_spam", first)
    act(moderator_client, "mark_spam", second)
    old = timezone.now() - datetime.timedelta(days=31)
    Comment.objects.filter(pk=first.pk).update(submit_date=old)

    call_command("delete_old_spam")
    assert entries() == {
        ("domain", "spam.example"),
        ("email", "seller@spam.example"),
        ("ip", "203.0.113.8"),
        ("text", fingerprint(SPAM_TEXT)),
    }
    act(moderator_client, "not_spam", second)
    assert entries() == set()


def test_a_spam_list_entrys_delete_page_lists_no_index_rows(marked, admin_client):
    """It listed "Spam fingerprint minimums: 24" beside the entry: the text's index rows."""
    entry = SpamSignature.objects.get(kind="text")
    response = admin_client.get(f"/admin/comments/spamsignature/{entry.pk}/delete/")
    text = " ".join(response.content.decode().split())
    assert str(entry) in text  # the entry itself is listed
    assert "minimum" not in text.lower()
