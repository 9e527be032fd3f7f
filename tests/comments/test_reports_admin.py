"""Comments > Reports: where the overview's "readers worried about a writer" leads, a list a
moderator acts from (the comment's page, the comment on the article), as WordPress's Comments
screen is."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.models import CommentReport
from tests.factories import ArticleFactory, CommentFactory, UserFactory

REPORTS = "/admin/comments/commentreport/"


def rows(client, url=REPORTS):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select("#result_list tbody tr")


def make_report(comment, reason="spam", text="", key="k", **fields):
    return CommentReport.objects.create(
        comment=comment, reason=reason, text=text, reporter_key_hash=key, **fields
    )


@pytest.mark.django_db
def test_a_row_says_which_comment_whose_where_and_why(moderator_client):
    article = ArticleFactory(title="Burning feet at night")
    comment = CommentFactory(
        article=article, user_name="Maria Lopez", comment="I cannot keep doing this any more."
    )
    make_report(comment, "worried", text="Please check on her.")
    [row] = rows(moderator_client)
    reason = row.select_one(".field-shown_reason")
    assert reason.select_one(".report-worried").get_text() == "Worried about the writer"
    assert "Please check on her." in reason.get_text()
    cell = row.select_one(".field-comment_excerpt")
    assert cell.a["href"] == f"/admin/comments/comment/{comment.pk}/change/"
    assert cell.a.get_text() == "I cannot keep doing this any more."
    assert "by Maria Lopez" in cell.get_text()
    assert cell.select_one(".qc-state-published").get_text() == "Published"
    on_article = row.select_one(".field-on_article a")
    assert on_article["href"] == f"{article.get_absolute_url()}#c{comment.pk}"
    assert on_article.get_text() == "Burning feet at night"
    # The report's own page says nothing more: no link to it (the comment's page is where to act).
    assert not row.select(f'a[href*="/commentreport/{comment.reports.get().pk}/"]')


@pytest.mark.django_db
def test_only_worried_reports_are_marked(moderator_client):
    make_report(CommentFactory(), "abusive", text="rude")
    [row] = rows(moderator_client)
    assert not row.select(".report-worried")
    assert "Abusive or hurtful" in row.select_one(".field-shown_reason").get_text()


@pytest.mark.django_db
def test_the_newest_report_comes_first_and_the_reason_filters(moderator_client):
    now = timezone.now()
    old = make_report(CommentFactory(comment="Old one"), "worried", key="a")
    CommentReport.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=2))
    make_report(CommentFactory(comment="Spam one"), "spam", key="b")
    make_report(CommentFactory(comment="New one"), "worried", key="c")
    excerpts = [r.select_one(".field-comment_excerpt a").get_text() for r in rows(moderator_client)]
    assert excerpts == ["New one", "Spam one", "Old one"]
    worried = rows(moderator_client, f"{REPORTS}?reason__exact=worried")
    assert [r.select_one(".field-comment_excerpt a").get_text() for r in worried] == [
        "New one",
        "Old one",
    ]


@pytest.mark.django_db
def test_reports_can_be_narrowed_to_comments_still_shown(moderator_client):
    make_report(CommentFactory(comment="Shown"), "worried", key="a")
    make_report(CommentFactory(comment="Held", state="pending"), "worried", key="b")
    url = f"{REPORTS}?reason__exact=worried&comment__state__exact=published"
    shown = rows(moderator_client, url)
    assert [r.select_one(".field-comment_excerpt a").get_text() for r in shown] == ["Shown"]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 20])
def test_the_list_costs_the_same_queries_for_1_or_20_reports(
    moderator_client, django_assert_num_queries, n
):
    """Each row names its comment's article: fetched for the whole page at once, not a query a
    row (20 reports on 20 articles would be 40 more queries)."""
    for i in range(n):
        make_report(CommentFactory(article=ArticleFactory()), "worried", key=str(i))
    moderator_client.get(REPORTS)  # sessions, content types: warm
    # Session, user, 2 permissions, 2 counts, sidebar's 3 checks, the page's reports (with
    # their comments), and their articles.
    with django_assert_num_queries(11):
        assert len(rows(moderator_client)) == n


@pytest.mark.django_db
def test_a_handled_worry_says_by_whom_and_when_and_the_list_filters_on_it(moderator_client):
    """A moderator reading the list could not tell a worry someone had answered from one
    nobody had."""
    moderator = UserFactory(username="ana")
    when = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 30))
    make_report(
        CommentFactory(comment="Answered"),
        "worried",
        key="a",
        handled_at=when,
        handled_by=moderator,
    )
    make_report(CommentFactory(comment="Waiting"), "worried", key="b")
    make_report(CommentFactory(comment="Complaint"), "spam", key="c")
    by_excerpt = {
        r.select_one(".field-comment_excerpt a").get_text(): r for r in rows(moderator_client)
    }
    done = by_excerpt["Answered"].select_one(".field-shown_reason .report-handled")
    assert done.get_text() == "Worry handled by ana, 4 Mar 2026, 10:30"
    assert not by_excerpt["Waiting"].select(".report-handled")
    assert not by_excerpt["Complaint"].select(".report-handled")

    def listed(query):
        return [
            r.select_one(".field-comment_excerpt a").get_text()
            for r in rows(moderator_client, f"{REPORTS}?worry={query}")
        ]

    assert listed("unhandled") == ["Waiting"]  # complaints are not worries
    assert listed("handled") == ["Answered"]


@pytest.mark.django_db
def test_a_reports_own_page_names_its_reason_as_the_list_does(moderator_client):
    """The report's page (reached by its address) said "I'm worried about the person who wrote
    it", the reader's words, in its title, its breadcrumb and its reason, while the list and
    the queue say "Worried about the writer"."""
    report = make_report(CommentFactory(), "worried", text="Please check on her.")
    response = moderator_client.get(f"{REPORTS}{report.pk}/change/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "I'm worried about the person who wrote it" not in page.get_text()
    reason = page.select_one(".field-moderators_reason .readonly").get_text(strip=True)
    assert reason == "Worried about the writer"
    assert f"Worried about the writer: {report.comment_id}" in page.select_one("h2").get_text()
    # Other reasons read as they did.
    other = make_report(CommentFactory(), "abusive", key="other")
    page = BeautifulSoup(
        moderator_client.get(f"{REPORTS}{other.pk}/change/").content, "html.parser"
    )
    assert page.select_one(".field-moderators_reason .readonly").get_text() == "Abusive or hurtful"


@pytest.mark.django_db
def test_a_report_that_just_became_a_worry_comes_first_dated_by_the_worry(moderator_client):
    """A reader who reported a comment days ago and is now worried about its writer: their
    report leads the list, dated by the worry (as the email and the comment's page date it),
    not down among the reports of its first day."""
    now = timezone.now()
    earlier = make_report(CommentFactory(comment="Now a worry"), "spam", key="a")
    CommentReport.objects.filter(pk=earlier.pk).update(created_at=now - datetime.timedelta(days=3))
    make_report(CommentFactory(comment="Reported today"), "abusive", key="b")
    earlier.refresh_from_db()
    earlier.reason, earlier.worried_at = "worried", timezone.now()
    earlier.save()
    found = rows(moderator_client)
    assert [r.select_one(".field-comment_excerpt a").get_text() for r in found] == [
        "Now a worry",
        "Reported today",
    ]
    when = found[0].select_one(".field-reported_at")
    assert "first reported" in when.select_one(".report-first").get_text()
    assert not found[1].select(".report-first")


def reports_page(client, url=REPORTS):
    return BeautifulSoup(client.get(url).content, "html.parser")


def excerpts(page):
    return [a.get_text() for a in page.select("#result_list .field-comment_excerpt a")]


@pytest.mark.django_db
def test_the_reported_at_heading_shows_the_lists_order_and_reverses_it(moderator_client):
    """The list is sorted by "Reported at", newest first, but its heading looked like any
    other: Django marks a column sorted only for an ordering it can match to the column by
    name, and the ordering was an expression. The heading is marked (descending, as Django's
    are), its link reverses the order, and the phone's "Sort by" line (admin-lists.js) reads
    the same marks."""
    older = make_report(CommentFactory(comment="Older"), "spam", key="a")
    CommentReport.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    make_report(CommentFactory(comment="Newer"), "spam", key="b")
    page = reports_page(moderator_client)
    heading = page.select_one("#result_list th.column-reported_at")
    assert {"sortable", "sorted", "descending"} <= set(heading["class"])
    assert heading.select_one(".sortremove")  # the primary sort, which the phone's line marks
    assert excerpts(page) == ["Newer", "Older"]
    reverse = heading.select_one(".text a")["href"]
    assert excerpts(reports_page(moderator_client, REPORTS + reverse)) == ["Older", "Newer"]


@pytest.mark.django_db
def test_the_date_filter_filters_by_the_time_the_list_shows(moderator_client):
    """The list shows a worry dated by when its reader became worried (today), but "Today"
    filtered by when the same reader first reported the comment (three days ago): the worry
    the list led with was not among "Today"'s reports."""
    now = timezone.now()
    worry = make_report(CommentFactory(comment="Worried today"), "worried", key="a")
    CommentReport.objects.filter(pk=worry.pk).update(
        created_at=now - datetime.timedelta(days=3), worried_at=now
    )
    old = make_report(CommentFactory(comment="Reported days ago"), "spam", key="b")
    CommentReport.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=3))
    page = reports_page(moderator_client)
    [today] = [a for a in page.select("#changelist-filter a") if a.get_text() == "Today"]
    heading = today.find_parent("details").summary.get_text(" ", strip=True)
    assert "reported at" in heading
    assert excerpts(reports_page(moderator_client, REPORTS + today["href"])) == ["Worried today"]
    [week] = [a for a in page.select("#changelist-filter a") if a.get_text() == "Past 7 days"]
    assert excerpts(reports_page(moderator_client, REPORTS + week["href"])) == [
        "Worried today",
        "Reported days ago",
    ]


@pytest.mark.django_db
def test_the_queue_says_a_worry_about_a_published_comments_writer_is_waiting(moderator_client):
    """A worry about a published comment's writer holds nothing: the queue, where moderators
    work, showed no sign of it (only the admin's home page, the overview and the email)."""
    comment = CommentFactory(state="published", comment="I can't take much more of this.")
    queue = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    assert queue.select_one(".moderation-alert") is None
    report = make_report(comment, "worried", text="Please check on them.")
    make_report(comment, "worried", key="other")
    queue = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    alert = queue.select_one(".moderation-alert")
    assert " ".join(alert.get_text().split()) == (
        "2 reports of readers worried about a writer, on 1 comment, not yet handled: "
        "read them first."
    )
    assert alert.find("a")["href"] == f"{REPORTS}?reason__exact=worried&worry=unhandled"
    CommentReport.objects.filter(comment=comment).update(handled_at=timezone.now())
    queue = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    assert queue.select_one(".moderation-alert") is None
    assert report.comment.state == "published"


@pytest.mark.django_db
def test_the_queue_links_the_moderation_overview(moderator_client):
    """Linked only from the admin's home page: a moderator working in the queue had no way
    to it."""
    queue = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    link = queue.select_one(".queue-tools").find("a", string="Moderation overview")
    assert link["href"] == "/admin/comments/overview/"
