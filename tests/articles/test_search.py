"""Site search: ranked, stemmed, highlighted and safe, on SQLite (the fallback) and on
PostgreSQL (full-text search), never stored in the page cache."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from articles import search
from tests.factories import ArticleFactory, ReferenceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def results(client, query, **params):
    page = soup(client.get("/search/", {"q": query, **params}))
    return [a.get_text() for a in page.select(".result h2 a")], page


@pytest.fixture
def library():
    return {
        "title": ArticleFactory(title="Sciatica explained", summary="Leg pain.", body="Words."),
        "summary": ArticleFactory(
            title="Back pain", summary="Why sciatica hurts.", body="Other words."
        ),
        "heading": ArticleFactory(
            title="Leg pain", summary="Legs.", body="## Sciatica\n\nText about legs."
        ),
        "body": ArticleFactory(
            title="Walking",
            summary="Moving helps.",
            body="Walking can ease sciatica for many people who keep moving gently.",
        ),
        "unrelated": ArticleFactory(title="Diabetes", summary="Sugar.", body="Nothing here."),
        "draft": ArticleFactory(title="Sciatica draft", draft=True),
    }


def test_results_are_ranked_title_summary_headings_body(client, library):
    titles, page = results(client, "sciatica")
    assert titles == ["Sciatica explained", "Back pain", "Leg pain", "Walking"]
    assert page.select_one(".result-count").get_text() == "4 articles found"


def test_stemmed_forms_find_the_same_articles(client):
    ArticleFactory(title="Moving", body="Gentle exercises calm irritated nerves.")
    for query in ("exercise", "exercising", "Exercises", "irritation"):
        assert results(client, query)[0] == ["Moving"], query


def test_every_word_must_match(client, library):
    assert results(client, "sciatica walking")[0] == ["Walking"]
    # None has both: those with either, said so (below).
    found, page = results(client, "sciatica diabetes")
    assert "Diabetes" in found
    assert page.select_one(".result-count").get_text().startswith("No article has all")


def test_snippets_highlight_the_words_and_escape_the_text(client):
    ArticleFactory(
        title="Tingling",
        # A code span: the article's text holds a literal "<b>", which must stay text.
        body="Some text first. Tingling & `<b>burning</b>` in the feet is common.",
    )
    _, page = results(client, "burning")
    snippet = page.select_one(".snippet")
    assert snippet.mark.get_text().lower().startswith("burning")
    # Shown as text (SQLite) or left out (PostgreSQL's parser drops tags): never markup.
    assert snippet.find("b") is None
    assert "<b>" not in str(snippet)


def test_a_hostile_query_is_shown_as_text(client, library):
    page = soup(client.get("/search/", {"q": '<script>alert(1)</script>"'}))
    assert page.find("script", string="alert(1)") is None
    assert page.select_one("#search-q")["value"] == '<script>alert(1)</script>"'


def test_no_query_shows_how_to_search_and_the_topics(client):
    ArticleFactory(topic=TopicFactory(name="Sciatica"))
    page = soup(client.get("/search/"))
    assert page.h1.get_text() == "Search"
    assert page.title.get_text() == "Search | nervepain"
    assert page.select_one(".result") is None
    assert [a.get_text() for a in page.select(".topic-list > li > a")] == ["Sciatica"]


@pytest.mark.parametrize(
    "query",
    [
        "%E2%80%8B",  # a zero-width space
        "%E2%80%8B%C2%AD%EF%BB%BF",  # with a soft hyphen and a byte order mark
        "%E2%81%A6%E2%81%A9",  # a left-to-right isolate and its end
        "%D8%9C",  # the Arabic letter mark
        "%EF%B8%8F%CD%8F",  # a variation selector, a combining grapheme joiner
        "%E3%85%A4",  # the Hangul filler
        "%E2%A0%80",  # the blank braille pattern
        "%F3%A0%80%A0",  # a tag space
        "%00",
        "%7F",
    ],
)
def test_a_query_of_invisible_characters_is_no_query(client, query):
    """A zero-width space alone answered "No results found for “​”", which read as empty
    quotes: it is the empty search page, as an empty query is."""
    page = soup(client.get(f"/search/?q={query}"))
    assert page.h1.get_text() == "Search"
    assert "No results" not in page.get_text()
    assert search.clean_query("nerve\u200bpain ") == "nervepain"
    assert search.clean_query("\u2066nerve pain\u2069") == "nerve pain"
    assert search.clean_query("café") == "café"  # a combining accent with its letter stays


def test_no_results_suggest_a_shorter_word_and_the_topics(client, library):
    ArticleFactory(topic=TopicFactory(name="Sciatica"))
    titles, page = results(client, "xylophone quartet extravaganza")
    assert titles == []
    tips = page.select_one(".search-tips").get_text()
    assert "Try a shorter word" in tips
    assert "Try fewer words" in tips
    assert page.select_one(".topic-list")


def test_the_heading_and_title_say_what_the_search_found(client, library):
    """The heading said "Search results" over a page that had none. Like NHS.UK's, it now
    says what the reader got, and the tab's title says the same."""
    _, page = results(client, "sciatica")
    assert page.h1.get_text() == "Search results for “sciatica”"
    assert page.title.get_text() == "Search results for “sciatica” | nervepain"

    _, page = results(client, "xylophone")
    assert page.h1.get_text() == "No results found for “xylophone”"
    assert page.title.get_text() == "No results found for “xylophone” | nervepain"
    # The heading says it once: no line below repeating it.
    assert page.select_one(".result-count") is None


def test_results_are_paginated_and_keep_the_query(client):
    for n in range(12):
        ArticleFactory(title=f"Nerve {n}", body="About nerves.")
    titles, page = results(client, "nerve")
    assert len(titles) == 10
    assert page.select_one(".pagination a[rel=next]")["href"] == "?q=nerve&page=2"
    titles, page = results(client, "nerve", page=2)
    assert len(titles) == 2
    assert page.title.get_text() == "Search results for “nerve”, page 2 | nervepain"


def test_search_is_never_stored_in_the_page_cache(client, settings, library):
    """No copy per query in the shared cache, and none in browsers or proxies either."""
    settings.PAGE_CACHE_SECONDS = 300
    for _ in range(2):
        response = client.get("/search/", {"q": "sciatica"})
        assert not response.has_header("X-Page-Cache")
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert not response.has_header("X-Page-Cache")


def test_header_search_box_points_to_search(client):
    form = soup(client.get("/")).select_one("header form[role=search]")
    assert form["action"] == "/search/"
    assert form.find("input")["name"] == "q"
    # The search page has its own form, and only one: no two inputs with one label.
    page = soup(client.get("/search/"))
    assert page.select_one("header form[role=search]") is None
    assert len(page.select("form[role=search]")) == 1


def test_search_queries_are_constant(client, django_assert_num_queries):
    """The count, one page of results with their people and topics, and (on PostgreSQL)
    the page's snippets: the same for 1 matching article as for 200."""
    expected = 3 if search.uses_postgres() else 2
    ArticleFactory(title="Nerve 0")
    client.get("/search/", {"q": "x"})  # the footer's links, crisis phrases: into the cache
    with django_assert_num_queries(expected):
        client.get("/search/", {"q": "nerve"})
    for n in range(199):
        ArticleFactory(title=f"Nerve {n + 1}")
    with django_assert_num_queries(expected):
        client.get("/search/", {"q": "nerve"})


def test_the_stem_never_cuts_a_word_short():
    assert search.stem("exercising") == search.stem("exercises") == "exercis"
    assert search.stem("pain") == "pain"
    assert search.stem("ties") == "ties"
    assert search.words("a  Nerve, NERVE pain!") == ["nerve", "pain"]
    assert search.clean_query("x" * 500 + "\x02") == "x" * 100
    # A long query keeps whole words: the one cut through goes.
    long = "neuropathy " * 20
    assert search.clean_query(long) == " ".join(["neuropathy"] * 9)
    assert search.clean_query("a" * 99 + " bc") == "a" * 99
    assert search.clean_query("a" * 100 + " bc") == "a" * 100


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_postgres_keeps_the_stored_vector_up_to_date(client):
    article = ArticleFactory(title="Old title", body="Nothing.")
    assert results(client, "neuralgia")[0] == []
    article.body = "Trigeminal neuralgia is a facial pain."
    article.save()
    assert results(client, "neuralgia")[0] == ["Old title"]


def test_the_search_pages_own_examples_find_the_seed_article(client):
    """The empty search page suggests a condition, a symptom and a treatment to try: each
    finds the article the site ships ("sciatica" found nothing)."""
    import re

    from django.core.management import call_command

    call_command("load_seed")
    intro = soup(client.get("/search/")).find(string=re.compile("Try a condition"))
    examples = re.findall(r"“([^”]+)”", intro)
    assert len(examples) == 3
    for example in examples:
        assert results(client, example)[0], example


def test_snippets_end_headings_and_list_items_with_a_full_stop(client):
    """A heading or list item quoted in a result ends as the reader reads it on the page, not
    run into the next sentence ("Why feet matter High blood sugar…"); punctuation the writer
    put there is left alone."""
    ArticleFactory(
        title="Feet",
        body=(
            "## Why feet matter\n\nHigh blood sugar can hurt your feet.\n\n"
            "## Check your feet every day\n\nLook for:\n\n- cuts\n- blisters\n\n"
            "## Is it serious?\n\nSee a GP about feet that tingle"
        ),
    )
    _, page = results(client, "feet")
    text = " ".join(page.select_one(".snippet").get_text().split())
    # PostgreSQL's ts_headline starts a fragment at a word and ends it without the last
    # punctuation; SQLite's snippet quotes the whole text: both read the same in between.
    assert "feet matter. High blood sugar can hurt your feet. Check your feet every day." in text
    assert "Look for: cuts. blisters. Is it serious? See a GP about feet that tingle" in text


def test_a_snippet_cut_at_a_sentence_end_has_no_ellipsis_after_its_full_stop():
    """A snippet cut after a whole sentence ends with its full stop, as the page reads; an
    ellipsis marks only a sentence left unfinished (it read "…helps. …")."""
    whole = search._python_snippet("Rest helps. " * 30, ["rest"])
    assert str(whole).endswith("helps.")
    assert "…" not in whole
    # Cut after a comma: the ellipsis stands for the rest, the comma goes with it.
    cut = search._python_snippet("Rest helps, " * 30, ["rest"])
    assert str(cut).endswith("helps …")


def test_snippets_end_a_heading_closed_by_a_bracket_or_quote_with_a_full_stop(client):
    """A heading or list item that ends with ")" or a closing quote is a whole line too: it
    ran into the next sentence ("Peripheral neuropathy (PN) It affects…")."""
    article = ArticleFactory(
        title="Nerves",
        body=(
            "## Peripheral neuropathy (PN)\n\nIt affects nerves.\n\n"
            "## What “tingling” means\n\nNerves complain.\n\n"
            "## Is it nerve pain (or not?)\n\nAsk."
        ),
    )
    # What both backends quote from, whole: PostgreSQL's ts_headline stops at about 15 words
    # ("… Nerves complain. Is it nerve pain"), before the heading that ends in "?)".
    assert article.search_text == (
        "Peripheral neuropathy (PN). It affects nerves. What “tingling” means. Nerves complain. "
        "Is it nerve pain (or not?) Ask."
    )
    _, page = results(client, "nerves")
    text = " ".join(page.select_one(".snippet").get_text().split())
    assert "neuropathy (PN). It affects nerves. What “tingling” means. Nerves complain." in text


def test_a_migration_gives_stored_search_text_its_full_stops_after_brackets():
    """Articles saved before keep their search text until a migration refills it."""
    import importlib

    from django.apps import apps

    from articles.models import Article

    refill = importlib.import_module(
        "articles.migrations.0021_search_text_full_stops_after_brackets"
    ).refill
    article = ArticleFactory(body="## Neuropathy (PN)\n\nIt affects nerves.")
    Article.objects.filter(pk=article.pk).update(search_text="Neuropathy (PN) It affects nerves.")
    refill(apps, None)
    article.refresh_from_db()
    assert article.search_text == "Neuropathy (PN). It affects nerves."


def test_a_snippet_starts_at_a_sentence_rather_than_in_the_tail_of_one():
    """A snippet that cannot start at the beginning starts at the first sentence in reach of
    the word found, without an ellipsis; it began with the tail of the sentence before
    ("… day. See a GP about cuts…")."""
    text = (
        "Walking a little every day keeps the feet warm. See a GP about cuts that do not heal. "
        "Keep moving gently. Rest when the pain flares."
    )
    snippet = str(search._python_snippet(text, ["rest"]))
    assert snippet.startswith("See a GP about cuts")
    # No sentence start in reach: the cut falls inside one, and the ellipsis says so.
    long = "Walking " + "a little more " * 10 + "helps your feet, and rest helps too."
    assert str(search._python_snippet(long, ["rest"])).startswith("… ")


def test_a_sentence_may_start_with_a_small_letter():
    """A sentence that opens with a drug's name in small letters is a sentence: the snippet
    started "… then. gabapentin" instead of at "gabapentin"."""
    text = (
        "Your GP may suggest amitriptyline first and look again at how well it works by then. "
        "gabapentin is often tried next if the pain keeps you awake at night."
    )
    snippet = str(search._python_snippet(text, ["awake"]))
    assert snippet.startswith("gabapentin is often tried next")


@pytest.mark.parametrize(
    "text",
    [
        "Your care for nerve pain at the clinic is led by Dr. Smith, who sees you when it flares.",
        "Your doctor might offer you one of the newer medicines, e.g. Lyrica, when it flares.",
        "Your doctor might offer you one of the newer treatments (i.e. Lyrica) when it flares.",
        "Your nerve pain clinic is run by a team under Prof. J. Smith, who sees you if it flares.",
    ],
)
def test_the_full_stop_of_an_abbreviation_does_not_start_a_sentence(text):
    """An abbreviation ("Dr.", "e.g.", "i.e.") or an initial ends a word, not a sentence: the
    snippet started at "Smith", or "Lyrica)", cut from the words before it. Out of reach of the
    sentence's start, the snippet starts in it with an ellipsis."""
    snippet = str(search._python_snippet(text, ["flares"]))
    assert snippet.startswith("… ")
    assert not snippet.startswith(("… Smith", "… Lyrica", "… J. Smith"))


def test_a_snippet_cut_after_an_abbreviation_keeps_its_ellipsis():
    """Cut just after "Dr." the sentence is not over: the ellipsis stands for the rest."""
    text = "Rest helps, " * 17 + "ask Dr. Smithers about it, " + "and rest more. " * 10
    assert str(search._python_snippet(text, ["rest"])).endswith("ask Dr. …")


def test_articles_are_found_by_their_topics_and_tags_names(client):
    """ "neuropathy" found nothing while the only article sat under Peripheral neuropathy, the
    topic the no-results page itself offered; a tag's name, nothing either."""
    from tests.factories import TagFactory

    parent = TopicFactory(name="Nerve conditions")
    topic = TopicFactory(name="Peripheral neuropathy", parent=parent)
    article = ArticleFactory(
        title="Burning feet at night", summary="Why it is worse then.", body="Cool, not cold.",
        topic=topic,
    )  # fmt: skip
    article.tags.add(TagFactory(name="Sleep"))
    ArticleFactory(title="Unrelated", summary="Other.", body="Other words.", topic=None)
    for query in ("neuropathy", "peripheral neuropathy", "nerve conditions", "sleep"):
        assert results(client, query)[0] == ["Burning feet at night"], query

    # Kept up to date: a topic, its parent or a tag renamed; a tag taken off or put on from
    # either side.
    topic.name = "Small fibre neuropathy"
    topic.save()
    parent.name = "Nerve disorders"
    parent.save()
    assert results(client, "small fibre")[0] == ["Burning feet at night"]
    assert results(client, "disorders")[0] == ["Burning feet at night"]
    assert results(client, "peripheral")[0] == []
    sleep = article.tags.get()
    sleep.name = "Rest"
    sleep.save()
    assert results(client, "rest")[0] == ["Burning feet at night"]
    article.tags.clear()
    assert results(client, "rest")[0] == []
    TagFactory(name="Night").articles.add(article)
    assert results(client, "night")[0] == ["Burning feet at night"]
    TagFactory(name="Night").articles.clear()
    assert results(client, "night")[0] == ["Burning feet at night"]  # still in its title
    assert results(client, "rest")[0] == []


def test_a_migration_gives_articles_saved_before_their_topics_and_tags_names(client):
    import importlib

    from django.apps import apps
    from django.db import connection

    from articles.models import Article
    from tests.factories import TagFactory

    fill = importlib.import_module("articles.migrations.0024_search_topics").fill
    article = ArticleFactory(title="Burning feet", topic=TopicFactory(name="Neuropathy"))
    article.tags.add(TagFactory(name="Sleep"))
    Article.objects.filter(pk=article.pk).update(search_topics="")
    if connection.vendor == "postgresql":
        Article.objects.filter(pk=article.pk).update(search_vector=search.search_vector())
    assert results(client, "neuropathy")[0] == []

    class Editor:  # what RunPython hands over: the connection is all fill reads
        pass

    editor = Editor()
    editor.connection = connection
    fill(apps, editor)
    assert results(client, "neuropathy")[0] == results(client, "sleep")[0] == ["Burning feet"]


def test_a_citation_before_a_full_stop_leaves_no_space_before_it_in_search():
    """ "at night [@nhs]." was stored, and quoted in results, as "at night ."."""
    article = ArticleFactory(body="Feet burn more at night [@nhs]. Cool them.")
    ReferenceFactory(article=article, key="nhs")
    article.save()
    assert article.search_text == "Feet burn more at night. Cool them."


def test_older_articles_get_back_to_text_and_their_search_text_mended():
    """Articles saved before "Back to text" had no id on their first citation: the link
    led nowhere until the next save. The migration renders them again."""
    import importlib

    from django.apps import apps

    from articles.models import Article

    refill = importlib.import_module(
        "articles.migrations.0026_citations_back_to_text_and_search_text"
    ).refill
    article = ArticleFactory(body="Feet burn more at night [@nhs]. Cool them.")
    ReferenceFactory(article=article, key="nhs")
    article.save()
    rendered, updated = article.body_html, article.updated_at
    old_html = rendered.replace(' id="cite-nhs"', "")
    Article.objects.filter(pk=article.pk).update(
        body_html=old_html, search_text="Feet burn more at night . Cool them."
    )
    refill(apps, None)
    article.refresh_from_db()
    assert article.body_html == rendered and 'id="cite-nhs"' in rendered
    assert article.search_text == "Feet burn more at night. Cool them."
    assert article.updated_at == updated


@pytest.mark.parametrize("query", ["I want to die", "suicidal", "how to end my life"])
def test_a_search_in_crisis_words_gets_the_sites_crisis_resources_first(client, library, query):
    """ "I want to die" typed into search got "No results found" and "Check the spelling": the
    reader who may be in danger now gets the resources a comment in those words gets."""
    _found, page = results(client, query)
    box = page.select_one("main section.crisis")
    assert box is not None
    assert box.find("h2").get_text() == "You are not alone"
    assert "call your local emergency number now" in box.get_text()
    links = [a["href"] for a in box.select("a")]
    assert "https://findahelpline.com/" in links
    # First after the search box, before the results or the tips.
    assert box.find_previous_sibling("form")["role"] == "search"
    # No "Check the spelling, or use a more common word" for these words.
    assert page.select_one(".search-tips") is None


def test_an_ordinary_search_has_no_crisis_box(client, library):
    for query in ["sciatica", "pain at night", "dying nerve cells"]:
        assert results(client, query)[1].select_one("section.crisis") is None
    assert results(client, "dying nerve cells")[1].select_one(".search-tips")


def test_a_quoted_search_is_said_in_one_pair_of_quotes_and_results_are_not_indexed(client, library):
    _found, page = results(client, '"sciatica"')
    assert page.find("h1").get_text() == "Search results for “sciatica”"  # was “"sciatica"”
    assert page.title.get_text().startswith("Search results for “sciatica”")
    assert page.select_one("input[name=q]")["value"] == '"sciatica"'  # as typed, to edit
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    empty = soup(client.get("/search/"))  # the search page itself may be found
    assert empty.select_one("meta[name=robots]") is None


def test_no_article_with_every_word_offers_those_with_some_of_them(client, library):
    """ "sciatica after physiotherapy": no article has both words, and the reader got "No
    results found" for their own words; the ones with some of them come, said so."""
    found, page = results(client, "sciatica after physiotherapy")
    assert found[0] == "Sciatica explained"  # in the title: ranked first
    assert set(found) == {"Sciatica explained", "Back pain", "Leg pain", "Walking"}
    assert page.select_one(".result-count").get_text() == (
        "No article has all of these words. 4 articles with some of them:"
    )
    assert page.select_one(".search-tips") is None
    found, page = results(client, "sciatica walking")  # both in one: that one only
    assert found == ["Walking"]
    assert page.select_one(".result-count").get_text() == "1 article found"
    assert results(client, "physiotherapy")[0] == []  # one word: nothing to fall back to
