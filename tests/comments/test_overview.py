"""The moderators' overview: the queue, its oldest and urgent items, the median time to a
decision, and two server-drawn SVG charts, in a fixed number of queries."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.models import Comment, CommentReport
from comments.overview import duration
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/comments/overview/"


@pytest.fixture(autouse=True)
def _midday(monkeypatch):
    """The chart counts comments by day. Between midnight and 05:00 a comment held five hours
    ago is yesterday's, and the chart's bars moved with the clock: the tests failed when run
    then. They run at noon today."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: noon)


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def make(state, *, submitted, decided=None, moderator=None, **fields):
    comment = CommentFactory(state=state, **fields)
    Comment.objects.filter(pk=comment.pk).update(
        submit_date=submitted, moderated_at=decided, moderated_by=moderator
    )
    return comment


@pytest.fixture
def history(moderator):
    oldest = make("pending", submitted=ago(hours=5), reason="not_trusted")
    make("pending", submitted=ago(hours=1), reason="crisis", urgent=True)
    make("published", submitted=ago(days=1), reason="trusted")
    make("published", submitted=ago(days=2, hours=2), decided=ago(days=2), moderator=moderator,
         reason="not_trusted")  # fmt: skip
    make("spam", submitted=ago(days=3, hours=4), decided=ago(days=3), moderator=moderator,
         reason="links")  # fmt: skip
    make("removed", submitted=ago(days=4, hours=6), decided=ago(days=4), moderator=moderator,
         reason="medical")  # fmt: skip
    make("published", submitted=ago(days=60), reason="trusted")  # outside the 30 days
    return oldest


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def figures(page):
    return {
        div.dt.get_text(): div.dd.get_text(" ", strip=True)
        for div in page.select(".overview-figures div")
    }


def test_the_overview_shows_what_needs_attention(moderator_client, history):
    response = moderator_client.get(URL)
    assert response.status_code == 200
    page = soup(response)
    numbers = figures(page)
    assert numbers["Waiting for moderation"] == "2"
    assert numbers["Urgent (the writer may be in crisis)"] == "1"
    assert numbers["Oldest waiting"] == "5 h 0 min"
    assert page.find("a", href=f"/admin/comments/comment/{history.pk}/change/") is not None
    assert numbers["Median time to a decision (30 days)"] == "4 h 0 min"  # of 2 h, 4 h, 6 h


def test_the_sites_own_replies_are_no_decisions_and_no_readers_comments(
    moderator_client, history, moderator
):
    """Each reply as the site was counted "Held, then approved", decided in no time: six
    "approved" where four were readers', and the median wait halved."""
    for hours in (1, 2, 3):
        make("published", submitted=ago(days=1, hours=hours), decided=ago(days=1, hours=hours),
             moderator=moderator, reason="staff", from_site=True)  # fmt: skip
    page = soup(moderator_client.get(URL))
    assert figures(page)["Median time to a decision (30 days)"] == "4 h 0 min"
    legend = [li.get_text(" ", strip=True) for li in page.select(".legend li")]
    assert "Held, then approved: 1" in legend and "Published at once: 1" in legend


def test_the_urgent_figure_leads_to_the_urgent_comments(moderator_client, history):
    """The figure that matters most links to what to do next, as "Waiting" and the worried
    readers' figure do: it was a bare "1", and the moderator had to find the comment."""
    page = soup(moderator_client.get(URL))
    [urgent] = [div for div in page.select(".overview-figures div") if "Urgent" in div.dt.text]
    link = urgent.dd.find("a")
    assert link is not None and link.get_text() == "1"
    queue = moderator_client.get(link["href"])
    assert [c.reason for c in queue.context["cl"].result_list] == ["crisis"]


def test_no_urgent_comment_links_nowhere(moderator_client):
    page = soup(moderator_client.get(URL))
    [urgent] = [div for div in page.select(".overview-figures div") if "Urgent" in div.dt.text]
    assert urgent.dd.get_text() == "0" and urgent.dd.find("a") is None


def test_the_overview_counts_comments_whose_writer_a_reader_is_worried_about(
    moderator_client, history, moderator
):
    """Such reports never hide a comment, so the queue does not show it: the overview does,
    until a moderator handles the worry, however old it is (a week's window let one nobody
    answered drop out of sight; a handled one stayed counted for a week), and whether the
    comment is still shown or not (a worry about the writer of a removed comment, which
    emails the moderators at once, was then counted nowhere)."""
    name = "Readers worried about a writer (not yet handled)"
    assert figures(soup(moderator_client.get(URL)))[name] == "0"
    shown, removed, old, handled = (
        make("published", submitted=ago(days=1)),
        make("removed", submitted=ago(days=1)),
        make("published", submitted=ago(days=9)),
        make("published", submitted=ago(days=1)),
    )
    for n, (comment, reason, when, handled_at) in enumerate(
        [
            (shown, "worried", ago(hours=2), None),
            (shown, "worried", ago(hours=1), None),  # the same comment: counted once
            (removed, "worried", ago(hours=1), None),  # no longer shown: still a worry
            (history, "spam", ago(hours=1), None),  # a complaint, not a worry
            (old, "worried", ago(days=8), None),  # nobody answered it yet
            (handled, "worried", ago(hours=3), ago(hours=1)),  # a moderator answered it
        ]
    ):
        CommentReport.objects.create(
            comment=comment,
            reason=reason,
            reporter_key_hash=str(n),
            created_at=when,
            handled_at=handled_at,
            handled_by=moderator if handled_at else None,
        )
    page = soup(moderator_client.get(URL))
    # Both what the link lists (reports, a row each) and the people to look at (comments):
    # a bare "2" above a list of 3 rows read as a mistake in one or the other.
    assert figures(page)[name] == "4 reports on 3 comments"
    link = page.find(
        "a", href="/admin/comments/commentreport/?reason__exact=worried&worry=unhandled"
    )
    assert link.get_text() == "4 reports"
    # The list it opens leaves out the complaint and the handled worry.
    listed = soup(moderator_client.get(link["href"])).select(".field-comment_excerpt a")
    hrefs = [a["href"] for a in listed]
    assert sorted(hrefs) == sorted(
        f"/admin/comments/comment/{comment.pk}/change/" for comment in [shown, shown, removed, old]
    )
    assert hrefs[-1] == f"/admin/comments/comment/{old.pk}/change/"  # the newest first


def test_comments_per_day_are_stacked_by_outcome(moderator_client, history):
    page = soup(moderator_client.get(URL))
    chart = page.select_one("svg.chart")
    assert chart["role"] == "img"
    rects = chart.select("rect")
    assert sorted(rect["class"][0] for rect in rects) == sorted(
        [
            "outcome-pending",
            "outcome-published",
            "outcome-approved",
            "outcome-spam",
            "outcome-removed",
        ]
    )
    legend = [li.get_text(" ", strip=True) for li in page.select(".legend li")]
    assert legend == [
        "Published at once: 1",
        "Held, then approved: 1",
        "Still waiting: 2",
        "Spam: 1",
        "Removed: 1",
        "Deleted by its writer: 0",
    ]
    assert len(page.select(".overview-table tbody tr")) == 30


def test_the_rules_chart_counts_what_each_rule_held(moderator_client, history):
    page = soup(moderator_client.get(URL))
    rows = page.select(".rule-bars li")
    counted = {
        row.select_one(".rule-label").get_text(): int(row.select_one(".rule-count").get_text())
        for row in rows
    }
    assert "The writer may be in crisis" in counted and "Medical claim" in counted
    assert "Returning approved commenter" not in counted  # trusted: nothing held it
    assert len(rows) == 4  # not trusted, crisis, links, medical
    peak = max(counted.values())
    for row in rows:  # each bar is its count against the largest
        meter = row.select_one("meter")
        assert (meter["min"], meter["max"]) == ("0", str(peak))
        assert meter["value"] == row.select_one(".rule-count").get_text()


def test_no_inline_style_and_no_script(moderator_client, history):
    """The CSP forbids style attributes and inline script: the charts use classes."""
    page = soup(moderator_client.get(URL))
    main = page.select_one("#content-main")
    assert main.find(attrs={"style": True}) is None
    assert main.find("script") is None and main.find("style") is None
    assert page.find("link", href="/static/css/admin-overview.css") is not None


def test_the_overview_costs_the_same_queries_for_any_amount_of_comments(
    moderator_client, history, django_assert_max_num_queries
):
    # 13: one of them counts the shown comments whose writer a reader is worried about.
    moderator_client.get(URL)
    with django_assert_max_num_queries(13):
        moderator_client.get(URL)
    for _ in range(20):
        make("spam", submitted=ago(days=5), reason="spam_list")
    with django_assert_max_num_queries(13):
        moderator_client.get(URL)


def test_an_empty_site_has_an_overview_too(moderator_client):
    page = soup(moderator_client.get(URL))
    assert figures(page)["Median time to a decision (30 days)"] == "no decisions yet"
    assert "No comment was held or refused" in page.get_text()


def test_only_staff_who_may_see_comments_open_it(client):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL).status_code == 403


def test_the_admin_index_links_to_it(moderator_client):
    page = soup(moderator_client.get("/admin/"))
    assert page.find("a", href=URL).get_text() == "Moderation overview"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(5, "5 min"), (125, "2 h 5 min"), (60 * 24 * 3 + 90, "3 d 1 h")],
)
def test_durations_read_plainly(minutes, text):
    assert duration(datetime.timedelta(minutes=minutes)) == text


def test_a_writers_delete_is_its_own_outcome_and_no_rule(moderator_client, history):
    """Counted under "Removed", as if a moderator had removed it, and as a rule that "held"
    it ("Deleted by its writer: 2"), while the rule that held it lost its count."""
    from comments import controls

    controls.delete_own(CommentFactory(reason=Comment.Reason.MEDICAL))
    page = soup(moderator_client.get(URL))
    legend = [li.get_text(" ", strip=True) for li in page.select(".legend li")]
    assert legend[-2:] == ["Removed: 1", "Deleted by its writer: 1"]
    labels = [label.get_text() for label in page.select(".rule-bars .rule-label")]
    assert "Deleted by its writer" not in labels
