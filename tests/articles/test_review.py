"""Medical review: only a reviewer's sign-off moves the review date; overdue reviews are listed."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import dateformat, timezone

from articles.models import Article
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def admin_form_data(article, **fields):
    """What the admin's change form posts for ``article``, with ``fields`` changed."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic_id or "",
        "body": article.body,
        "status": article.status,
        "published_at_0": article.published_at.date().isoformat(),
        "published_at_1": article.published_at.time().strftime("%H:%M:%S"),
        "allow_comments": "on",
        "next_review_due": article.next_review_due.isoformat() if article.next_review_due else "",
        "sign_off_by": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


@pytest.fixture
def reviewed(settings):
    """An article signed off on TODAY by a reviewer, with the default interval of 365 days."""
    settings.ARTICLE_REVIEW_INTERVAL_DAYS = 365
    article = ArticleFactory()
    article.sign_off_review(PersonFactory(name="Dr Ada Nerve"), on=TODAY)
    article.save()
    return article


def test_sign_off_records_reviewer_date_and_next_review(reviewed):
    reviewed.refresh_from_db()
    assert reviewed.reviewed_by.name == "Dr Ada Nerve"
    assert reviewed.last_reviewed == TODAY
    assert reviewed.next_review_due == TODAY + datetime.timedelta(days=365)


def test_review_interval_is_a_setting(settings):
    settings.ARTICLE_REVIEW_INTERVAL_DAYS = 90
    article = ArticleFactory()
    article.sign_off_review(PersonFactory(), on=TODAY)
    assert article.next_review_due == TODAY + datetime.timedelta(days=90)


def test_an_edit_does_not_move_the_review_date(reviewed):
    """Saving changes the last-updated date, never the last-reviewed one."""
    before = reviewed.updated_at
    reviewed.body = "## Rewritten\n\nNew advice."
    reviewed.save()
    reviewed.refresh_from_db()
    assert reviewed.updated_at > before
    assert reviewed.last_reviewed == TODAY
    assert reviewed.reviewed_by.name == "Dr Ada Nerve"


def test_review_fields_are_not_editable_in_forms():
    """Only a sign-off sets them: no model form offers them as inputs."""
    assert not Article._meta.get_field("reviewed_by").editable
    assert not Article._meta.get_field("last_reviewed").editable


def test_admin_edit_without_sign_off_keeps_the_review(admin_client, reviewed):
    url = f"/admin/articles/article/{reviewed.pk}/change/"
    response = admin_client.post(url, admin_form_data(reviewed, body="Edited body."))
    assert response.status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.body == "Edited body."
    assert reviewed.last_reviewed == TODAY


def test_admin_sign_off_sets_today_and_the_default_next_review(admin_client, reviewed):
    other = PersonFactory(name="Dr Ben Spine")
    url = f"/admin/articles/article/{reviewed.pk}/change/"
    response = admin_client.post(url, admin_form_data(reviewed, sign_off_by=other.pk))
    assert response.status_code == 302
    reviewed.refresh_from_db()
    today = timezone.localdate()
    assert reviewed.reviewed_by == other
    assert reviewed.last_reviewed == today
    assert reviewed.next_review_due == today + datetime.timedelta(days=365)


def test_admin_sign_off_keeps_a_next_review_date_typed_with_it(admin_client, reviewed):
    url = f"/admin/articles/article/{reviewed.pk}/change/"
    chosen = timezone.localdate() + datetime.timedelta(days=30)
    response = admin_client.post(
        url,
        admin_form_data(
            reviewed, sign_off_by=reviewed.reviewed_by.pk, next_review_due=chosen.isoformat()
        ),
    )
    assert response.status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.next_review_due == chosen


@pytest.mark.parametrize("sign_off", [True, False], ids=["with a sign-off", "without"])
@pytest.mark.parametrize("days", [-700, 0])
def test_a_next_review_on_or_before_the_review_is_refused(admin_client, reviewed, sign_off, days):
    """A sign-off saved with "Next review due: 1 January 2020" and readers read it."""
    url = f"/admin/articles/article/{reviewed.pk}/change/"
    due = TODAY + datetime.timedelta(days=days)
    fields = {"next_review_due": due.isoformat()}
    if sign_off:
        fields["sign_off_by"] = reviewed.reviewed_by.pk
    response = admin_client.post(url, admin_form_data(reviewed, **fields))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    error = page.select_one(".field-next_review_due .errorlist").get_text()
    which = "today's sign-off" if sign_off else "the last review"
    assert f"The next review must come after {which}" in error
    reviewed.refresh_from_db()
    assert reviewed.next_review_due == TODAY + datetime.timedelta(days=365)
    # An overdue date after the last review stays an editor's choice: due now.
    older = ArticleFactory()
    older.sign_off_review(reviewed.reviewed_by, on=TODAY - datetime.timedelta(days=400))
    older.save()
    overdue = TODAY - datetime.timedelta(days=10)
    response = admin_client.post(
        f"/admin/articles/article/{older.pk}/change/",
        admin_form_data(older, next_review_due=overdue.isoformat()),
    )
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.next_review_due == overdue


def test_admin_cannot_post_a_review_date(admin_client, reviewed):
    """A hand-typed last-reviewed date or reviewer in the POST is ignored."""
    url = f"/admin/articles/article/{reviewed.pk}/change/"
    admin_client.post(
        url,
        admin_form_data(reviewed, last_reviewed="2030-01-01", reviewed_by=PersonFactory().pk),
    )
    reviewed.refresh_from_db()
    assert reviewed.last_reviewed == TODAY
    assert reviewed.reviewed_by.name == "Dr Ada Nerve"


def test_review_overdue_lists_past_due_and_never_reviewed():
    today = timezone.localdate()
    reviewer = PersonFactory()
    overdue = ArticleFactory(title="Overdue")
    overdue.sign_off_review(reviewer, on=today - datetime.timedelta(days=400))
    overdue.save()
    current = ArticleFactory(title="Current")
    current.sign_off_review(reviewer, on=today - datetime.timedelta(days=10))
    current.save()
    due_today = ArticleFactory(title="Due today")
    due_today.sign_off_review(reviewer, on=today - datetime.timedelta(days=10), next_due=today)
    due_today.save()
    never = ArticleFactory(title="Never reviewed")

    assert set(Article.objects.review_overdue()) == {overdue, never}
    assert [a.review_is_overdue for a in (overdue, current, due_today, never)] == [
        True,
        False,
        False,
        True,
    ]


def test_admin_lists_articles_whose_review_is_overdue(admin_client):
    reviewer = PersonFactory()
    overdue = ArticleFactory(title="Overdue one")
    overdue.sign_off_review(reviewer, on=timezone.localdate() - datetime.timedelta(days=400))
    overdue.save()
    current = ArticleFactory(title="Current one")
    current.sign_off_review(reviewer)
    current.save()

    response = admin_client.get("/admin/articles/article/?review=overdue")
    assert [a.title for a in response.context["cl"].result_list] == ["Overdue one"]
    response = admin_client.get("/admin/articles/article/?review=current")
    assert [a.title for a in response.context["cl"].result_list] == ["Current one"]
    page = BeautifulSoup(admin_client.get("/admin/articles/article/").content, "html.parser")
    assert page.find(string="Overdue or never reviewed") is not None
    assert page.select("td.field-medical_review .review-state.overdue")


def test_page_shows_reviewer_review_date_and_last_update(client, reviewed):
    """The review line says "on" before the date: after a list of credentials, a bare date read
    as one more of them ("MD, FRCP, 2 October 2026")."""
    page = BeautifulSoup(client.get(reviewed.get_absolute_url()).content, "html.parser")
    review = page.select_one(".review")
    assert " ".join(review.get_text().split()) == (
        "Medically reviewed by Dr Ada Nerve, MD, on 10 March 2026"
    )
    assert review.a["href"] == reviewed.reviewed_by.get_absolute_url()
    assert review.time["datetime"] == "2026-03-10"
    meta = page.select_one(".meta")
    updated = meta.find_all("time")[-1]
    assert "Last updated" in meta.get_text()
    assert updated["datetime"] == reviewed.updated_at.isoformat()


def test_an_article_updated_on_the_day_it_was_published_gives_that_date_once(client):
    """ "Published 6 December 2026 · Last updated 6 December 2026" said the same thing twice;
    the update's date shows once it is another day."""
    article = ArticleFactory(published_at=timezone.now())
    meta = " ".join(
        BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
        .select_one(".meta")
        .get_text()
        .split()
    )
    assert meta == f"Published {dateformat.format(timezone.localtime(), 'j F Y')} · 1 min read"


def test_the_page_ends_with_when_it_was_reviewed_and_is_next_due(client, reviewed):
    """As NHS.UK's pages end: "Page last reviewed" and "Next review due", both dated."""
    page = BeautifulSoup(client.get(reviewed.get_absolute_url()).content, "html.parser")
    review = page.select_one("article .page-review")
    assert " ".join(review.get_text(" ").split()) == (
        "Page last reviewed: 10 March 2026 Next review due: 10 March 2027"
    )
    assert [t["datetime"] for t in review.find_all("time")] == ["2026-03-10", "2027-03-10"]


def test_page_says_when_an_article_is_not_reviewed(client):
    article = ArticleFactory()
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert "not been medically reviewed" in page.select_one(".review").get_text()
    assert "Medically reviewed by" not in page.get_text()
    assert page.select_one(".page-review") is None
