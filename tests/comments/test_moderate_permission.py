"""Staff who may read the queue, or even change comments, but not decide on them (the
moderation permission taken away, as docs/moderating.md says an administrator may) are
offered no decision, reply or key, and a reply they post anyway publishes nothing; an
approval undone takes back the trust it gave."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import Client

from comments import decisions
from comments.models import Comment, TrustedCommenter, hash_commenter_key
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def ned():
    """In the Moderators group's shoes, without the moderation permission."""
    user = UserFactory(is_staff=True)
    kept = Group.objects.get(name="Moderators").permissions.exclude(codename="moderate_comment")
    user.user_permissions.set(kept)
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def vic():
    """May only look at comments and reports."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_comment", "view_commentreport"])
    )
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.mark.parametrize("who", ["ned", "vic"])
def test_the_queue_offers_no_decision_reply_or_keys_to_staff_who_may_not_decide(
    request, moderator_client, who
):
    comment = CommentFactory(state="pending")
    browser = request.getfixturevalue(who)
    page = BeautifulSoup(browser.get(CHANGELIST).content, "html.parser")
    card = page.select_one(f"#qc-{comment.pk}")
    assert card is not None  # the comment is shown, to read
    assert card.select("button.qc-btn, details.qc-reply, textarea") == []
    assert card.select_one("a.qc-edit") is not None  # Open stays
    assert page.select_one("#queue-keys") is None and page.select_one("[data-keys-open]") is None
    assert page.find("a", string="Change your public name") is None
    assert "need the permission to moderate comments" in page.select_one(".queue-tools").text

    moderators = BeautifulSoup(moderator_client.get(CHANGELIST).content, "html.parser")
    card = moderators.select_one(f"#qc-{comment.pk}")
    assert [b.get_text() for b in card.select("button.qc-btn")][:3] == ["Approve", "Spam", "Remove"]
    assert card.select_one("textarea") is not None
    assert moderators.select_one("#queue-keys") is not None


def test_a_reply_from_staff_who_may_not_decide_publishes_nothing(ned):
    """Replying to a held comment approves it: the box is not on their page, and a reply
    posted with the form anyway is not published, nor is the comment or its writer trusted."""
    comment = CommentFactory(state="pending", commenter_key_hash=hash_commenter_key("k"))
    url = f"{CHANGELIST}{comment.pk}/change/"
    page = BeautifulSoup(ned.get(url).content, "html.parser")
    assert page.select_one("textarea[name=reply]") is None
    form = {
        "user_name": comment.user_name,
        "user_url": "",
        "comment": comment.comment,
        "reply": "Ned's reply text here",
    }
    ned.post(url, form)
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING
    assert not Comment.objects.filter(from_site=True).exists()
    assert not TrustedCommenter.objects.exists()


def trusted(comment):
    return TrustedCommenter.objects.filter(
        key_hash=comment.commenter_key_hash, email=comment.user_email.lower()
    ).exists()


@pytest.mark.parametrize("start", ["pending", "spam"])
def test_undoing_an_approval_takes_back_the_trust_it_gave(moderator, start):
    comment = CommentFactory(
        state=start, user_email="sue@promo.example", commenter_key_hash=hash_commenter_key("s")
    )
    changed = decisions.decide([comment], Comment.State.PUBLISHED, moderator)
    assert trusted(comment)
    decisions.undo(decisions.read_undo_token(decisions.undo_token(changed, "published")), moderator)
    comment.refresh_from_db()
    assert comment.state == start
    assert not trusted(comment)


def test_undoing_an_approval_keeps_trust_given_before_or_still_earned(moderator):
    key = hash_commenter_key("ann")
    earlier = CommentFactory(state="pending", user_email="ann@example.org", commenter_key_hash=key)
    decisions.decide([earlier], Comment.State.PUBLISHED, moderator)
    later = CommentFactory(state="pending", user_email="ann@example.org", commenter_key_hash=key)
    changed = decisions.decide([later], Comment.State.PUBLISHED, moderator)
    decisions.undo(decisions.read_undo_token(decisions.undo_token(changed, "published")), moderator)
    assert trusted(later)  # from the earlier approval, which stands

    # Trust given before, by an approval since undone the other way (unapproved): kept too.
    later.delete()
    TrustedCommenter.objects.all().delete()
    TrustedCommenter.objects.create(key_hash=key, email="ann@example.org", name="Ann")
    Comment.objects.filter(pk=earlier.pk).update(state="pending")
    earlier.refresh_from_db()
    changed = decisions.decide([earlier], Comment.State.PUBLISHED, moderator)
    decisions.undo(decisions.read_undo_token(decisions.undo_token(changed, "published")), moderator)
    assert trusted(earlier)


def test_staff_who_may_view_comments_may_read_their_reports(client):
    """The overview and the admin's home page link readers' worries to the reports, and each
    comment its reports: staff who could only view comments got "You cannot open this page"
    there. They may read them, not act on them."""
    from comments.models import CommentReport

    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_comment"))
    client.force_login(user)
    comment = CommentFactory()
    CommentReport.objects.create(comment=comment, reason="worried", reporter_key_hash="k")
    overview = BeautifulSoup(client.get("/admin/comments/overview/").content, "html.parser")
    link = overview.find("a", href=lambda href: href and "commentreport" in href)
    response = client.get(link["href"])
    assert response.status_code == 200
    assert comment.comment in response.content.decode()
    assert client.post(link["href"], {"action": "delete_selected"}).status_code in (200, 403)
    assert CommentReport.objects.count() == 1
    user.user_permissions.clear()
    assert client.get(link["href"]).status_code == 403
