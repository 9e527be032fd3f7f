"""The medical disclaimer: a flatpage staff edit, shown on every article without a query."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.flatpages.models import FlatPage

from articles.disclaimer import DISCLAIMER_URL
from tests.admin_forms import page_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("articles.migrations.0005_medical_disclaimer_flatpage")


def disclaimer_on(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return page.select_one("article section.disclaimer")


def test_a_migration_creates_the_disclaimer_page(client):
    page = FlatPage.objects.get(url=DISCLAIMER_URL)
    assert page.title == "Medical disclaimer"
    assert "not medical advice" in page.content
    response = client.get("/medical-disclaimer/")
    assert response.status_code == 200
    assert "not medical advice" in response.content.decode()


def test_the_migration_can_be_reversed_and_replayed():
    migration.delete_disclaimer(apps, None)
    assert not FlatPage.objects.filter(url=DISCLAIMER_URL).exists()
    migration.create_disclaimer(apps, None)
    assert FlatPage.objects.get(url=DISCLAIMER_URL).sites.filter(pk=1).exists()


def test_every_article_shows_the_disclaimer(client):
    for article in (ArticleFactory(), ArticleFactory(call_to_action=None, allow_comments=False)):
        section = disclaimer_on(client, article)
        assert section.h2.get_text() == "Medical disclaimer"
        assert "not medical advice" in section.get_text()


def test_staff_edit_shows_at_once(admin_client, client):
    """Editing the flatpage in the admin replaces the cached copy straight away."""
    article = ArticleFactory()
    assert "not medical advice" in disclaimer_on(client, article).get_text()
    page = FlatPage.objects.get(url=DISCLAIMER_URL)
    response = admin_client.post(
        f"/admin/articles/publisherpage/{page.pk}/change/",
        page_form(
            page,
            url=DISCLAIMER_URL,
            title="Medical disclaimer",
            content="<p>Ask <strong>your doctor</strong> first.</p>",
            template_name="",
        ),
    )
    assert response.status_code == 302
    section = disclaimer_on(client, article)
    assert section.strong.get_text() == "your doctor"
    assert "not medical advice" not in section.get_text()


def test_deleting_it_as_a_page_shows_at_once(client):
    """Deleted as a page (a proxy of the flatpage, as the admin knows it), the disclaimer
    leaves the articles at once: Django sends a proxy's delete signal for the proxy alone.
    The admin itself refuses to delete it (tests/articles/test_admin_fixes.py)."""
    from articles.models import PublisherPage

    article = ArticleFactory()
    assert disclaimer_on(client, article) is not None
    PublisherPage.objects.get(url=DISCLAIMER_URL).delete()
    assert disclaimer_on(client, article) is None


def test_disclaimer_costs_no_query_once_cached(client, django_assert_num_queries):
    from articles.disclaimer import medical_disclaimer

    medical_disclaimer()
    with django_assert_num_queries(0):
        assert medical_disclaimer()["title"] == "Medical disclaimer"


def test_without_the_page_articles_still_render(client):
    FlatPage.objects.filter(url=DISCLAIMER_URL).delete()
    article = ArticleFactory()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert disclaimer_on(client, article) is None


def test_footer_links_to_the_disclaimer(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert page.select_one("footer").find("a", string="Medical disclaimer")["href"] == (
        "/medical-disclaimer/"
    )


def test_the_disclaimer_on_articles_is_markdown_too(client):
    FlatPage.objects.filter(url=DISCLAIMER_URL).update(
        content="Ask **your doctor** first. <script>alert(1)</script>"
    )
    section = disclaimer_on(client, ArticleFactory())
    assert section.select_one("strong").get_text() == "your doctor"
    assert section.find("script") is None
