"""Moderators' screens that lost or hid something: crisis resources whose phone number was
dropped, earlier versions that could not be found by comment, and the overview's table."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments.models import Comment, CommentVersion, CrisisSupport
from comments.render import crisis_box
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

CRISIS_ADMIN = "/admin/comments/crisissupport/1/change/"
VERSIONS = "/admin/comments/commentversion/"


def soup(response_or_html):
    html = getattr(response_or_html, "content", response_or_html)
    return BeautifulSoup(html, "html.parser")


# Crisis support: what follows "|" is a link, or the form says why not


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("Samaritans (UK) | 116 123", ("Samaritans (UK): 116 123", "tel:116123")),
        ("US | +1 (988) 555-0100", ("US: +1 (988) 555-0100", "tel:+19885550100")),
        ("Lifeline | www.lifeline.org.au", ("Lifeline", "https://www.lifeline.org.au")),
        ("Samaritans | https://www.samaritans.org/", ("Samaritans", "https://www.samaritans.org/")),
        ("Samaritans | tel:116123", ("Samaritans: 116123", "tel:116123")),
        ("Samaritans 116 123 | tel:116123", ("Samaritans 116 123", "tel:116123")),
        ("Call your local emergency number", ("Call your local emergency number", "")),
    ],
)
def test_a_helpline_is_shown_with_its_number_or_linked_to_its_site(line, shown):
    """A phone number written plainly is a tel: link whose text shows the number; a domain
    without https:// is linked. Each once rendered as the text alone, the number gone."""
    assert CrisisSupport(resources=line).links() == [shown]
    CrisisSupport(resources=line).clean()  # accepted as written


@pytest.mark.parametrize(
    "line",
    [
        "Not a link | javascript:alert(1)",
        "Lifeline | call 13 11 14",
        "Samaritans | https://",
        "Short | 12",
        "Two | bars | https://example.org",
    ],
)
def test_a_line_that_cannot_be_a_link_is_shown_whole_and_refused(line):
    """Nothing is cut at render time: a line an older text holds is shown whole as text; the
    admin form refuses it, naming the line."""
    support = CrisisSupport(resources=f"Call your local emergency number\n{line}")
    assert support.links()[1] == (line, "")
    with pytest.raises(ValidationError) as refused:
        support.clean()
    assert refused.value.message_dict == {
        "resources": [
            f'Line 2, "{line}": after the "|" write a web address (https://www.samaritans.org '
            "or www.samaritans.org) or a phone number (116 123 or +44 116 123). This line could "
            "not be shown as a link."
        ]
    }


def test_the_crisis_box_shows_the_number_and_the_site():
    """What the writer in crisis reads: the number itself, not only a link to dial it."""
    support = CrisisSupport(
        heading="You are not alone",
        message="Please talk to someone tonight.",
        resources="Samaritans (UK) | 116 123\nLifeline | www.lifeline.org.au\nOdd <b> | 12",
    )
    box = soup(crisis_box(support, 7)).select_one("section.crisis")
    assert box.find("a", href="tel:116123").get_text() == "Samaritans (UK): 116 123"
    assert box.find("a", href="https://www.lifeline.org.au").get_text() == "Lifeline"
    items = [li.get_text() for li in box.select("li")]
    assert items == ["Samaritans (UK): 116 123", "Lifeline", "Odd <b> | 12"]  # escaped, whole


def test_the_admin_form_refuses_a_line_it_cannot_show_and_keeps_the_text(moderator_client):
    before = CrisisSupport.current().resources
    typed = "Samaritans (UK) | 116 123\nLifeline | call 13 11 14"
    response = moderator_client.post(
        CRISIS_ADMIN,
        {"heading": "You are not alone", "message": "Talk to someone.", "resources": typed},
    )
    assert response.status_code == 200  # the form again, not a redirect: nothing saved
    page = soup(response)
    assert page.select_one("textarea[name=resources]").get_text().strip() == typed
    error = page.select_one(".errorlist").get_text()
    assert 'Line 2, "Lifeline | call 13 11 14"' in error
    assert CrisisSupport.current().resources == before


def test_the_admin_form_saves_numbers_and_bare_domains(moderator_client):
    typed = "Samaritans (UK) | 116 123\nLifeline | www.lifeline.org.au"
    response = moderator_client.post(
        CRISIS_ADMIN,
        {"heading": "You are not alone", "message": "Talk to someone.", "resources": typed},
    )
    assert response.status_code == 302
    assert CrisisSupport.current().resources == typed
    help_text = soup(moderator_client.get(CRISIS_ADMIN)).find(id="id_resources_helptext")
    assert "Samaritans (UK) | 116 123" in help_text.get_text()


# Earlier versions of comments: found from the comment, named, and searchable by author


@pytest.fixture
def edited():
    """Maria's comment, edited three times; another comment edited once."""
    comment = CommentFactory(user_name="Maria", comment="Now it is calm.")
    for n in range(3):
        CommentVersion.objects.create(
            comment=comment, text=f"Draft {n}", state="published", change="edited"
        )
    other = CommentFactory(user_name="Ben")
    CommentVersion.objects.create(
        comment=other, text="Ben's draft", state="published", change="edited"
    )
    return comment


def test_a_comments_page_links_to_its_earlier_versions(moderator_client, edited):
    page = soup(moderator_client.get(f"/admin/comments/comment/{edited.pk}/change/"))
    link = page.find("a", href=f"{VERSIONS}?comment={edited.pk}")
    assert link.get_text() == "3 earlier versions"


def test_a_comment_never_edited_has_no_such_link(moderator_client):
    comment = CommentFactory()
    page = soup(moderator_client.get(f"/admin/comments/comment/{comment.pk}/change/"))
    assert not page.find("a", href=f"{VERSIONS}?comment={comment.pk}")
    assert "earlier version" not in page.get_text()


def test_the_versions_list_says_which_comment_it_shows_with_the_way_back(moderator_client, edited):
    page = soup(moderator_client.get(f"{VERSIONS}?comment={edited.pk}"))
    texts = [cell.get_text() for cell in page.select("#result_list td.field-text_excerpt")]
    assert sorted(texts) == ["Draft 0", "Draft 1", "Draft 2"]
    note = page.select_one(".versions-of")
    assert note.find("a", href=f"/admin/comments/comment/{edited.pk}/change/").get_text() == (
        "Maria: Now it is calm."
    )
    back = note.find("a", string="Show the earlier versions of all comments")
    everything = soup(moderator_client.get(VERSIONS + back["href"]))
    assert len(everything.select("#result_list tbody tr")) == 4
    assert everything.select_one(".versions-of") is None


def test_each_version_row_has_a_named_link_to_the_comment_and_one_to_itself(
    moderator_client, edited
):
    """The comment's column was inside Django's link to the version: an empty link (axe)."""
    page = soup(moderator_client.get(f"{VERSIONS}?comment={edited.pk}"))
    for row in page.select("#result_list tbody tr"):
        assert all(link.get_text(strip=True) for link in row.find_all("a"))
        assert row.select_one("a a") is None
        version_link = row.select_one(".field-changed_at a")
        assert version_link["href"].startswith(VERSIONS)


@pytest.mark.parametrize("value", ["999999", "abc", str(2**70)])
def test_a_comment_that_is_not_there_lists_nothing(moderator_client, edited, value):
    response = moderator_client.get(f"{VERSIONS}?comment={value}")
    assert response.status_code == 200
    assert soup(response).select("#result_list tbody tr") == []


def test_versions_are_found_by_their_comments_author(moderator_client, edited):
    page = soup(moderator_client.get(f"{VERSIONS}?q=maria"))
    texts = sorted(cell.get_text() for cell in page.select("td.field-text_excerpt"))
    assert texts == ["Draft 0", "Draft 1", "Draft 2"]


# The moderation overview's table


def test_the_overviews_table_shows_zero_for_days_without_comments(moderator_client):
    """A blank cell read as "not known"; every day's every outcome is a number."""
    posted = timezone.now() - datetime.timedelta(days=3)
    Comment.objects.filter(pk=CommentFactory(state="spam").pk).update(submit_date=posted)
    page = soup(moderator_client.get("/admin/comments/overview/"))
    cells = [td.get_text() for td in page.select(".overview-table tbody td")]
    assert len(cells) == 30 * 6
    assert all(cell.isdigit() for cell in cells), cells
    assert sorted(cells)[-1] == "1" and cells.count("0") == 30 * 6 - 1


def test_the_overviews_table_scrolls_in_a_named_region_a_keyboard_reaches(moderator_client):
    page = soup(moderator_client.get("/admin/comments/overview/"))
    region = page.select_one(".overview-table [role=region]")
    assert region["tabindex"] == "0" and region.table is not None
    assert page.find(id=region["aria-labelledby"]).get_text() == "The numbers per day, as a table"
