"""The site's record behind Django's Sites, and the admin's "View on site" that reads it."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.urls import reverse

from nervepain.apps import sync_site_record
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    """The record as ``migrate`` leaves it for a site at https://nerve.example."""
    settings.SITE_URL, settings.SITE_NAME = "https://nerve.example", "Nerve health"
    sync_site_record(apps=apps, using="default")


def view_on_site(client, change_url):
    page = BeautifulSoup(client.get(change_url).content, "html.parser")
    return client.get(page.select_one("a.viewsitelink")["href"], secure=True)


def test_view_on_site_opens_an_article_on_the_site(admin_client, site):
    article = ArticleFactory(slug="nerve-pain")
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    response = view_on_site(admin_client, change_url)
    # It sent editors to http://example.com/articles/nerve-pain/.
    assert response.status_code == 302
    assert response["Location"] == "https://nerve.example/articles/nerve-pain/"


def test_view_on_site_opens_a_publisher_page_on_the_site(admin_client, site):
    page = FlatPage.objects.get(url="/privacy/")
    change_url = reverse("admin:articles_publisherpage_change", args=[page.pk])
    response = view_on_site(admin_client, change_url)
    assert response.status_code == 302
    assert response["Location"] == "https://nerve.example/privacy/"


def test_the_site_record_says_what_the_settings_say(settings):
    # The record starts as Django's placeholder, example.com.
    settings.SITE_URL, settings.SITE_NAME = "https://nerve.example", "Nerve health"
    call_command("migrate", verbosity=0)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("nerve.example", "Nerve health")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_empties_the_database_and_keeps_the_site_record(settings):
    """``manage.py flush`` (and the browser tests' cleanup when run with the others) failed
    with "sync_site_record() missing 1 required positional argument: 'apps'": flush sends
    the signal without it."""
    settings.SITE_URL, settings.SITE_NAME = "https://nerve.example", "Nerve health"
    ArticleFactory()
    call_command("flush", interactive=False, verbosity=0)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("nerve.example", "Nerve health")
    assert not apps.get_model("articles", "Article").objects.exists()
