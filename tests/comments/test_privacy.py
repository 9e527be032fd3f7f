"""Privacy requests (export, erase), IP retention and the privacy page."""

import datetime
import io
import json
import logging
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.flatpages.models import FlatPage
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from comments.models import Comment, TrustedCommenter, VerifiedEmail, hash_commenter_key
from comments.privacy import ERASED_NAME, ERASED_TEXT, email_reference, export_commenter
from tests.admin_forms import page_form
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"
ALL = "?state=all"


@pytest.fixture
def ann():
    """Ann's comments (one a reply to Bob, one with a reply from Bob), her trust and
    verified address, and Bob's comments, which must stay as they are."""
    article = ArticleFactory(title="Nerve pain after physio")
    bob_top = CommentFactory(article=article, user_name="Bob", user_email="bob@example.org")
    first = CommentFactory(
        article=article,
        user_name="Ann",
        user_email="Ann@Example.org",
        user_url="https://ann.example/",
        ip_address="198.51.100.7",
        comment="My story: pain after every session.",
        commenter_key_hash=hash_commenter_key("ann-key"),
        followup=True,
    )
    reply = CommentFactory(
        article=article,
        parent=bob_top,
        user_name="Ann R.",
        user_email="ann@example.org",
        ip_address="198.51.100.8",
        comment="Same here, Bob.",
        state=Comment.State.PENDING,
    )
    bob_reply = CommentFactory(
        article=article, parent=first, user_name="Bob", user_email="bob@example.org"
    )
    TrustedCommenter.objects.create(key_hash=first.commenter_key_hash, email="ann@example.org")
    TrustedCommenter.objects.create(key_hash="other", email="bob@example.org")
    VerifiedEmail.objects.create(email="ann@example.org")
    VerifiedEmail.objects.create(email="bob@example.org")
    return {"article": article, "first": first, "reply": reply, "bob": [bob_top, bob_reply]}


def bob_unchanged(ann):
    for bob in ann["bob"]:
        fresh = Comment.objects.get(pk=bob.pk)
        assert (fresh.user_name, fresh.user_email, fresh.comment, fresh.ip_address) == (
            "Bob",
            "bob@example.org",
            bob.comment,
            "192.0.2.10",
        )
    assert TrustedCommenter.objects.filter(email="bob@example.org").exists()
    assert VerifiedEmail.objects.filter(email="bob@example.org").exists()


# -- Export --------------------------------------------------------------------------------------


def test_export_holds_everything_about_the_commenter_and_nothing_else(ann):
    """Comments, dates, articles, IPs and subscriptions; the address matched ignoring case."""
    data = export_commenter("ANN@example.ORG")
    assert [c["id"] for c in data["comments"]] == [ann["first"].pk, ann["reply"].pk]
    first, reply = data["comments"]
    assert first["article"] == {
        "title": "Nerve pain after physio",
        "url": f"https://nervepain.example{ann['article'].get_absolute_url()}",
    }
    assert first["text"] == "My story: pain after every session."
    assert first["ip_address"] == "198.51.100.7"
    assert first["website"] == "https://ann.example/"
    assert first["submitted_at"] == ann["first"].submit_date.isoformat()
    assert first["reply_emails"] is True
    assert reply["in_reply_to"] == ann["bob"][0].pk
    assert reply["state"] == "pending"
    assert data["subscriptions"] == [{"comment": ann["first"].pk, "article": first["article"]}]
    assert data["email_verified_at"] is not None
    assert [entry["as_name"] for entry in data["trusted"]] == [""]
    assert "bob@example.org" not in json.dumps(data)


def test_export_holds_what_an_erasure_takes_as_the_commenters(ann):
    """Why each comment was held (it may quote the text or a name), the names trusted, the
    reports sent from the commenter's browser: erasure deletes them, so the copy has them."""
    from comments.models import CommentReport

    Comment.objects.filter(pk=ann["reply"].pk).update(reason="crisis", reason_detail="want to die")
    TrustedCommenter.objects.filter(email="ann@example.org").update(name="Ann Realname")
    CommentReport.objects.create(
        comment=ann["bob"][0], reason="other", text="I, Ann, report this.",
        reporter_key_hash=ann["first"].commenter_key_hash,
    )  # fmt: skip
    CommentReport.objects.create(comment=ann["first"], reason="spam", reporter_key_hash="bob")
    data = export_commenter("ann@example.org")
    assert data["comments"][1]["moderation"] == {"reason": "crisis", "detail": "want to die"}
    assert [entry["as_name"] for entry in data["trusted"]] == ["Ann Realname"]
    assert [(r["comment"], r["details"]) for r in data["reports_sent"]] == [
        (ann["bob"][0].pk, "I, Ann, report this.")
    ]


def test_export_says_when_a_report_became_a_worry(ann):
    """A report that later became a worry keeps when it was first made; when the reader said
    they were worried is kept apart (``worried_at``), and is theirs too: the copy has it."""
    from comments import controls

    key_hash = ann["first"].commenter_key_hash
    controls.report(ann["bob"][0], key_hash, "spam")
    first_at = timezone.now() - datetime.timedelta(days=2)
    ann["bob"][0].reports.update(created_at=first_at)
    controls.report(ann["bob"][0], key_hash, "worried", "Bob sounds low.")
    [report] = export_commenter("ann@example.org")["reports_sent"]
    assert report["reported_at"] == first_at.isoformat()
    worried_at = ann["bob"][0].reports.get().worried_at
    assert worried_at > first_at and report["worried_at"] == worried_at.isoformat()


def test_privacy_export_command_prints_json_and_logs_without_the_address(ann, caplog):
    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="comments.privacy"):
        call_command("privacy_export", "ann@example.org", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["comments"]) == 2
    [record] = [r for r in caplog.records if r.name == "comments.privacy"]
    assert "privacy export" in record.getMessage()
    assert email_reference("ann@example.org") in record.getMessage()
    assert "ann@example.org" not in record.getMessage()


def test_privacy_export_command_writes_a_file(ann, tmp_path):
    path = tmp_path / "ann.json"
    call_command("privacy_export", "ann@example.org", "--output", str(path), stderr=io.StringIO())
    assert len(json.loads(path.read_text())["comments"]) == 2


# -- Erase ---------------------------------------------------------------------------------------


def test_erase_removes_identity_text_and_subscriptions(ann, client, caplog):
    """Name, email, website, IP, browser key and reply emails go; the text is replaced, and
    why a comment was held (the words a rule matched, a name it was trusted under); the
    comments keep their place in the threads; other commenters are untouched."""
    Comment.objects.filter(pk=ann["first"].pk).update(reason="crisis", reason_detail="want to die")
    Comment.objects.filter(pk=ann["reply"].pk).update(reason_detail="trusted as Ann Realname")
    out = io.StringIO()
    with caplog.at_level(logging.INFO, logger="comments.privacy"):
        call_command("privacy_erase", "ANN@example.org", stdout=out)
    assert "Erased 2 comment(s) (text replaced), 1 trusted browser(s), 1 verified" in (
        out.getvalue()
    )
    for original in (ann["first"], ann["reply"]):
        erased = Comment.objects.get(pk=original.pk)
        assert erased.user_name == ERASED_NAME
        assert erased.reason_detail == ""  # it quoted the words a rule matched
        assert (erased.user_email, erased.user_url, erased.ip_address) == ("", "", None)
        assert erased.commenter_key_hash == ""
        assert not erased.followup
        assert erased.comment == ERASED_TEXT
        assert "My story" not in erased.comment_html
        assert (erased.parent_id, erased.state) == (original.parent_id, original.state)
    assert not TrustedCommenter.objects.filter(email__iexact="ann@example.org").exists()
    assert not VerifiedEmail.objects.filter(email__iexact="ann@example.org").exists()
    bob_unchanged(ann)

    page = BeautifulSoup(client.get(ann["article"].get_absolute_url()).content, "html.parser")
    shown = page.select_one(f"#c{ann['first'].pk}").get_text()
    assert "My story" not in shown and "Ann" not in shown
    assert "[removed at the author's request]" in shown and ERASED_NAME in shown
    [record] = [r for r in caplog.records if r.name == "comments.privacy"]
    assert "privacy erase" in record.getMessage() and "text=removed" in record.getMessage()
    assert "ann@" not in record.getMessage().lower()


def test_erase_can_keep_the_text_anonymous(ann):
    Comment.objects.filter(pk=ann["first"].pk).update(reason_detail="trusted as Ann Realname")
    call_command("privacy_erase", "ann@example.org", "--keep-text", stdout=io.StringIO())
    kept = Comment.objects.get(pk=ann["first"].pk)
    assert kept.reason_detail == ""
    assert kept.comment == "My story: pain after every session."
    assert (kept.user_name, kept.user_email, kept.ip_address) == (ERASED_NAME, "", None)


def own_links(page, comment):
    """The Reply and Report links of this comment alone (not of the replies under it)."""
    item = page.select_one(f"#c{comment.pk}")
    return [
        link.get_text(" ", strip=True).split()[0]
        for link in item.find_all("a", recursive=False)
        if link.get_text(strip=True).startswith(("Reply", "Report"))
    ]


def test_a_comment_erased_with_its_text_cannot_be_answered_or_reported(ann, client):
    """Nothing is left in it to answer or to report; its replies stay under it, and a
    comment erased with its text kept can still be answered and reported."""
    before = BeautifulSoup(client.get(ann["article"].get_absolute_url()).content, "html.parser")
    assert own_links(before, ann["first"]) == ["Reply", "Report"]
    call_command("privacy_erase", "ann@example.org", stdout=io.StringIO())
    page = BeautifulSoup(client.get(ann["article"].get_absolute_url()).content, "html.parser")
    assert "[removed at the author's request]" in page.select_one(f"#c{ann['first'].pk}").text
    assert own_links(page, ann["first"]) == []
    bob_reply = page.select_one(f"#c{ann['bob'][1].pk}")
    assert bob_reply.find_parent("li", id=f"c{ann['first'].pk}") is not None
    assert own_links(page, ann["bob"][1]) == ["Reply", "Report"]

    kept = CommentFactory(article=ann["article"], user_email="cat@example.org")
    call_command("privacy_erase", "cat@example.org", "--keep-text", stdout=io.StringIO())
    page = BeautifulSoup(client.get(ann["article"].get_absolute_url()).content, "html.parser")
    assert own_links(page, kept) == ["Reply", "Report"]


def test_a_comment_erased_with_its_text_cannot_be_answered_or_reported_by_address(
    ann, client, post
):
    """Its links were gone, but /comments/N/report/ took a report of the placeholder, and
    ?reply_to=N offered "Replying to Anonymous" and posted a reply under it."""
    call_command("privacy_erase", "ann@example.org", stdout=io.StringIO())
    erased, article = ann["first"], ann["article"]
    assert client.get(f"/comments/{erased.pk}/report/").status_code == 404
    sent = client.post(f"/comments/{erased.pk}/report/", {"reason": "spam", "text": ""})
    assert sent.status_code == 404
    assert not erased.reports.exists()
    asked = client.get(f"{article.get_absolute_url()}?reply_to={erased.pk}")
    assert asked.status_code == 302  # as for any comment that cannot be replied to
    assert asked["Location"] == article.get_absolute_url()
    response = post(article, comment="Sorry to hear it.", reply_to=str(erased.pk))
    assert response.status_code == 400
    assert "not available on this article" in response.content.decode()
    assert "Sorry to hear it." in response.content.decode()
    assert not Comment.objects.filter(comment="Sorry to hear it.").exists()


def test_erase_dry_run_changes_nothing(ann):
    out = io.StringIO()
    call_command("privacy_erase", "ann@example.org", "--dry-run", stdout=out)
    assert "Dry run: would erase 2 comment(s)" in out.getvalue()
    assert Comment.objects.filter(user_email__iexact="ann@example.org").count() == 2
    assert TrustedCommenter.objects.count() == 2


def test_erase_scrubs_the_admin_history_of_those_comments(ann, moderator):
    """Admin history names a comment by its author and first words: that goes too."""
    LogEntry.objects.log_actions(
        user_id=moderator.pk, queryset=[ann["first"]], action_flag=2, change_message="edited"
    )
    call_command("privacy_erase", "ann@example.org", stdout=io.StringIO())
    entry = LogEntry.objects.get(object_id=str(ann["first"].pk))
    assert "Ann" not in entry.object_repr and "My story" not in entry.object_repr


def test_erase_scrubs_the_admin_history_naming_the_address(ann, moderator):
    """Deleting her trust, then erasing her, left "Deleted: ann@example.org  Trusted commenter"
    among the admin home page's recent actions."""
    from comments.models import SpamSignature, TrustedCommenter

    trusted = TrustedCommenter.objects.get(email="ann@example.org")
    listed = SpamSignature.objects.create(
        comment=ann["first"], kind="email", value="ann@example.org"
    )
    bobs = SpamSignature.objects.create(comment=ann["first"], kind="email", value="bob@example.org")
    LogEntry.objects.log_actions(
        user_id=moderator.pk, queryset=[trusted, listed, bobs], action_flag=3, change_message=""
    )
    call_command("privacy_erase", "Ann@Example.org", stdout=io.StringIO())
    reprs = list(LogEntry.objects.order_by("pk").values_list("object_repr", flat=True))
    assert not [r for r in reprs if "ann@example.org" in r.lower()], reprs
    assert "Email: bob@example.org" in reprs  # another commenter's entry is theirs to keep


def test_erase_needs_an_address():
    with pytest.raises(CommandError):
        call_command("privacy_erase", "  ")


# -- Admin actions -------------------------------------------------------------------------------


def test_moderators_may_handle_privacy_requests(moderator):
    assert moderator.has_perm("comments.privacy_request")
    assert (
        Group.objects.get(name="Moderators").permissions.filter(codename="privacy_request").exists()
    )


def test_admin_export_downloads_json_and_logs(ann, moderator_client, moderator):
    response = moderator_client.post(
        CHANGELIST + ALL,
        {"action": "export_commenter_data", "_selected_action": [ann["reply"].pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    [commenter] = json.loads(response.content)["commenters"]
    assert {c["id"] for c in commenter["comments"]} == {ann["first"].pk, ann["reply"].pk}
    assert LogEntry.objects.filter(
        user=moderator, object_id=str(ann["first"].pk), change_message__contains="Exported"
    ).exists()


def test_admin_erase_asks_first_then_erases_as_chosen(ann, moderator_client, moderator):
    data = {"action": "erase_commenter_data", "_selected_action": [ann["first"].pk]}
    confirm = moderator_client.post(CHANGELIST + ALL, data)
    assert confirm.status_code == 200
    page = BeautifulSoup(confirm.content, "html.parser")
    assert "ann@example.org: 2 comments" in page.select_one(".erase-commenters").get_text()
    assert Comment.objects.get(pk=ann["first"].pk).user_name == "Ann"  # nothing yet

    done = moderator_client.post(CHANGELIST + ALL, {**data, "confirm": "yes", "text": "keep"})
    assert done.status_code == 302
    erased = Comment.objects.get(pk=ann["first"].pk)
    assert (erased.user_name, erased.user_email) == (ERASED_NAME, "")
    assert erased.comment == "My story: pain after every session."
    assert Comment.objects.get(pk=ann["reply"].pk).user_email == ""
    bob_unchanged(ann)
    assert LogEntry.objects.filter(
        user=moderator, object_id=str(ann["reply"].pk), change_message__contains="Erased"
    ).exists()


def test_admin_erase_says_how_many_comments_in_plain_words(ann, moderator_client):
    """The message counts the commenters and their comments each in its own plural: erasing
    one commenter's 2 comments said "1 commenter (2 comment)"."""
    data = {"action": "erase_commenter_data", "_selected_action": [ann["first"].pk]}
    done = moderator_client.post(
        CHANGELIST + ALL, {**data, "confirm": "yes", "text": "remove"}, follow=True
    )
    assert [str(m) for m in done.context["messages"]] == [
        "Erased the data of 1 commenter (2 comments)."
    ]


def test_privacy_actions_need_the_permission(ann):
    """Staff who may moderate but not handle privacy requests do not get the actions."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_comment", "moderate_comment"])
    )
    browser = Client()
    browser.force_login(user)
    choices = dict(browser.get(CHANGELIST + ALL).context["action_form"].fields["action"].choices)
    assert "approve" in choices
    assert "export_commenter_data" not in choices
    assert "erase_commenter_data" not in choices
    browser.post(
        CHANGELIST + ALL,
        {
            "action": "erase_commenter_data",
            "_selected_action": [ann["first"].pk],
            "confirm": "yes",
            "text": "remove",
        },
    )
    assert Comment.objects.get(pk=ann["first"].pk).user_name == "Ann"


# -- IP retention --------------------------------------------------------------------------------


def aged(days: int, **kwargs):
    comment = CommentFactory(**kwargs)
    Comment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - datetime.timedelta(days=days)
    )
    return comment


def test_ips_older_than_the_retention_are_cleared(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    old = aged(31, state=Comment.State.PENDING)
    recent = aged(29)
    out = io.StringIO()
    call_command("clear_old_ips", stdout=out)
    assert Comment.objects.get(pk=old.pk).ip_address is None
    assert Comment.objects.get(pk=recent.pk).ip_address == "192.0.2.10"
    assert "Cleared 1 IP address(es) older than 30 days." in out.getvalue()


def test_clear_old_ips_dry_run_and_days(settings):
    old = aged(10)
    out = io.StringIO()
    call_command("clear_old_ips", "--days", "7", "--dry-run", stdout=out)
    assert "would clear 1" in out.getvalue()
    assert Comment.objects.get(pk=old.pk).ip_address == "192.0.2.10"
    call_command("clear_old_ips", "--days", "7", stdout=io.StringIO())
    assert Comment.objects.get(pk=old.pk).ip_address is None


def test_retention_defaults_to_30_days():
    from django.conf import settings

    assert settings.COMMENTS_IP_RETENTION_DAYS == 30


def test_make_clear_ips_runs_the_command():
    """The cron entry point: ``make clear-ips``."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    target = makefile.split("\nclear-ips: venv\n", 1)[1].split("\n\n", 1)[0]
    assert "manage.py clear_old_ips" in target


# -- Privacy page --------------------------------------------------------------------------------


def test_the_privacy_page_says_what_is_collected_and_why(client):
    response = client.get("/privacy/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    for needle in (
        "Your name",
        "Your email address",
        "Your website",
        "Your IP address",
        "30 days",
        "np_commenter",
        "np_remember",
        "Why",
        "erase",
        "[removed at the author's request]",
    ):
        assert needle in text, needle


def test_staff_edit_the_privacy_page_in_the_admin(admin_client, client):
    page = FlatPage.objects.get(url="/privacy/")
    response = admin_client.post(
        f"/admin/articles/publisherpage/{page.pk}/change/",
        page_form(page, url="/privacy/", title="Privacy", content="<p>Updated text.</p>"),
    )
    assert response.status_code == 302
    assert "Updated text." in client.get("/privacy/").content.decode()


def test_the_comment_form_links_to_the_privacy_page(client):
    article = ArticleFactory()
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.select_one("#comment-privacy a[href='/privacy/']") is not None


def test_erase_takes_earlier_versions_spam_list_entries_and_sent_reports(ann):
    """The health features keep texts, emails and browser keys elsewhere: erasure reaches them."""
    from comments.models import CommentReport, CommentVersion, SpamSignature
    from comments.privacy import erase_commenter

    first, bob_top = ann["first"], ann["bob"][0]
    CommentVersion.objects.create(comment=first, text="My first draft.", state="published",
                                  change="edited")  # fmt: skip
    SpamSignature.objects.create(comment=ann["reply"], kind="ip", value="198.51.100.8")
    SpamSignature.objects.create(comment=bob_top, kind="email", value="ann@example.org")
    SpamSignature.objects.create(comment=bob_top, kind="email", value="bob@example.org")
    CommentReport.objects.create(comment=bob_top, reason="other",
                                 reporter_key_hash=first.commenter_key_hash)  # fmt: skip
    CommentReport.objects.create(comment=first, reason="spam", reporter_key_hash="someone")

    assert export_commenter("ann@example.org")["comments"][0]["earlier_versions"][0]["text"] == (
        "My first draft."
    )
    erase_commenter("ann@example.org", keep_text=False, by="test")
    assert not CommentVersion.objects.exists()
    assert set(SpamSignature.objects.values_list("value", flat=True)) == {"bob@example.org"}
    assert list(CommentReport.objects.values_list("reporter_key_hash", flat=True)) == ["someone"]


def test_the_privacy_page_names_every_cookie_the_site_sets(client):
    """The form's token cookie, set by an article's page for every reader, is on the page
    with the other two (articles.0019), once; the migration leaves a page editors rewrote."""
    import importlib

    from django.apps import apps
    from django.contrib.flatpages.models import FlatPage

    migration = importlib.import_module("articles.migrations.0019_privacy_form_cookie")
    text = client.get("/privacy/").content.decode()
    for cookie in ("np_commenter", "np_remember", "np_form"):
        assert text.count(f"<code>{cookie}</code>") == 1, cookie

    page = FlatPage.objects.get(url="/privacy/")
    migration.add(apps, None)  # twice: still once
    assert FlatPage.objects.get(pk=page.pk).content == page.content
    migration.remove(apps, None)
    assert "np_form" not in FlatPage.objects.get(pk=page.pk).content
    FlatPage.objects.filter(pk=page.pk).update(content="Our own words.")
    migration.add(apps, None)
    assert FlatPage.objects.get(pk=page.pk).content == "Our own words."


def test_the_privacy_page_says_what_a_report_keeps(client):
    """Reporting a comment sets the commenter key, and a report keeps its reason, words and
    time with that key's fingerprint: the page named the key only for posting, and reports
    not at all (articles.0027). Once, however often it runs; back the way it was."""
    import importlib

    from django.apps import apps
    from django.contrib.flatpages.models import FlatPage

    migration = importlib.import_module("articles.migrations.0027_privacy_reports")
    text = " ".join(client.get("/privacy/").content.decode().split())
    assert "<code>np_commenter</code> is set when you post or report a comment." in text
    assert text.count("<h2") and text.count("When you report a comment") == 1
    page = FlatPage.objects.get(url="/privacy/")
    migration.add(apps, None)  # twice: still once
    assert FlatPage.objects.get(pk=page.pk).content == page.content
    migration.remove(apps, None)
    content = FlatPage.objects.get(pk=page.pk).content
    assert "report" not in content.split("## Why")[0].split("## Cookies")[1]
    assert "When you report a comment" not in content
    migration.add(apps, None)
    assert FlatPage.objects.get(pk=page.pk).content == page.content


def test_the_privacy_page_says_what_becomes_of_a_deleted_comment(client):
    """Kept for the moderators 30 days, then emptied (delete_old_spam), or erased sooner on
    request (articles.0022): once, however often the migration runs; a rewritten page is left."""
    import importlib

    from django.apps import apps
    from django.contrib.flatpages.models import FlatPage

    migration = importlib.import_module("articles.migrations.0022_privacy_deleted_comments")
    text = client.get("/privacy/").content.decode()
    assert text.count("A comment you delete yourself is no longer shown to anyone") == 1
    assert text.count("the ones you deleted yourself included") == 1
    # Back to the page as 0022 left it (its periods written in), as migrating back would.
    periods = importlib.import_module("articles.migrations.0023_privacy_periods_follow_settings")
    periods.remove(apps, None)
    page = FlatPage.objects.get(url="/privacy/")
    migration.add(apps, None)  # twice: still once
    assert FlatPage.objects.get(pk=page.pk).content == page.content
    migration.remove(apps, None)
    assert "delete yourself" not in FlatPage.objects.get(pk=page.pk).content
    FlatPage.objects.filter(pk=page.pk).update(content="Our own words.")
    migration.add(apps, None)
    assert FlatPage.objects.get(pk=page.pk).content == "Our own words."


def test_the_privacy_pages_periods_follow_the_settings(client, settings):
    """The page said "30 days" as written, whatever the site kept: set to keep IP addresses
    a week, it still promised 30 days (articles.0023)."""
    settings.COMMENTS_IP_RETENTION_DAYS = 7
    settings.COMMENTS_SPAM_RETENTION_DAYS = 1
    page = BeautifulSoup(client.get("/privacy/").content, "html.parser")
    text = " ".join(page.find("article").get_text().split())
    assert "It is deleted 7 days after you comment." in text
    assert "IP addresses: 7 days." in text
    assert "the moderators can still read it for 1 day, then" in text
    assert "30 days" not in text and "{" not in text


def test_the_privacy_periods_migration_leaves_a_rewritten_page_and_goes_back(client):
    import importlib

    from django.apps import apps
    from django.contrib.flatpages.models import FlatPage

    migration = importlib.import_module("articles.migrations.0023_privacy_periods_follow_settings")
    page = FlatPage.objects.get(url="/privacy/")
    assert "{ip_days}" in page.content and "{deleted_days}" in page.content
    migration.add(apps, None)  # twice: unchanged
    assert FlatPage.objects.get(pk=page.pk).content == page.content
    migration.remove(apps, None)
    back = FlatPage.objects.get(pk=page.pk).content
    assert "{" not in back and back.count("30 days") == 3
    FlatPage.objects.filter(pk=page.pk).update(content="Our own words: 30 days.")
    migration.add(apps, None)
    assert FlatPage.objects.get(pk=page.pk).content == "Our own words: 30 days."


def test_comments_removed_long_ago_are_emptied_of_their_writers_data(ann, client, settings):
    """A comment its writer deleted (or a moderator removed) was kept with the name, email,
    IP and text, and a copy of the text, for ever: `make clear-spam` empties it after the
    retention period; the row stays for the thread's shape, a recent removal is kept."""
    from comments import controls
    from comments.models import CommentVersion

    settings.COMMENTS_SPAM_RETENTION_DAYS = 30
    controls.delete_own(ann["first"])  # Ann deletes her story
    recent = CommentFactory(article=ann["article"], state="removed", comment="Recent words")
    Comment.objects.filter(pk=recent.pk).update(moderated_at=timezone.now())
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Comment.objects.filter(pk=ann["first"].pk).update(moderated_at=long_ago)

    call_command("delete_old_spam", "--dry-run", stdout=(out := io.StringIO()))
    assert "empty 1 comment(s) removed before then" in out.getvalue()
    assert Comment.objects.get(pk=ann["first"].pk).user_email == "Ann@Example.org"

    call_command("delete_old_spam", stdout=io.StringIO())
    emptied = Comment.objects.get(pk=ann["first"].pk)
    assert (emptied.user_name, emptied.user_email, emptied.user_url) == (ERASED_NAME, "", "")
    assert (emptied.ip_address, emptied.commenter_key_hash, emptied.comment) == (
        None,
        "",
        "[removed]",
    )
    assert "My story" not in emptied.comment_html
    # No earlier text kept: the record of its writer's delete alone, empty (its place over
    # others' replies stands on it: tests/comments/test_readers_controls.py).
    assert list(CommentVersion.objects.filter(comment=emptied).values_list("change", "text")) == [
        ("deleted", "")
    ]
    assert emptied.state == Comment.State.REMOVED
    assert Comment.objects.get(pk=recent.pk).comment == "Recent words"
    bob_unchanged(ann)
    call_command("delete_old_spam", "--dry-run", stdout=(out := io.StringIO()))
    assert "empty 0 comment(s)" in out.getvalue()
