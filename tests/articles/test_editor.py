"""The article editor's previews: the form's current content drawn by the public templates."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles import editor
from articles.models import Article, ArticleDraft, CallToAction
from tests.factories import ArticleFactory, CallToActionFactory, ReferenceFactory, UserFactory

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


@pytest.fixture(autouse=True)
def _grading_loaded():
    """textstat's dictionaries loaded, as they are once the editor has been open a moment."""
    editor._load_grading()


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


def test_preview_of_a_new_article_has_no_separator_before_its_reading_time(staff_client):
    """Not published, never saved: no dates, and the meta line read "· 1 min read"."""
    meta = html_of(staff_client.post(PREVIEW, form_data())).select_one("p.meta")
    assert " ".join(meta.get_text().split()) == "1 min read"


def test_preview_does_not_wait_for_the_grader_to_load(staff_client, monkeypatch):
    """Loading textstat takes seconds: the preview comes at once and says the grade is coming."""
    import threading

    started = []
    monkeypatch.setattr(editor, "_grading_ready", threading.Event())
    monkeypatch.setattr(editor, "_warm_up_grading", lambda: started.append(True))
    data = staff_client.post(PREVIEW, form_data()).json()
    assert data["grade_pending"] is True and data["grade"].startswith("Reading grade:")
    assert "seek-help" in data["html"] and started == [True]


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


AUTOSAVE = "/admin/articles/article/editor/autosave/"
DISCARD = "/admin/articles/article/editor/autosave/discard/"


def test_autosave_keeps_the_form_per_person_and_article(staff_client, staff_user):
    """One draft per person and article ("new" before the first save), replaced each time."""
    staff_client.post(AUTOSAVE, form_data(body="First words"))
    staff_client.post(AUTOSAVE, form_data(body="First words, then more"))
    article = ArticleFactory()
    staff_client.post(AUTOSAVE, form_data(body="An edit", object_id=str(article.pk)))
    drafts = {draft.key: draft.data for draft in ArticleDraft.objects.filter(user=staff_user)}
    assert drafts.keys() == {"new", str(article.pk)}
    assert drafts["new"]["body"] == "First words, then more"
    assert drafts["new"]["references-0-key"] == "mayo"
    assert "csrfmiddlewaretoken" not in drafts["new"]


def test_autosave_keeps_whose_editing_session_wrote_the_draft(staff_client, staff_user):
    """The browser with a copy of its own tells by it whether another browser (a phone)
    wrote the server's draft since."""
    staff_client.post(AUTOSAVE, form_data(editor_token="tab-phone"))
    assert ArticleDraft.objects.get(user=staff_user).data["editor_token"] == "tab-phone"


def test_autosave_keeps_a_draft_holding_a_nul_character(staff_client, staff_user):
    """Text pasted from a PDF may hold U+0000, which PostgreSQL's JSON refuses: the draft was
    lost with a 500. It is kept without it."""
    response = staff_client.post(AUTOSAVE, form_data(body="Pasted from a PDF\x00 text"))
    assert response.status_code == 200
    assert ArticleDraft.objects.get(user=staff_user).data["body"] == "Pasted from a PDF text"


def test_autosave_changes_nothing_readers_or_history_see(staff_client):
    """No revision, no change to the article or its review date, the page cache untouched."""
    from reversion.models import Version

    from articles import pagecache

    article = ArticleFactory(body="Saved text.", last_reviewed=datetime.date(2026, 1, 2))
    before = (Article.objects.get(pk=article.pk).updated_at, pagecache.current_version())
    response = staff_client.post(AUTOSAVE, form_data(body="Unsaved", object_id=str(article.pk)))
    assert response.status_code == 200 and "saved_at" in response.json()
    article.refresh_from_db()
    assert article.body == "Saved text." and article.last_reviewed == datetime.date(2026, 1, 2)
    assert (article.updated_at, pagecache.current_version()) == before
    assert not Version.objects.get_for_object(article).exists()


def test_the_form_offers_back_a_draft_newer_than_the_article(staff_client, staff_user):
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    assert "article-autosaved" not in staff_client.get(url).content.decode()
    staff_client.post(AUTOSAVE, form_data(body="Typed, not saved", object_id=str(article.pk)))
    page = BeautifulSoup(staff_client.get(url).content, "html.parser")
    kept = json.loads(page.select_one("script#article-autosaved").string)
    assert kept["body"] == "Typed, not saved"
    assert page.select_one("#article-editor-config")["data-autosaved-at"]
    assert "Restore unsaved changes from" in page.select_one(".autosave-offer").get_text()
    # Someone else's draft is theirs alone.
    other = UserFactory(is_staff=True, is_superuser=True)
    staff_client.force_login(other)
    assert "article-autosaved" not in staff_client.get(url).content.decode()


def test_saving_the_article_forgets_the_draft_and_records_a_revision(admin_client, admin_user):
    from reversion.models import Version

    admin_client.post(AUTOSAVE, form_data(body="Draft of a new article", editor_token="tab-123"))
    response = admin_client.post(
        "/admin/articles/article/add/",
        {
            **form_data(body="Final text"),
            "slug": "nerve-pain",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            "editor_token": "tab-123",
            "references-TOTAL_FORMS": "0",
            "references-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="nerve-pain")
    assert not ArticleDraft.objects.filter(user=admin_user).exists()
    assert Version.objects.get_for_object(article).count() == 1
    # The browser that wrote it is told, so it drops its own copy.
    page = BeautifulSoup(admin_client.get("/admin/articles/article/add/").content, "html.parser")
    assert page.select_one("#article-editor-config")["data-saved-tokens"] == "tab-123"


def test_discarding_forgets_the_draft(staff_client, staff_user):
    staff_client.post(AUTOSAVE, form_data(editor_token="tab-1"))
    assert staff_client.post(DISCARD, {"object_id": "", "draft_token": "tab-1"}).status_code == 200
    assert not ArticleDraft.objects.filter(user=staff_user).exists()


def test_two_new_articles_written_in_two_tabs_keep_a_draft_each(admin_client, admin_user):
    """Both kept one draft ("new"): the second tab's autosave replaced the first's text, and
    only the second was offered back. Each editing session now keeps its own; the latest is
    offered, the others named with a link; saving or discarding one forgets it alone."""
    admin_client.post(AUTOSAVE, form_data(title="Article One: foot care", editor_token="tab-1"))
    admin_client.post(AUTOSAVE, form_data(title="Article Two: sleep", editor_token="tab-2"))
    drafts = ArticleDraft.objects.filter(user=admin_user)
    assert sorted(d.data["title"] for d in drafts) == [
        "Article One: foot care",
        "Article Two: sleep",
    ]
    page = BeautifulSoup(admin_client.get("/admin/articles/article/add/").content, "html.parser")
    offered = json.loads(page.select_one("script#article-autosaved").string)
    assert offered["title"] == "Article Two: sleep"
    # With others kept, the one offered is named, beside its time (the script writes it).
    assert page.select_one(".autosave-offer p").get_text() == (
        "Restore unsaved changes from  (Article Two: sleep)?"
    )
    [other] = page.select(".autosave-offer .autosave-others a")
    assert other.get_text() == "Article One: foot care"
    # Its link offers that one instead, and names the other.
    page = BeautifulSoup(
        admin_client.get("/admin/articles/article/add/" + other["href"]).content, "html.parser"
    )
    assert json.loads(page.select_one("script#article-autosaved").string)["title"] == (
        "Article One: foot care"
    )
    assert page.select_one("#article-editor-config").has_attr("data-draft-chosen")
    assert [a.get_text() for a in page.select(".autosave-others a")] == ["Article Two: sleep"]
    # Discarding the second forgets it alone.
    admin_client.post(DISCARD, {"object_id": "", "draft_token": "tab-2"})
    assert [d.data["title"] for d in drafts.all()] == ["Article One: foot care"]


def test_a_draft_kept_before_as_new_goes_on_under_the_session_restoring_it(
    admin_client, admin_user
):
    """A draft kept as "new" (one for all new articles, before) is restored by a tab that
    then autosaves under that draft's own session: one draft, not two."""
    ArticleDraft.objects.create(
        user=admin_user, key="new", data={"title": "Old", "editor_token": "tab-old"}
    )
    admin_client.post(AUTOSAVE, form_data(title="Old, restored", editor_token="tab-old"))
    assert [d.data["title"] for d in ArticleDraft.objects.filter(user=admin_user)] == [
        "Old, restored"
    ]


def test_autosave_is_for_staff_who_may_edit_the_article(client, reader_account_client):
    article = ArticleFactory()
    assert client.post(AUTOSAVE, form_data()).status_code == 302
    assert reader_account_client.post(AUTOSAVE, form_data()).status_code == 302
    adder = UserFactory(is_staff=True)
    adder.user_permissions.add(Permission.objects.get(codename="add_article"))
    client.force_login(adder)
    assert client.post(AUTOSAVE, form_data(object_id=str(article.pk))).status_code == 403
    assert not ArticleDraft.objects.exists()


def test_preview_as_a_reader_is_the_whole_public_page_of_the_unsaved_text(staff_client):
    """Before the first save: the reader's page (site stylesheet, references, callouts),
    marked as a preview and kept out of search engines."""
    response = staff_client.post(READER, form_data())
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert page.select_one("link[href$='css/site.css']")
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert "readers see it only once it is saved" in page.select_one(".preview-banner").get_text()
    assert page.select_one("main h1").get_text() == "Nerve pain"
    assert page.select_one("sup.citation a")["href"] == "#ref-nhs"
    assert page.select_one("section.seek-help")
    assert not page.select("#comments, form.comment-form")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_preview_as_a_reader_of_a_draft_shows_the_edits_not_the_saved_text(staff_client):
    article = ArticleFactory(draft=True, title="Saved title", body="Saved body.")
    data = form_data(body="Edited body.", object_id=str(article.pk))
    page = BeautifulSoup(staff_client.post(READER, data).content, "html.parser")
    assert "Edited body." in page.select_one(".article-body").get_text()
    assert Article.objects.get(pk=article.pk).body == "Saved body."


def test_the_form_has_a_preview_as_a_reader_button(staff_client):
    page = BeautifulSoup(staff_client.get("/admin/articles/article/add/").content, "html.parser")
    button = page.select_one("button[formaction]")
    assert button["formaction"] == READER and button["formtarget"] == "_blank"
    assert page.select_one("input[name=object_id]")["value"] == ""


# -- A call-to-action's form: its box previewed as readers see it, and the same autosave ------

CTA = "/admin/articles/calltoaction/"
CTA_PREVIEW = f"{CTA}editor/preview/"
CTA_AUTOSAVE = f"{CTA}editor/autosave/"


def cta_data(**fields):
    return {
        "name": "Physio stories",
        "heading": "Had physio lately?",
        "text": "Tell us **what helped**.",
        "button_label": "Share your story",
        "button_url": "#respond",
        "object_id": "",
        **fields,
    }


def test_a_call_to_actions_preview_is_the_box_readers_see(staff_client):
    """Heading, text and button, drawn by the article page's own template, unsaved."""
    saved = CallToActionFactory(heading="Saved heading")
    data = cta_data(object_id=str(saved.pk))
    response = staff_client.post(CTA_PREVIEW, data)
    box = html_of(response).select_one("aside.cta")
    assert response.status_code == 200
    assert box.h2.get_text() == "Had physio lately?"
    assert box.select_one(".cta-text strong").get_text() == "what helped"
    button = box.select_one("a.button")
    assert (button.get_text(), button["href"]) == ("Share your story", "#respond")
    assert CallToAction.objects.get(pk=saved.pk).heading == "Saved heading"
    # A link saving would refuse leads nowhere in the preview either.
    unsafe = staff_client.post(CTA_PREVIEW, cta_data(button_url="javascript:alert(1)"))
    assert "javascript" not in unsafe.json()["html"]


def test_a_call_to_actions_form_runs_the_editors_preview_and_autosave(staff_client):
    cta = CallToActionFactory()
    page = BeautifulSoup(staff_client.get(f"{CTA}{cta.pk}/change/").content, "html.parser")
    assert page.select_one("script[src$='js/article-editor.js']").has_attr("defer")
    config = page.select_one("#article-editor-config")
    assert config["data-kind"] == "calltoaction" and config["data-object-id"] == str(cta.pk)
    assert config["data-preview-url"] == CTA_PREVIEW
    assert config["data-autosave-url"] == CTA_AUTOSAVE
    frame = page.select_one(".field-text .cta-preview iframe.editor-preview-frame")
    assert frame["src"] == f"{CTA}editor/frame/"
    assert staff_client.get(frame["src"]).status_code == 200
    assert page.select_one(".autosave-offer[hidden]")
    # Its preview is the editor's: markdownx's, of the text alone, asked the server at every
    # pause in the typing for nothing shown.
    assert not page.select("script[src*=markdownx]")


def test_a_call_to_actions_draft_is_kept_offered_and_forgotten_once_saved(admin_client, admin_user):
    """Kept per person and call-to-action, apart from the articles' drafts; offered on the
    next visit; gone once the call-to-action is saved."""
    cta = CallToActionFactory()
    admin_client.post(AUTOSAVE, form_data(body="An article's draft"))
    admin_client.post(CTA_AUTOSAVE, cta_data(object_id=str(cta.pk), heading="Typed, not saved"))
    admin_client.post(CTA_AUTOSAVE, cta_data(heading="A new one"))
    drafts = {draft.key: draft.data for draft in ArticleDraft.objects.filter(user=admin_user)}
    assert drafts.keys() == {"new", f"cta:{cta.pk}", "cta:new"}
    assert drafts[f"cta:{cta.pk}"]["heading"] == "Typed, not saved"
    url = f"{CTA}{cta.pk}/change/"
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert json.loads(page.select_one("script#article-autosaved").string)["heading"] == (
        "Typed, not saved"
    )
    response = admin_client.post(url, cta_data(heading="Saved now", editor_token="tab-9"))
    assert response.status_code == 302
    assert set(ArticleDraft.objects.values_list("key", flat=True)) == {"new", "cta:new"}
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert not page.select("script#article-autosaved")
    assert page.select_one("#article-editor-config")["data-saved-tokens"] == "tab-9"


def test_a_call_to_actions_draft_older_than_its_last_save_is_not_offered(
    admin_client, admin_user, client
):
    """Someone saved the call-to-action after the draft was kept: the draft is stale."""
    cta = CallToActionFactory()
    admin_client.post(CTA_AUTOSAVE, cta_data(object_id=str(cta.pk), heading="Stale"))
    assert "article-autosaved" in admin_client.get(f"{CTA}{cta.pk}/change/").content.decode()
    other = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(other)
    assert client.post(f"{CTA}{cta.pk}/change/", cta_data(heading="Theirs")).status_code == 302
    page = admin_client.get(f"{CTA}{cta.pk}/change/").content.decode()
    assert "article-autosaved" not in page


def test_a_call_to_actions_preview_and_autosave_are_for_those_who_may_edit_it(client):
    cta = CallToActionFactory()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_calltoaction", "change_article"])
    )
    client.force_login(viewer)
    data = cta_data(object_id=str(cta.pk))
    assert client.post(CTA_PREVIEW, data).status_code == 403
    assert client.post(CTA_AUTOSAVE, data).status_code == 403
    assert not ArticleDraft.objects.exists()


def test_a_form_sent_back_to_be_corrected_is_the_same_editing_session(admin_client):
    """A refused save comes back holding what was typed: the script is told so (it offers no
    unsaved changes over it) and keeps the session's token, so what the browser kept before
    sending is dropped once the form is saved."""
    from tests.articles.test_admin import change_form

    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    opened = change_form(admin_client, article) | {"summary": "Mine.", "editor_token": "tab-7"}
    Article.objects.get(pk=article.pk).save()  # someone else's save meanwhile
    refused = admin_client.post(url, opened)
    assert refused.status_code == 200
    config = BeautifulSoup(refused.content, "html.parser").select_one("#article-editor-config")
    assert config.has_attr("data-sent-back") and config["data-editor-token"] == "tab-7"
    assert not BeautifulSoup(admin_client.get(url).content, "html.parser").select_one(
        "#article-editor-config[data-sent-back]"
    )


def test_preview_dates_the_article_as_its_status_and_publish_date_are_typed(staff_client):
    """The preview said the saved date ("Published 12 October 2026") while Status read
    "Scheduled for 1 Mar 2027", until the save."""
    article = ArticleFactory(
        published_at=timezone.make_aware(datetime.datetime(2026, 10, 12, 9, 0)),
        status=Article.Status.DRAFT,
    )

    def dated(**typed):
        data = form_data(object_id=str(article.pk), **typed)
        html = staff_client.post(PREVIEW, data).json()["html"]
        time = BeautifulSoup(html, "html.parser").select_one("p.meta time")
        return time.get_text() if time else None

    assert dated() == "12 October 2026"  # nothing typed: as saved
    scheduled = {"status": "published", "published_at_0": "2027-03-01", "published_at_1": "09:30"}
    assert dated(**scheduled) == "1 March 2027"
    # Published with no date: dated today, as the save dates it.
    assert dated(status="published", published_at_0="", published_at_1="") == (
        timezone.localdate().strftime("%-d %B %Y")
    )
    # A date the save refuses: the saved one meanwhile.
    assert dated(status="published", published_at_0="10/12/2026", published_at_1="09:00") == (
        "12 October 2026"
    )


def test_preview_keeps_the_saved_publish_date_the_boxes_show_to_the_second(staff_client):
    """The boxes show a saved date to the second; read back from them, the preview's date
    lost the saved one's microseconds, and its page differed from the published one."""
    saved_at = timezone.now().replace(microsecond=557008) - datetime.timedelta(days=1)
    article = ArticleFactory(published_at=saved_at)
    local = timezone.localtime(saved_at)
    data = form_data(
        object_id=str(article.pk),
        status="published",
        published_at_0=local.strftime("%Y-%m-%d"),
        published_at_1=local.strftime("%H:%M:%S"),
    )
    html = staff_client.post(PREVIEW, data).json()["html"]
    time = BeautifulSoup(html, "html.parser").select_one("p.meta time")
    assert time["datetime"] == local.isoformat()
