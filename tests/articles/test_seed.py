"""The seed article, loaded by `load_seed`, is the author's text with every part in place."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from articles.models import Article

pytestmark = pytest.mark.django_db

# The author's original text, as published elsewhere, kept verbatim for this comparison.
ORIGINAL = Path(__file__).resolve().parents[1] / "data" / "seed-original.txt"

TOP_SECTIONS = [
    "Understanding Post-Therapy Nerve Pain",
    "Causes of Worsening Nerve Pain After Therapy",
    "Managing Post-Therapy Nerve Pain",
    "When to Seek Further Help",
    "Your Path Forward",
]
SUBSECTIONS = {
    "Understanding Post-Therapy Nerve Pain": ["What Is Nerve Pain After Physical Therapy?"],
    "Causes of Worsening Nerve Pain After Therapy": [
        "1. Increased Sensitivity from Exercise",
        "2. Overstimulation and Fatigue",
        "3. Healing and Regeneration Processes",
    ],
    "Managing Post-Therapy Nerve Pain": [
        "Modify Your Exercise Routine",
        "Pain Management Techniques",
        "Practical Tips to Ease Nerve Pain",
    ],
    "When to Seek Further Help": [],
    "Your Path Forward": [],
}
LEAD_INS = [
    "Nerve Irritation and Inflammation:",
    "Overexertion or Improper Technique:",
    "Nerve Regeneration (Healing Pain):",
    "Discuss with Your Therapist:",
    "Low-Impact Alternatives:",
    "Rest and Recovery:",
    "Ice and Heat Therapy:",
    "Over-the-Counter Pain Relievers:",
    "Proper Hydration and Nutrition:",
    "Mind-Body Techniques:",
]


@pytest.fixture
def seed_page(client):
    call_command("load_seed")
    article = Article.objects.get()
    return BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")


def words(text):
    return re.findall(r"[\w’']+", text.replace("\u2019", "'"))


def test_load_seed_is_idempotent():
    """A second run changes nothing."""
    call_command("load_seed")
    article = Article.objects.get()
    before = (article.updated_at, article.body_html, article.call_to_action_id)
    call_command("load_seed")
    article.refresh_from_db()
    assert Article.objects.count() == 1
    assert (article.updated_at, article.body_html, article.call_to_action_id) == before


def test_load_seed_dry_run_creates_nothing():
    call_command("load_seed", "--dry-run")
    assert not Article.objects.exists()


def test_seed_article_is_published_and_listed(client):
    call_command("load_seed")
    article = Article.objects.published().get()
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert home.find("a", href=article.get_absolute_url())


def test_title_is_the_only_h1(seed_page):
    assert [h.get_text() for h in seed_page.find_all("h1")] == [
        "Why Does Nerve Pain Get Worse After Physical Therapy? – Causes, Insights & Management Tips"
    ]


def test_sections_keep_their_order_and_hierarchy(seed_page):
    body = seed_page.select_one(".article-body")
    outline = [(h.name, h.get_text()) for h in body.find_all(["h2", "h3"])]
    expected = []
    for section in TOP_SECTIONS:
        expected.append(("h2", section))
        expected += [("h3", sub) for sub in SUBSECTIONS[section]]
    assert outline == expected


def test_every_bullet_keeps_its_bold_lead_in(seed_page):
    body = seed_page.select_one(".article-body")
    assert [li.strong.get_text() for li in body.find_all("li") if li.strong] == LEAD_INS


def test_real_world_example_is_a_callout(seed_page):
    callout = seed_page.select_one(".article-body .admonition")
    assert callout.select_one(".admonition-title").get_text() == "Real-World Example:"
    assert "Imagine repairing a road." in callout.get_text()
    previous = callout.find_previous("h3").get_text()
    assert previous == "3. Healing and Regeneration Processes"


def test_when_to_seek_help_list(seed_page):
    """The section is the typed safety callout; its title is still an h2 of the outline."""
    heading = seed_page.find("h2", string="When to Seek Further Help")
    section = heading.find_parent("section")
    assert section["class"] == ["callout", "seek-help"]
    assert section["aria-labelledby"] == heading["id"]
    items = [li.get_text() for li in heading.find_next("ul").find_all("li")]
    assert items == [
        "The pain becomes severe or persists for an extended period.",
        "You notice additional symptoms such as numbness, weakness, or loss of function.",
        "The pain interferes significantly with your daily activities or sleep.",
    ]


def test_mayo_clinic_mention_cites_a_reference_to_mayo_clinic(seed_page):
    """The author's words stay in the text; the source is a numbered reference at the end."""
    callout = seed_page.select_one(".article-body section.seek-help")
    citation = callout.select_one("sup.citation a")
    assert "Mayo Clinic’s information on nerve pain" in citation.find_parent("p").get_text()
    reference = seed_page.find(id=citation["href"].lstrip("#"))
    assert reference.find_parent("section")["class"] == ["references"]
    assert "Mayo Clinic" in reference.get_text()
    link = reference.a
    assert link["href"].startswith("https://www.mayoclinic.org/")
    assert "noopener" in link["rel"]


def test_call_to_action_points_at_the_reply_section(seed_page):
    cta = seed_page.select_one("aside.cta")
    assert "If you’re struggling with nerve pain after your therapy sessions, don’t wait." in (
        cta.get_text()
    )
    assert {a["href"] for a in cta.find_all("a")} == {"#respond"}
    assert seed_page.find(id="respond").find(string="Leave a Reply")


def test_scroll_to_top_is_on_the_page(seed_page):
    assert seed_page.find("a", string="Scroll to Top")["href"] == "#top"


def test_the_page_keeps_every_word_of_the_original(seed_page):
    """The same words in the same order as the author's text: only the formatting changed."""
    lines = [line.strip() for line in ORIGINAL.read_text().splitlines()]
    # Line 0 is the title; "Call-to-Action:" starts the call-to-action; the rest is page chrome.
    cta_start, reply = lines.index("Call-to-Action:"), lines.index("Leave a Reply")
    original_body = " ".join(lines[1:cta_start])
    original_cta = " ".join(lines[cta_start + 1 : reply])

    body = seed_page.select_one(".article-body")
    for citation in body.select("sup.citation"):  # reference numbers, not the author's words
        citation.decompose()
    body = body.get_text(" ")
    cta = seed_page.select_one("aside.cta .cta-text").get_text(" ")
    assert words(body) == words(original_body)
    assert words(cta) == words(original_cta)


def test_seed_article_sits_in_its_topic_with_tags_and_the_team_byline():
    """A realistic first look: the seed has a topic page, tags and an honest byline."""
    call_command("load_seed")
    article = Article.objects.get()
    assert article.topic.name == "Peripheral neuropathy"
    assert article.topic.description
    assert sorted(tag.name for tag in article.tags.all()) == [
        "Exercise",
        "Pain management",
        "Physical therapy",
    ]
    assert article.byline.slug == "editorial-team"
    assert article.byline.is_team
