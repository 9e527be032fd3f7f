import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    CallToActionFactory,
    PersonFactory,
    TagFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_home_lists_published_articles_newest_first(client):
    now = timezone.now()
    older = ArticleFactory(title="Older", published_at=now - datetime.timedelta(days=5))
    newer = ArticleFactory(title="Newer", summary="Fresh summary.")
    ArticleFactory(title="Draft", draft=True)
    ArticleFactory(title="Scheduled", scheduled=True)

    page = soup(client.get("/"))

    featured = page.select_one("main .featured")
    assert featured.h2.a.get_text() == "Newer"
    assert featured.h2.a["href"] == newer.get_absolute_url()
    assert "Fresh summary." in featured.get_text()
    titles = [a.get_text() for a in page.select("main article.teaser h3 a")]
    assert titles == ["Older"]
    assert page.select_one("main article time")["datetime"] == older.published_at.isoformat()


def test_article_page_shows_the_article(client):
    article = ArticleFactory(title="Nerve pain", summary="About nerve pain.", body="## Causes")
    response = client.get(article.get_absolute_url())
    page = soup(response)
    assert response.status_code == 200
    assert [h.get_text() for h in page.find_all("h1")] == ["Nerve pain"]
    assert page.find("h2", string="Causes")
    assert "preview" not in page.get_text().lower()


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_readers_get_404_for_unpublished_articles(client, reader_account_client, trait):
    """Drafts and scheduled articles are invisible to anonymous readers and non-staff users."""
    article = ArticleFactory(**{trait: True})
    assert client.get(article.get_absolute_url()).status_code == 404
    assert reader_account_client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("trait", "wording"), [("draft", "a draft"), ("scheduled", "scheduled for")]
)
def test_staff_preview_unpublished_articles_marked_as_preview(staff_client, trait, wording):
    article = ArticleFactory(**{trait: True})
    response = staff_client.get(article.get_absolute_url())
    banner = soup(response).select_one(".preview-banner")
    assert response.status_code == 200
    assert banner is not None
    assert "Preview" in banner.get_text()
    assert wording in banner.get_text()


def test_unknown_slug_is_404(client, settings):
    settings.SITE_NAME = "Nerve Health Clinic"
    response = client.get("/articles/nothing-here/")
    assert response.status_code == 404
    assert soup(response).title.get_text() == "Page not found | Nerve Health Clinic"


@pytest.mark.parametrize(
    "address",
    [
        "/articles/Why-Nerve-Pain-Flares/",  # in capitals, typed or from an old link
        "/articles/why-nerve-pain-fl/",  # cut short in a message
    ],
)
def test_an_address_meant_for_one_article_leads_to_it(client, address):
    """Both were "Page not found", as WordPress guesses them (redirect_guess_404_permalink)."""
    ArticleFactory(slug="why-nerve-pain-flares")
    response = client.get(address)
    assert response.status_code == 301
    assert response["Location"] == "/articles/why-nerve-pain-flares/"


def test_a_guess_is_only_of_one_published_article(client):
    ArticleFactory(slug="why-nerve-pain-flares")
    ArticleFactory(slug="why-nerve-pain-fades")
    ArticleFactory(slug="secret-draft-about-sciatica", draft=True)
    for address in [
        "/articles/why-nerve-pain-f/",
        "/articles/secret-draft-about/",
        "/articles/why/",
    ]:
        assert client.get(address).status_code == 404, address
    assert client.get("/articles/why-nerve-pain-fa/")["Location"] == (
        "/articles/why-nerve-pain-fades/"
    )


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("/articles/why-does-nerve-pian-flare/", "why does nerve pian flare"),
        ("/2023/04/nerve_pain.html/", "nerve pain"),
        ("/articles/%C3%A7a-va/", "ça va"),
        ("/2023/04/", ""),
    ],
)
def test_page_not_found_offers_to_search_the_addresss_words(client, address, words):
    page = soup(client.get(address))
    assert page.select_one("main input[name=q]").get("value", "") == words


@pytest.mark.parametrize("url_of", [lambda a: "/", lambda a: a.get_absolute_url()])
def test_pages_have_head_metadata_and_landmarks(client, url_of):
    """Every page: lang, a title, a meta description, a canonical link, landmarks, skip link."""
    article = ArticleFactory(title="Nerve pain", summary="What to know about nerve pain.")
    url = url_of(article)
    page = soup(client.get(url))

    assert page.html["lang"] == "en"
    assert page.title.get_text().strip()
    assert page.find("meta", attrs={"name": "description"})["content"].strip()
    # Absolute addresses come from SITE_URL, never from the request's Host header.
    assert page.find("link", rel="canonical")["href"] == f"https://nervepain.example{url}"
    assert page.find("meta", attrs={"name": "viewport"})
    for landmark in ("header", "main", "footer"):
        assert page.find(landmark) is not None, landmark
    skip = page.select_one("a.skip-link")
    assert skip is not None
    assert page.find(id=skip["href"].lstrip("#")).name == "main"


def test_article_head_uses_the_article_fields(client):
    article = ArticleFactory(title="Nerve pain", summary="What to know about nerve pain.")
    page = soup(client.get(article.get_absolute_url()))
    assert page.title.get_text().startswith("Nerve pain")
    assert page.find("meta", attrs={"name": "description"})["content"] == article.summary


def test_scroll_to_top_is_a_plain_link_to_an_element_at_the_top(client):
    """It works without JavaScript and by keyboard: a link to an id near the top."""
    article = ArticleFactory()
    page = soup(client.get(article.get_absolute_url()))
    link = page.find("a", string="Scroll to Top")
    assert link is not None
    target = page.find(id=link["href"].lstrip("#"))
    assert target is not None
    assert target.find_previous("main") is None  # it is above the content
    assert not link.has_attr("onclick")  # a plain link: no script needed


def test_pages_load_nothing_from_a_third_party(client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url()):
        page = soup(client.get(url))
        sources = [tag.get("src") for tag in page.find_all(src=True)]
        sources += [
            tag["href"] for tag in page.find_all("link", href=True) if tag["rel"] != ["canonical"]
        ]
        assert sources
        assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources


def test_call_to_action_is_shown_after_the_body(client):
    cta = CallToActionFactory(
        heading="Share your story", button_label="Reply", button_url="#respond"
    )
    article = ArticleFactory(body="Body text.", call_to_action=cta)
    page = soup(client.get(article.get_absolute_url()))
    block = page.select_one("aside.cta")
    assert block.find("h2").get_text() == "Share your story"
    assert block.find("a", string="Reply")["href"] == "#respond"
    assert page.find(id="respond") is not None


def test_closed_article_says_so(client):
    article = ArticleFactory(allow_comments=False)
    page = soup(client.get(article.get_absolute_url()))
    assert "Comments are closed" in page.select_one("#respond").get_text()


def test_stylesheet_respects_reduced_motion_and_prints():
    """Smooth scrolling only when the reader has not asked for reduced motion."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/site.css")).read_text()
    motion_block = css.split("@media (prefers-reduced-motion: no-preference) {", 1)[1]
    motion_block = motion_block.split("\n}", 1)[0]
    assert "scroll-behavior: smooth" in motion_block
    assert css.count("scroll-behavior") == 1
    assert "@media print" in css
    assert ":focus-visible" in css


def test_article_page_queries_do_not_grow_with_references_or_versions(
    client, django_assert_num_queries
):
    """References come in one prefetch; saved versions are never read by the page."""
    import reversion

    from tests.factories import PersonFactory, ReferenceFactory

    article = ArticleFactory(body="Text.")
    url = article.get_absolute_url()
    client.get(url)  # warm the content-type and disclaimer caches
    # The article, its references, its tags, its comments.
    with django_assert_num_queries(4) as plain:
        client.get(url)
    for number in range(10):
        ReferenceFactory(article=article, key=f"r{number}")
        with reversion.create_revision():
            article.sign_off_review(PersonFactory())
            article.save()
    with django_assert_num_queries(len(plain.captured_queries)):
        response = client.get(url)
    assert len(soup(response).select("section.references li")) == 10


def test_seed_style_page_has_contents_and_reading_time(client):
    article = ArticleFactory(body="## One\n\nText.\n\n### Two\n\nMore text.")
    page = soup(client.get(article.get_absolute_url()))
    assert page.select_one(".reading-time").get_text() == "1 min read"
    assert [a["href"] for a in page.select("nav.toc a")] == ["#one", "#two"]


@pytest.fixture
def pain_pages():
    topic = TopicFactory(name="Pain", slug="pain")
    TopicFactory(name="Back pain", slug="back-pain", parent=topic)
    ArticleFactory(
        title="About pain", slug="about-pain", topic=topic, tags=[TagFactory(name="Stretching")]
    )
    PersonFactory(name="Ada", slug="ada")


@pytest.mark.parametrize(
    ("url", "trail"),
    [
        ("/articles/about-pain/", ["Home", "Topics", "Pain"]),
        ("/topics/back-pain/", ["Home", "Topics", "Pain"]),
        ("/topics/pain/", ["Home", "Topics"]),
    ],
)
def test_breadcrumb_leads_up_and_leaves_the_page_itself_to_its_heading(
    client, pain_pages, url, trail
):
    """Every step in the visible trail is a link up, and the page's own name is not one: on a
    phone the article's title showed three lines above the same title as h1 (GOV.UK leaves the
    current page out; NHS.UK shows a phone only "Back to" the step above)."""
    page = soup(client.get(url))
    crumbs = page.select_one("nav.breadcrumbs")
    assert [li.get_text(strip=True) for li in crumbs.select("li")] == trail
    assert all(li.a is not None for li in crumbs.select("li"))
    assert crumbs.find(attrs={"aria-current": True}) is None
    assert page.h1.get_text(strip=True) not in crumbs.get_text()
    assert crumbs.select_one(".breadcrumb-back a").get_text() == f"Back to {trail[-1]}"


@pytest.mark.parametrize(
    "url",
    [
        "/topics/",
        "/tags/stretching/",
        "/people/ada/",
        "/search/?q=pain",
        "/search/",
        "/about/",
        "/privacy/",
        "/medical-disclaimer/",
    ],
)
def test_a_page_just_below_home_has_no_breadcrumb(client, pain_pages, url):
    """A trail of one, "Home" (on a phone "Back to Home" above the h1), said again what the
    logo and the header already offer and pushed the page down; the bar shows only where
    there is a step between Home and the page, as on the article above."""
    page = soup(client.get(url))
    assert page.h1 is not None
    assert page.select_one("nav.breadcrumbs") is None
    assert "Back to Home" not in page.get_text()


def test_page_not_found_says_what_to_check_and_offers_search_and_topics(client):
    """As NHS.UK's: a reader who lands on a wrong address is told what to check and given a
    way on (a search box, the topics, the home page), not one line and a link."""
    page = soup(client.get("/articles/nothing-here/"))
    main = page.find("main")
    text = " ".join(main.get_text().split())
    assert "If you typed the address, check it is spelled correctly." in text
    assert main.select_one("form[role=search][action='/search/'] input[name=q]") is not None
    assert main.select_one("a[href='/topics/']") is not None
    assert main.select_one("a[href='/']") is not None
    # One search box on the page: the header's gives way to this one.
    assert len(page.select("form[role=search]")) == 1


@pytest.mark.parametrize("url", ["/articles/nothing-here/", "/search/", "/search/?q=pain"])
def test_a_pages_own_search_box_has_a_visible_label(client, url):
    """The box said nothing until typed in: its label was for screen readers only, and the
    header's box, with its placeholder, gives way to it (on the search page too, under an h1
    of "Search results for …"). A reader sees what it is for."""
    page = soup(client.get(url))
    box = page.select_one("main form[role=search] input[name=q]")
    label = page.find("label", attrs={"for": box["id"]})
    assert label.get_text(strip=True) == "Search articles"
    assert "visually-hidden" not in label.get("class", [])
