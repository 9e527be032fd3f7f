"""The article editor's previews: the form's current content drawn by the public templates."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import ArticleFactory, ReferenceFactory, UserFactory

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/articles/article/editor/preview/"
FRAME = "/admin/articles/article/editor/frame/"
READER = "/admin/articles/article/editor/reader/"

BODY = """Intro paragraph [@nhs] and [@mayo].

## Causes

Text.

!!! seek-help "When to seek help"
    See a doctor if it gets worse.
"""


def reference_rows(*rows, initial=0):
    """The References inline as the admin form posts it."""
    data = {
        "references-TOTAL_FORMS": str(len(rows)),
        "references-INITIAL_FORMS": str(initial),
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"references-{index}-{name}"] = value
    return data


def form_data(body=BODY, **extra):
    return {
        "title": "Nerve pain",
        "summary": "About nerve pain.",
        "body": body,
        **reference_rows(
            {"position": "2", "key": "mayo", "title": "Mayo page", "publisher": "Mayo Clinic",
             "url": "https://www.mayoclinic.org/x"},
            {"position": "1", "key": "nhs", "title": "NHS page", "publisher": "NHS",
             "url": "https://www.nhs.uk/x", "accessed_on": "2026-01-15"},
            {"position": "3", "key": "gone", "title": "Removed", "DELETE": "on"},
        ),
        **extra,
    }  # fmt: skip


def html_of(response):
    return BeautifulSoup(response.json()["html"], "html.parser")


def test_preview_numbers_citations_from_the_unsaved_reference_rows(staff_client):
    """Rows typed but not saved are cited, in the order of their numbers; deleted rows are not."""
    response = staff_client.post(PREVIEW, form_data(body=BODY + "\nAlso [@gone]."))
    page = html_of(response)
    assert response.status_code == 200
    citations = page.select("sup.citation a")
    assert [(a["href"], a.get_text()) for a in citations] == [
        ("#ref-nhs", "Reference 1"),
        ("#ref-mayo", "Reference 2"),
    ]
    assert [li["id"] for li in page.select(".references li")] == ["ref-nhs", "ref-mayo"]
    assert "[@gone]" in page.get_text()


def test_preview_shows_callouts_contents_and_reading_aids(staff_client):
    data = staff_client.post(PREVIEW, form_data()).json()
    page = BeautifulSoup(data["html"], "html.parser")
    assert page.select_one("section.callout.seek-help h2").get_text() == "When to seek help"
    assert [a.get_text() for a in page.select("nav.toc a")] == [
        "Causes",
        "When to seek help",
        "References",
    ]
    assert page.select_one("h1").get_text() == "Nerve pain"
    assert data["words"] > 5 and data["minutes"] == 1
    assert data["grade"].startswith("Grade ")


def test_preview_is_sanitised_like_saved_articles(staff_client):
    body = "**hi** <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    html = staff_client.post(PREVIEW, form_data(body=body)).json()["html"]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<strong>hi</strong>" in html


def test_preview_of_a_saved_article_is_the_public_article_once_saved(client, staff_client):
    """What the preview draws is what readers get after saving: the same article HTML."""
    article = ArticleFactory(body=BODY)
    ReferenceFactory(article=article, key="nhs", position=1, title="NHS page")
    ReferenceFactory(article=article, key="mayo", position=2, title="Mayo page")
    article.refresh_from_db()
    rows = [
        {"id": str(reference.pk), "position": str(reference.position), "key": reference.key,
         "title": reference.title, "publisher": reference.publisher, "url": reference.url,
         "accessed_on": reference.accessed_on.isoformat()}
        for reference in article.references.all()
    ]  # fmt: skip
    data = {
        "object_id": str(article.pk),
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        **reference_rows(*rows, initial=2),
    }
    preview = html_of(staff_client.post(PREVIEW, data)).select_one("article.article")
    public = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert str(preview) == str(public.select_one("article.article"))


def test_preview_is_for_staff_who_may_edit_articles(client, reader_account_client, db):
    assert client.post(PREVIEW, form_data()).status_code == 302  # to the admin login
    assert reader_account_client.post(PREVIEW, form_data()).status_code == 302
    staff_without_rights = UserFactory(is_staff=True)
    client.force_login(staff_without_rights)
    assert client.post(PREVIEW, form_data()).status_code == 403
    assert client.post(READER, form_data()).status_code == 403
    assert client.get(FRAME).status_code == 403


def test_preview_of_an_article_one_may_not_change_is_refused(client, db):
    """Staff who may add articles but not change them cannot read others' drafts this way."""
    from django.contrib.auth.models import Permission

    article = ArticleFactory(draft=True, body="Secret draft.")
    adder = UserFactory(is_staff=True)
    adder.user_permissions.add(Permission.objects.get(codename="add_article"))
    client.force_login(adder)
    response = client.post(PREVIEW, form_data(object_id=str(article.pk)))
    assert response.status_code == 403


def test_preview_only_answers_post(staff_client):
    assert staff_client.get(PREVIEW).status_code == 405


def test_preview_frame_may_only_be_framed_by_the_admin_itself(staff_client):
    response = staff_client.get(FRAME)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"css/site.css" in response.content


def test_editor_replaces_markdownx_on_the_article_form(staff_client):
    """Text and preview side by side: a text area, the preview frame and the editor script."""
    response = staff_client.get("/admin/articles/article/add/")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".article-editor textarea#id_body")
    assert page.select_one(".article-editor iframe")["src"] == FRAME
    assert page.select_one("script[src$='js/article-editor.js']").has_attr("defer")
    assert not page.select("script[src*=markdownx]")
    config = page.select_one("#article-editor-config")
    assert config["data-preview-url"] == PREVIEW and config["data-object-id"] == ""
