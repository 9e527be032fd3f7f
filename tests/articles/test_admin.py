"""The articles admin: list, add and change pages, with the side-by-side editor."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import formats, timezone

from articles.admin import PublicationFilter, ReviewStatusFilter
from articles.models import Article
from tests.factories import ArticleFactory, CallToActionFactory, PersonFactory, ReferenceFactory

pytestmark = pytest.mark.django_db


def test_article_changelist_shows_status_and_filters(admin_client):
    ArticleFactory(title="Live one")
    ArticleFactory(title="Draft one", draft=True)
    response = admin_client.get("/admin/articles/article/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Live one" in content and "Draft one" in content
    list_filter = response.context["cl"].list_filter
    assert list_filter[:2] == [PublicationFilter, ReviewStatusFilter]
    fields = [spec[0] if isinstance(spec, tuple) else spec for spec in list_filter[2:]]
    assert fields == [
        "topic",
        "tags",
        "byline",
        "reviewed_by",
        "published_at",
        "allow_comments",
    ]
    assert admin_client.get("/admin/articles/article/?q=Draft").context["cl"].result_count == 1


def publication_column(response):
    page = BeautifulSoup(response.content, "html.parser")
    return {
        row.select_one("th a").get_text(): " ".join(
            row.select_one("td.field-publication").stripped_strings
        )
        for row in page.select("#result_list tbody tr")
    }


def test_changelist_says_draft_scheduled_with_its_date_or_published(admin_client):
    """A published article whose date is to come is "Scheduled for <date>", not "Published"."""
    when = timezone.make_aware(datetime.datetime(2031, 3, 4, 9, 30))
    ArticleFactory(title="Live one", published_at=when.replace(year=2026))
    ArticleFactory(title="Draft one", draft=True)
    ArticleFactory(title="Later one", published_at=when)
    shown = publication_column(admin_client.get("/admin/articles/article/"))
    assert shown == {
        "Live one": "Published 4 Mar 2026, 09:30",
        "Draft one": "Draft",
        "Later one": "Scheduled for 4 Mar 2031, 09:30",
    }


def test_changelist_says_when_each_article_was_reviewed_and_is_due(admin_client):
    """One "Medical review" column, overdue and never-reviewed ones standing out: four columns
    (publish date, last reviewed, next review due, overdue) left the title one word a line."""
    reviewer = PersonFactory()
    today = timezone.localdate()
    current = ArticleFactory(title="Current one")
    current.sign_off_review(reviewer, on=today - datetime.timedelta(days=10))
    current.save()
    overdue = ArticleFactory(title="Overdue one")
    overdue.sign_off_review(reviewer, on=today - datetime.timedelta(days=400))
    overdue.save()
    ArticleFactory(title="Never one")
    page = BeautifulSoup(admin_client.get("/admin/articles/article/").content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in page.select("#result_list thead th")]
    assert headings[1:] == ["Title", "Publication", "Medical review", "Updated", "Comments"]
    cells = {
        row.select_one("th a").get_text(): row.select_one("td.field-medical_review span")
        for row in page.select("#result_list tbody tr")
    }

    def day(date):
        return formats.date_format(date)

    assert cells["Current one"].get_text() == (
        f"Reviewed {day(current.last_reviewed)} · next due {day(current.next_review_due)}"
    )
    assert cells["Overdue one"].get_text() == (
        f"Reviewed {day(overdue.last_reviewed)} · overdue since {day(overdue.next_review_due)}"
    )
    assert cells["Never one"].get_text() == "Never reviewed"
    assert "overdue" in cells["Overdue one"]["class"] and "overdue" in cells["Never one"]["class"]
    assert "overdue" not in cells["Current one"]["class"]
    # The list's own styles, which colour these (django-reversion's list template had replaced
    # the one that loads them), and reversion's link stays.
    assert page.find("link", href=re.compile(r"css/admin-editor(\.[0-9a-f]+)?\.css$"))
    assert page.find("a", class_="recoverlink").get_text() == "Recover deleted articles"


@pytest.mark.parametrize(
    ("choice", "titles"),
    [("draft", {"Draft one"}), ("scheduled", {"Later one"}), ("published", {"Live one"})],
)
def test_changelist_filters_by_publication(admin_client, choice, titles):
    ArticleFactory(title="Live one")
    ArticleFactory(title="Draft one", draft=True)
    ArticleFactory(title="Later one", scheduled=True)
    response = admin_client.get(f"/admin/articles/article/?publication={choice}")
    assert {article.title for article in response.context["cl"].result_list} == titles


def test_change_form_shows_where_the_article_stands(admin_client):
    article = ArticleFactory(scheduled=True)
    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser"
    )
    assert (
        page.select_one(".field-publication .publication.scheduled")
        .get_text()
        .startswith("Scheduled for")
    )


def test_new_article_is_written_by_the_person_writing_it(staff_client, staff_user):
    response = staff_client.get("/admin/articles/article/add/")
    assert response.context["adminform"].form.initial["author"] == staff_user.pk
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#id_author option[selected]")["value"] == str(staff_user.pk)


def test_title_and_summary_are_wide_and_references_fit_the_form(admin_client):
    """The stylesheet that widens them is loaded; a reference's link is a plain address box."""
    article = ArticleFactory()
    ReferenceFactory(article=article)
    response = admin_client.get(f"/admin/articles/article/{article.pk}/change/")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("link[href$='css/admin-editor.css']")
    cell = page.select_one("#references-group td.field-url")
    assert "Currently" not in cell.get_text()
    assert cell.select_one("input")["type"] == "url"


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


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/person/",
        "/admin/articles/person/add/",
        "/admin/articles/topic/",
        "/admin/articles/topic/add/",
        "/admin/articles/tag/",
        "/admin/articles/tag/add/",
        "/admin/articles/sitesettings/",
        "/admin/articles/sitesettings/1/change/",
    ],
)
def test_people_topics_tags_and_settings_have_admin_screens(admin_client, url):
    assert admin_client.get(url, follow=True).status_code == 200


def test_site_settings_open_at_their_one_form(admin_client):
    """A list of "1 site settings" was one click more to the only thing to do there."""
    response = admin_client.get("/admin/articles/sitesettings/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/sitesettings/1/change/"


def test_only_people_can_sign_off_a_review(admin_client):
    """The editorial team bylines articles; only a person can say they reviewed one."""
    from articles.admin import ArticleAdminForm
    from tests.factories import PersonFactory

    ada = PersonFactory(name="Dr Ada Nerve")
    team = PersonFactory(name="Editors", kind="team")
    choices = set(ArticleAdminForm().fields["sign_off_by"].queryset)
    assert ada in choices and team not in choices


def test_the_admin_is_named_after_the_site_not_django(admin_client, client):
    page = admin_client.get("/admin/").content.decode()
    assert '<a href="/admin/">nervepain administration</a>' in page
    assert "<title>Site administration | nervepain admin</title>" in page
    assert "Django administration" not in page
    assert "nervepain administration" in client.get("/admin/login/").content.decode()


def test_filters_by_topic_name_their_none_choice(admin_client):
    """Django labels a filter's "none" choice "-"; articles without a topic and main topics
    (no parent) are chosen by words that say so."""
    from tests.factories import TopicFactory

    main = TopicFactory(name="Nerve pain")
    TopicFactory(name="Sciatica", parent=main)
    ArticleFactory(title="Has a topic", topic=main)
    ArticleFactory(title="Has none", topic=None)
    page = BeautifulSoup(admin_client.get("/admin/articles/article/").content, "html.parser")
    none = page.find("a", string="No topic")
    assert none is not None
    listed = BeautifulSoup(
        admin_client.get("/admin/articles/article/" + none["href"]).content, "html.parser"
    )
    assert [a.get_text() for a in listed.select("#result_list tbody th a")] == ["Has none"]
    topics = BeautifulSoup(admin_client.get("/admin/articles/topic/").content, "html.parser")
    main_only = topics.find("a", string="None (a main topic)")
    listed = BeautifulSoup(
        admin_client.get("/admin/articles/topic/" + main_only["href"]).content, "html.parser"
    )
    assert [a.get_text() for a in listed.select("#result_list tbody th a")] == ["Nerve pain"]


def test_the_list_counts_each_articles_comments_and_links_to_them(
    admin_client, django_assert_num_queries
):
    """Like WordPress's Posts list: published comments, and those waiting, each a link to the
    moderation queue for that article. One query for the whole page, however many rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CommentFactory

    busy = ArticleFactory(title="Busy one")
    CommentFactory.create_batch(2, article=busy)
    CommentFactory(article=busy, state="pending")
    CommentFactory(article=busy, state="spam")
    ArticleFactory(title="Quiet one")
    page = BeautifulSoup(admin_client.get("/admin/articles/article/").content, "html.parser")
    cells = {
        row.select_one("th a").get_text(): row.select_one("td.field-discussion")
        for row in page.select("#result_list tbody tr")
    }
    assert cells["Busy one"].get_text(" ", strip=True) == "2 1 waiting"
    published, waiting = cells["Busy one"].select("a")
    assert published["href"] == f"/admin/comments/comment/?article={busy.pk}&state=published"
    assert published["title"] == "2 published comments"
    assert waiting["href"] == f"/admin/comments/comment/?article={busy.pk}&state=pending"
    assert cells["Quiet one"].get_text(strip=True) == "0"
    queue = admin_client.get(waiting["href"]).context["cl"].result_list
    assert [c.state for c in queue] == ["pending"]

    with CaptureQueriesContext(connection) as two_articles:
        admin_client.get("/admin/articles/article/")
    for article in ArticleFactory.create_batch(5):
        CommentFactory(article=article, state="pending")
    with django_assert_num_queries(len(two_articles)):
        admin_client.get("/admin/articles/article/")


def test_editors_who_may_not_see_comments_get_no_comments_column(client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    editor = UserFactory(is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(codename="view_article"))
    client.force_login(editor)
    ArticleFactory()
    page = BeautifulSoup(client.get("/admin/articles/article/").content, "html.parser")
    headings = [th.get_text(" ", strip=True) for th in page.select("#result_list thead th")]
    assert headings == ["Title", "Publication", "Medical review", "Updated"]  # no checkboxes


def change_form(client, article):
    """The article's change form as the page sends it back: every field as shown."""
    url = f"/admin/articles/article/{article.pk}/change/"
    return change_form_from(BeautifulSoup(client.get(url).content, "html.parser"))


def change_form_from(page):
    form = page.select_one("form#article_form")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text().removeprefix("\n")
        elif field.name == "select":
            chosen = [o["value"] for o in field.select("option[selected]")]
            data[name] = chosen if field.has_attr("multiple") else (chosen or [""])[0]
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "file", "button"):
            data[name] = field.get("value", "")
    return data


def test_saving_over_a_version_saved_since_is_refused_once_with_everything_kept(client, admin_user):
    """Two editors open the same article; the first saves a paragraph, the second a new
    summary: the second is told who saved and when, keeps what they typed, and replaces the
    first's version only by saving again (it was silently lost)."""
    from django.contrib.auth import get_user_model

    article = ArticleFactory(body="First paragraph.", summary="Old summary.")
    other = get_user_model().objects.create_superuser(
        "bea", "bea@example.org", "x", first_name="Bea", last_name="Editor"
    )
    client.force_login(admin_user)
    mine = change_form(client, article) | {"summary": "My new summary."}

    bea = type(client)()
    bea.force_login(other)
    theirs = change_form(bea, article) | {"body": "First paragraph.\n\nBea's paragraph."}
    assert bea.post(f"/admin/articles/article/{article.pk}/change/", theirs).status_code == 302

    refused = client.post(f"/admin/articles/article/{article.pk}/change/", mine)
    assert refused.status_code == 200
    page = BeautifulSoup(refused.content, "html.parser")
    error = page.select_one(".errorlist.nonfield").get_text()
    assert error.startswith("Bea Editor saved this article at ")
    assert "press Save again" in error
    assert page.select_one("#id_summary")["value"] == "My new summary."
    article.refresh_from_db()
    assert "Bea's paragraph." in article.body and article.summary == "Old summary."

    again = change_form_from(page)
    assert client.post(f"/admin/articles/article/{article.pk}/change/", again).status_code == 302
    article.refresh_from_db()
    assert article.summary == "My new summary." and "Bea's paragraph." not in article.body


def test_saving_the_version_one_opened_is_not_a_conflict(admin_client):
    article = ArticleFactory()
    data = change_form(admin_client, article) | {"summary": "Changed."}
    assert (
        admin_client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    )
    data = change_form(admin_client, article) | {"summary": "Changed again."}
    assert (
        admin_client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    )


def saved_message(client, article, **fields):
    """The message shown after saving the article's change form with ``fields`` changed."""
    data = change_form(client, article) | fields
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    return " ".join(str(message) for message in response.context["messages"])


def test_the_message_after_a_save_says_scheduled_with_the_date_and_time(admin_client):
    """An article saved as published with a publish date to come is scheduled: the message
    says so, with the date and time (it said only "changed successfully", as for one that
    went live), and the Status select says "Scheduled for" that date, not "Published"."""
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    message = saved_message(
        admin_client,
        article,
        status="published",
        published_at_0=when.date().isoformat(),
        published_at_1="09:30:00",
    )
    assert "was changed successfully" in message
    assert f"Scheduled for {formats.date_format(when, 'DATETIME_FORMAT')}" in message
    assert "readers see it from then" in message

    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser"
    )
    chosen = page.select_one("#id_status option[selected]")
    assert chosen["value"] == "published"
    assert chosen.get_text() == f"Scheduled for {formats.date_format(when, 'DATETIME_FORMAT')}"


def test_the_message_after_a_save_says_published_now_or_saved_as_a_draft(admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert "Saved as a draft: readers do not see it." in saved_message(admin_client, draft)
    assert "Published now: readers see it." in saved_message(
        admin_client, draft, status="published", published_at_0="", published_at_1=""
    )
    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{draft.pk}/change/").content, "html.parser"
    )
    assert page.select_one("#id_status option[selected]").get_text() == "Published"


def test_publishing_without_a_topic_says_readers_will_not_find_it_under_one(admin_client):
    """It was published with "Published now" alone: no breadcrumb, on no topic's page nor
    under "Browse by topic". A draft may wait without one; one with a topic is not warned."""
    from tests.factories import TopicFactory

    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, topic=None)
    warning = "This article has no topic: readers find it only on the home page and in search"
    assert warning not in saved_message(admin_client, draft)
    message = saved_message(
        admin_client, draft, status="published", published_at_0="", published_at_1=""
    )
    assert "Published now: readers see it." in message and warning in message
    topic = TopicFactory()
    assert warning not in saved_message(admin_client, draft, topic=str(topic.pk))


def test_publishing_with_no_writer_to_name_says_readers_see_no_byline(admin_client):
    """An editor's new account has no profile and no full name: an article published under
    it had no "By" line and its feed entry no author, with only "Published now" said. A
    draft may wait; a byline, or an author with a full name, is a writer to name."""
    from django.contrib.auth import get_user_model

    from tests.factories import PersonFactory

    author = get_user_model().objects.get(username="admin")  # the client's, with no name
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, author=author)
    warning = "This article names no writer: readers see no “By” line."
    assert warning not in saved_message(admin_client, draft)
    message = saved_message(
        admin_client, draft, status="published", published_at_0="", published_at_1=""
    )
    assert "Published now: readers see it." in message and warning in message
    assert warning not in saved_message(admin_client, draft, byline=str(PersonFactory().pk))
    author.first_name, author.last_name = "Ann", "Editor"
    author.save()
    assert warning not in saved_message(admin_client, draft, byline="")


def test_a_review_signed_off_by_the_articles_own_writer_is_pointed_out(admin_client):
    """ "By Dr Jane Sole … Medically reviewed by Dr Jane Sole" was saved without a word."""
    from tests.factories import PersonFactory

    jane, ann = PersonFactory(name="Dr Jane Sole"), PersonFactory(name="Dr Ann Lee")
    article = ArticleFactory(byline=jane)
    warning = "Dr Jane Sole is both the writer and the medical reviewer"
    assert warning in saved_message(admin_client, article, sign_off_by=str(jane.pk))
    # Once, at the save that made it so: it came back at every later save (a typo fixed,
    # a date moved), saying nothing new.
    assert warning not in saved_message(admin_client, article, body="A typo fixed.")
    assert warning not in saved_message(admin_client, article, sign_off_by=str(ann.pk))
    message = saved_message(admin_client, article, byline=str(ann.pk))  # Ann reviewed it
    assert "Dr Ann Lee is both the writer and the medical reviewer" in message


def test_the_message_after_editing_a_live_article_says_readers_see_the_edit_now(admin_client):
    """Saving an article readers can already read changes what they read at once (there is no
    separate "Update" step, as Ghost has): the message says so. It said "Published now" (as if
    it had only just gone live) or "Published since <date>: readers see it", which did not say
    whether they saw the edit."""
    live = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=30))
    when = formats.date_format(timezone.localtime(live.published_at), "DATETIME_FORMAT")
    message = saved_message(admin_client, live, body="A corrected dose.")
    assert f"Published since {when}: readers see this version now." in message

    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    saved_message(admin_client, draft, status="published", published_at_0="", published_at_1="")
    assert "readers see this version now." in saved_message(admin_client, draft, body="Typo.")


def test_the_save_bar_says_whether_readers_see_each_save(admin_client):
    """Publishing sits far below the text: at the text, a writer did not know whether Save
    changed what readers see. The bar at the window's foot says it beside the buttons (Ghost
    keeps "Published" or "Draft" beside its Update button); a new article's bar says nothing
    (the Publication line says what the save will make it)."""

    def bar(url):
        page = BeautifulSoup(admin_client.get(url).content, "html.parser")
        line = page.select_one(".submit-row .submit-publication .label-long")
        return line and line.get_text()

    live = ArticleFactory()
    assert bar(f"/admin/articles/article/{live.pk}/change/") == (
        "Published: readers see each save at once."
    )
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert bar(f"/admin/articles/article/{draft.pk}/change/") == "Draft: readers do not see it."
    coming = ArticleFactory(scheduled=True)
    when = formats.date_format(timezone.localtime(coming.published_at), "DATETIME_FORMAT")
    assert bar(f"/admin/articles/article/{coming.pk}/change/") == (
        f"Scheduled for {when}: readers do not see it yet."
    )
    # A phone's form of it, one line above the buttons at 375 px.
    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{coming.pk}/change/").content, "html.parser"
    )
    short = page.select_one(".submit-row .submit-publication .label-short").get_text()
    assert short == f"Goes live {when}."
    assert bar("/admin/articles/article/add/") is None


def test_a_slug_another_article_has_is_refused_naming_it_and_offering_a_free_one(
    admin_client,
):
    """Two articles on one subject often start with one title: "Article with this Slug already
    exists." left the writer to guess an address not taken (Ghost adds "-2" itself)."""
    ArticleFactory(title="Burning feet at night", slug="burning-feet", status="draft")
    ArticleFactory(slug="burning-feet-2")
    article = ArticleFactory(slug="mine")
    data = change_form(admin_client, article) | {"slug": "burning-feet"}
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["slug"]
    assert errors == [
        "The article “Burning feet at night” (draft) has this address already. Choose "
        "another, such as burning-feet-3."
    ]
    data = change_form(admin_client, article) | {"slug": "burning-feet-3"}
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302


def test_an_empty_address_says_what_to_type(admin_client):
    """A title of emoji alone leaves the address empty: "This field is required." under Slug
    said neither why nor what to type."""
    article = ArticleFactory(slug="mine")
    data = change_form(admin_client, article) | {"title": "🙂🙂🙂", "slug": ""}
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.context["adminform"].form.errors["slug"] == [
        "Type the article's address, in letters, numbers and hyphens (as "
        "nerve-pain-after-physio): its title gives none."
    ]


def test_the_summary_box_is_counted_not_cut_and_the_server_refuses_a_longer_one(admin_client):
    """The summary box has no maxlength, which cut a pasted summary short without a word: the
    editor's script counts it (``data-maxlength``), and the server still refuses more than 160
    characters, with the text kept to shorten."""
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    box = BeautifulSoup(admin_client.get(url).content, "html.parser").select_one("#id_summary")
    assert box["data-maxlength"] == "160" and not box.has_attr("maxlength")
    long_summary = "Nerve pain. " * 14  # 168 characters, 167 without the last space
    response = admin_client.post(
        url, change_form(admin_client, article) | {"summary": long_summary}
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "at most 160 characters (it has 167)" in page.select_one(".field-summary").get_text()
    assert page.select_one("#id_summary")["value"] == long_summary


@pytest.mark.parametrize("page", ["add", "change"])
def test_publishing_follows_the_text_before_the_image_and_the_review(admin_client, page):
    """Status and the publish date sat under the featured image and the medical review: an
    editor scrolled past both to publish, schedule or unpublish. Publishing comes right after
    the text (WordPress keeps its Publish box at the top of its sidebar), with a stable id."""
    url = "/admin/articles/article/add/"
    if page == "change":
        url = f"/admin/articles/article/{ArticleFactory().pk}/change/"
    form = BeautifulSoup(admin_client.get(url).content, "html.parser")
    headings = [h.get_text() for h in form.select("#article_form fieldset > h2.fieldset-heading")]
    assert headings[:5] == [
        "Publishing",
        "Featured image",
        "Medical review",
        "Discussion",
        "Call-to-action",
    ]
    fieldsets = form.select("#article_form fieldset.module")
    assert fieldsets[0].select_one("#id_body") and fieldsets[1].select_one("#id_status")
    assert form.select_one("#publishing fieldset #id_status")


def test_the_save_bars_line_links_to_publishing(admin_client):
    """From the Save bar, one click reaches Status: its line is followed by "Change", named
    "Change publication" for a screen reader, an anchor to the Publishing section (the
    editor's script then focuses Status)."""
    article = ArticleFactory(scheduled=True)
    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser"
    )
    line = page.select_one(".submit-row .submit-publication")
    link = line.select_one("a")
    assert link["href"] == "#publishing" and page.select_one("#publishing #id_status")
    assert " ".join(link.get_text(" ").split()) == "Change publication"
    assert link.select_one(".visually-hidden").get_text().strip() == "publication"
    # After both forms of the sentence (a phone's and the whole one), which the script rewrites.
    assert [child.name for child in line.find_all(recursive=False)] == ["span", "span", "a"]


def test_a_date_with_slashes_is_refused_not_read_month_first(admin_client):
    """ "10/12/2026" was read as 12 October (Django's English reads slashes month first),
    where this site writes the day first: an editor scheduling 10 December published at once,
    back-dated. Unambiguous dates are read as before."""
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form(admin_client, article) | {
        "status": "published",
        "published_at_0": "10/12/2030",
        "published_at_1": "09:00",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["published_at"]
    assert error.startswith("Enter the date as 2027-03-01 or 1 Mar 2027.")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    for typed in ("2030-12-10", "10 Dec 2030", "December 10, 2030"):
        data = change_form(admin_client, article) | {
            "status": "published",
            "published_at_0": typed,
            "published_at_1": "09:00",
        }
        assert admin_client.post(url, data).status_code == 302
        article.refresh_from_db()
        assert timezone.localtime(article.published_at).date() == datetime.date(2030, 12, 10)


def test_a_call_to_action_leading_to_closed_comments_is_said_at_the_save(admin_client):
    """ "Share your story" (#respond) on an article that takes no comments: readers pressing it
    landed on "Comments are closed", and nothing told the editor."""
    from tests.factories import CallToActionFactory

    share = CallToActionFactory(button_label="Share your story", button_url="#respond")
    article = ArticleFactory(call_to_action=share)
    warning = "Its call to action's button leads to the comment form (#respond), and this"
    assert warning not in saved_message(admin_client, article)
    assert warning in saved_message(admin_client, article, allow_comments="")
    elsewhere = CallToActionFactory(button_url="/contact/")
    assert warning not in saved_message(
        admin_client, article, allow_comments="", call_to_action=str(elsewhere.pk)
    )
