"""The editors' desk on the admin's home page: medical review due, scheduled, drafts."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.desk import desk
from articles.models import Article
from tests.factories import ArticleFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def panels(client):
    page = BeautifulSoup(client.get("/admin/").content, "html.parser")
    return {
        " ".join(panel.h3.get_text().split()): [
            " ".join(li.get_text(" ", strip=True).split()) for li in panel.select("li")
        ]
        for panel in page.select(".desk-panel")
    }


def reviewed(title, days_ago, **kwargs):
    article = ArticleFactory(title=title, **kwargs)
    on = timezone.localdate() - datetime.timedelta(days=days_ago)
    article.sign_off_review(PersonFactory(), on=on)
    article.save()
    return article


def test_the_desk_lists_what_needs_the_editors_next(admin_client):
    reviewed("Reviewed last month", 30)
    overdue = reviewed("Reviewed long ago", 400)
    ArticleFactory(title="Never reviewed")
    ArticleFactory(title="A draft, never reviewed", draft=True)
    coming = ArticleFactory(title="Coming on Tuesday", scheduled=True)
    due = overdue.next_review_due.strftime("%-d %b %Y")
    appears = timezone.localtime(coming.published_at).strftime("%-d %b %Y, %H:%M")
    assert panels(admin_client) == {
        "Medical review due (2)": [
            "Never reviewed never reviewed",
            f"Reviewed long ago review due {due}",
        ],
        "Scheduled (1)": [f"Coming on Tuesday appears {appears}"],
        "Drafts (1)": ["A draft, never reviewed updated just now"],
    }


def test_each_panel_links_to_the_articles_list_showing_the_same_articles(admin_client):
    reviewed("Reviewed last month", 30)
    reviewed("Reviewed long ago", 400)
    ArticleFactory(title="Never reviewed")
    ArticleFactory(title="A draft", draft=True)
    ArticleFactory(title="Coming", scheduled=True)
    for panel in desk():
        page = BeautifulSoup(admin_client.get(panel["url"]).content, "html.parser")
        listed = {a.get_text() for a in page.select("#result_list tbody th a")}
        assert listed == {article.title for article in panel["articles"]}, panel["key"]
        assert len(listed) == panel["count"]


def test_a_long_panel_shows_five_and_links_to_all(admin_client):
    ArticleFactory.create_batch(7, draft=True)
    page = BeautifulSoup(admin_client.get("/admin/").content, "html.parser")
    drafts = page.select_one(".desk-drafts")
    assert len(drafts.select("li")) == 5
    more = drafts.select_one(".desk-more a")
    assert more.get_text() == "All 7"
    assert more["href"] == "/admin/articles/article/?publication=draft"


def test_empty_panels_say_so(admin_client):
    Article.objects.all().delete()
    page = BeautifulSoup(admin_client.get("/admin/").content, "html.parser")
    assert [p.get_text() for p in page.select(".desk-empty")] == [
        "Every published article is within its review date.",
        "No article is scheduled to appear.",
        "No drafts.",
    ]


def test_the_desk_costs_four_queries_however_many_articles(django_assert_num_queries):
    ArticleFactory.create_batch(3, draft=True)
    ArticleFactory.create_batch(3, scheduled=True)
    ArticleFactory.create_batch(3)
    with django_assert_num_queries(4):
        desk()


def test_staff_who_may_not_see_articles_get_no_desk(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_comment"))
    client.force_login(user)
    page = BeautifulSoup(client.get("/admin/").content, "html.parser")
    assert page.select_one(".pending-comments") is not None
    assert page.select_one(".desk") is None


def test_the_home_page_says_the_contact_email_is_still_the_example_one(admin_client, client):
    """The site ships with editors@example.org, which readers see on Contact and Privacy and
    no email reaches: nothing in the admin said so. Staff who may not change the settings
    are not told."""
    from articles.models import SiteSettings

    def alert(browser):
        page = BeautifulSoup(browser.get("/admin/").content, "html.parser")
        return [p.get_text(" ", strip=True) for p in page.select("p.moderation-alert")]

    assert alert(admin_client) == [
        "Readers are told to write to editors@example.org , an example address no email "
        "reaches (on Contact and Privacy). Set the site's contact email ."
    ]
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_article"))
    client.force_login(viewer)
    assert alert(client) == []
    settings_row = SiteSettings.objects.get()
    settings_row.contact_email = "editors@nervepain.org"
    settings_row.save()
    assert alert(admin_client) == []
