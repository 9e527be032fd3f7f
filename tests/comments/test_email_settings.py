"""A moderator's own page in the admin: which moderation emails they get."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group

from comments.models import ModeratorProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/comments/email-settings/"


def page_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_a_moderator_sees_where_the_emails_go_and_what_they_get(moderator_client):
    """No choice made yet: every held comment, and urgent ones at once (as before the choice)."""
    page = page_of(moderator_client.get(URL))
    assert page.title.text.startswith("Your email settings")
    text = " ".join(page.select_one("#content-main").text.split())
    assert "Moderation emails go to mod@example.org. To change it, ask an administrator." in text
    checked = page.select_one('input[name="emails"][checked]')
    assert checked["value"] == "all"
    labels = [label.text.strip() for label in page.select("#id_emails label")]
    assert labels == [
        "Every held comment, and urgent ones at once",
        "Only urgent comments (a writer who may be in crisis)",
        "None",
    ]


def test_an_administrator_is_linked_to_changing_their_address(admin_client, admin_user):
    page = page_of(admin_client.get(URL))
    link = page.find("a", string="Change your address")
    assert link["href"] == f"/admin/auth/user/{admin_user.pk}/change/"


def test_a_moderator_without_an_address_is_told_they_get_none(moderator, moderator_client):
    moderator.email = ""
    moderator.save()
    text = " ".join(page_of(moderator_client.get(URL)).select_one("#content-main").text.split())
    assert "Your account has no email address, so no moderation email reaches you" in text


def test_saving_says_so_and_is_in_the_accounts_history(moderator, moderator_client):
    """Who stopped getting urgent emails, and when, is what an administrator asks when one
    went unread: the change is in the account's history."""
    response = moderator_client.post(URL, {"emails": "urgent"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Your email settings are saved: Only urgent comments (a writer who may be in crisis)."
    ]
    assert ModeratorProfile.objects.get(user=moderator).emails == "urgent"
    entry = LogEntry.objects.get()
    assert (entry.user, entry.action_flag, entry.object_id) == (
        moderator,
        CHANGE,
        str(moderator.pk),
    )
    assert entry.change_message == (
        "Moderation emails: Only urgent comments (a writer who may be in crisis) "
        "(was: Every held comment, and urgent ones at once)."
    )
    # Saving the same choice again records nothing new.
    moderator_client.post(URL, {"emails": "urgent"})
    assert LogEntry.objects.count() == 1


def test_a_choice_not_offered_is_refused(moderator, moderator_client):
    response = moderator_client.post(URL, {"emails": "weekly"})
    assert response.status_code == 200
    assert page_of(response).select_one(".errornote")
    assert not ModeratorProfile.objects.filter(user=moderator).exists()


def test_a_moderator_changes_only_their_own(moderator, moderator_client):
    """The page has no account in its address or its form: a user id sent along is ignored."""
    other = UserFactory(is_staff=True, email="other@example.org")
    other.groups.add(Group.objects.get(name="Moderators"))
    ModeratorProfile.objects.create(user=other, public_name="Dr. Bo")
    moderator_client.post(URL, {"emails": "none", "user": other.pk, "user_id": other.pk})
    assert ModeratorProfile.objects.get(user=other).emails == "all"
    assert ModeratorProfile.objects.get(user=moderator).emails == "none"


def test_staff_who_do_not_moderate_cannot_open_it(staff_client, staff_user, client):
    assert staff_client.get(URL).status_code == 403
    assert staff_client.post(URL, {"emails": "none"}).status_code == 403
    assert not ModeratorProfile.objects.filter(user=staff_user).exists()
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_last_moderator_getting_urgent_emails_is_told_none_will_not_stop_them(
    moderator, moderator_client
):
    """The only moderator who gets urgent emails would still get them with "None": the page
    says so before they choose, rather than after an urgent email came anyway."""
    warning = "the only one who gets urgent emails."
    assert warning in page_of(moderator_client.get(URL)).select_one(".messagelist").text
    other = UserFactory(is_staff=True, email="other@example.org")
    other.groups.add(Group.objects.get(name="Moderators"))
    assert moderator_client.get(URL).content.decode().count("messagelist") == 0
    ModeratorProfile.objects.create(user=other, emails="none")
    assert warning in moderator_client.get(URL).content.decode()


def warning_of(client):
    box = page_of(client.get(URL)).select_one(".messagelist .warning")
    return " ".join(box.get_text().split()) if box else ""


def test_the_last_moderator_getting_held_emails_is_told_nobody_else_will(
    moderator, moderator_client
):
    """Held comments are mailed only to those who chose every one: when the last of them
    chose "Only urgent" or "None", held comments waited in the queue and nobody was told, and
    no page had said so. The last one is warned before they choose, and everyone after."""
    other = UserFactory(is_staff=True, email="other@example.org")
    other.groups.add(Group.objects.get(name="Moderators"))
    profile = ModeratorProfile.objects.create(user=other, emails="urgent")
    held_alone = (
        "You are the only moderator who gets an email for each held comment. If you choose "
        '"Only urgent" or "None", nobody is emailed about held comments: they wait in the '
        "queue, unannounced, until someone opens it."
    )
    assert warning_of(moderator_client) == held_alone  # the other still gets urgent ones
    profile.emails = "none"
    profile.save()
    assert warning_of(moderator_client) == (
        "You are the only moderator who gets an email for each held comment, and the only one "
        'who gets urgent emails. If you choose "Only urgent" or "None", nobody is emailed about '
        "held comments: they wait in the queue, unannounced, until someone opens it. If you "
        'choose "None", urgent emails still come to you, and to every other moderator, until '
        "another moderator chooses to get them: a writer who may be in crisis is never left "
        "without a reader."
    )
    moderator_client.post(URL, {"emails": "urgent"})
    assert warning_of(moderator_client) == (
        "You are the only moderator who gets urgent emails. No moderator gets an email for "
        "each held comment now: held comments wait in the queue, unannounced, until someone "
        'opens it. If you choose "None", urgent emails still come to you, and to every other '
        "moderator, until another moderator chooses to get them: a writer who may be in crisis "
        "is never left without a reader."
    )


def test_the_admins_user_tools_link_a_moderator_to_it(moderator_client, staff_client):
    """Beside "Change password", for those who get the moderation emails only."""
    tools = page_of(moderator_client.get("/admin/")).select_one("#user-tools")
    assert tools.find("a", string="Your email settings")["href"] == URL
    tools = page_of(staff_client.get("/admin/")).select_one("#user-tools")
    assert tools.find("a", string="Your email settings") is None


def test_a_moderators_group_member_without_the_permission_is_linked_to_it(
    moderator, moderator_client
):
    """An administrator who took the permission from the group leaves its members getting
    the emails (and admitted to the page): the link showed by permission only, and they
    reached the page from an email's footer alone."""
    group = Group.objects.get(name="Moderators")
    group.permissions.remove(*group.permissions.filter(codename="moderate_comment"))
    tools = page_of(moderator_client.get("/admin/")).select_one("#user-tools")
    assert tools.find("a", string="Your email settings")["href"] == URL
    assert moderator_client.get(URL).status_code == 200
