"""The admin site's own pages: "View on site", and the site's record behind Django's Sites."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def view_on_site_link(client, change_url):
    page = BeautifulSoup(client.get(change_url).content, "html.parser")
    return page.select_one("a.viewsitelink")["href"]


def test_view_on_site_opens_an_article_on_this_site(admin_client):
    article = ArticleFactory(slug="nerve-pain")
    link = view_on_site_link(
        admin_client, reverse("admin:articles_article_change", args=[article.pk])
    )
    response = admin_client.get(link)
    # Django's own view sent editors to http://example.com/articles/nerve-pain/.
    assert response.status_code == 302
    assert response["Location"] == "/articles/nerve-pain/"


def test_view_on_site_opens_a_publisher_page_on_this_site(admin_client):
    page = FlatPage.objects.get(url="/privacy/")
    link = view_on_site_link(
        admin_client, reverse("admin:articles_publisherpage_change", args=[page.pk])
    )
    response = admin_client.get(link)
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"


def test_view_on_site_tells_a_stranger_nothing(client):
    # As with Django's own view: a guard, so that replacing it kept the admin's login.
    draft = ArticleFactory(draft=True, slug="unannounced-results")
    content_type = ContentType.objects.get_for_model(draft)
    link = reverse("admin:view_on_site", args=[content_type.pk, draft.pk])
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "unannounced-results" not in response["Location"]


def test_view_on_site_of_an_object_that_is_not_there_is_not_found(admin_client):
    content_type = ContentType.objects.get_for_model(FlatPage)
    assert (
        admin_client.get(reverse("admin:view_on_site", args=[content_type.pk, 0])).status_code
        == 404
    )
    assert admin_client.get(reverse("admin:view_on_site", args=[0, 1])).status_code == 404


def test_the_site_record_says_what_the_settings_say(settings):
    # The record starts as Django's placeholder, example.com.
    settings.SITE_URL, settings.SITE_NAME = "https://nerve.example", "Nerve health"
    call_command("migrate", verbosity=0)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("nerve.example", "Nerve health")
