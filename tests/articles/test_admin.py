"""The articles admin: list, add and change pages, with the side-by-side editor."""

import pytest

from articles.admin import ReviewStatusFilter
from articles.models import Article
from tests.factories import ArticleFactory, CallToActionFactory

pytestmark = pytest.mark.django_db


def test_article_changelist_shows_status_and_filters(admin_client):
    ArticleFactory(title="Live one")
    ArticleFactory(title="Draft one", draft=True)
    response = admin_client.get("/admin/articles/article/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Live one" in content and "Draft one" in content
    assert "is published" in content.lower()
    assert response.context["cl"].list_filter == [
        "status",
        ReviewStatusFilter,
        "published_at",
        "allow_comments",
    ]
    assert admin_client.get("/admin/articles/article/?q=Draft").context["cl"].result_count == 1


def test_article_add_page_has_the_editor_and_prepopulates_the_slug(admin_client):
    response = admin_client.get("/admin/articles/article/add/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "article-editor" in content
    assert "prepopulated" in content
    assert "body_html" not in content


def test_article_can_be_added_from_the_admin(admin_client, admin_user):
    cta = CallToActionFactory()
    response = admin_client.post(
        "/admin/articles/article/add/",
        {
            "title": "New article",
            "slug": "new-article",
            "summary": "Summary.",
            "body": "## Hello\n\n<script>x</script>",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "allow_comments": "on",
            "call_to_action": cta.pk,
            "references-TOTAL_FORMS": "0",
            "references-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="new-article")
    assert article.author == admin_user
    assert article.is_published
    assert article.body_html.startswith('<h2 id="hello"><a class="toclink" href="#hello"')
    assert "<script" not in article.body_html


def test_article_change_page_links_to_the_site(admin_client):
    article = ArticleFactory()
    response = admin_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    assert "View on site" in response.content.decode()


def test_staff_with_article_permissions_can_use_the_admin(staff_client):
    ArticleFactory()
    assert staff_client.get("/admin/articles/article/").status_code == 200
    assert staff_client.get("/admin/articles/calltoaction/add/").status_code == 200


def test_call_to_action_admin(admin_client):
    CallToActionFactory(name="Seed CTA")
    response = admin_client.get("/admin/articles/calltoaction/")
    assert "Seed CTA" in response.content.decode()
    response = admin_client.post(
        "/admin/articles/calltoaction/add/",
        {
            "name": "Bad",
            "heading": "H",
            "text": "T",
            "button_label": "Go",
            "button_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    assert "button_url" in response.context["adminform"].form.errors
