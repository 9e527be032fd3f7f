"""Site search over published articles: title, summary (and the names of its topics and tags),
headings and body, in that order of weight, with a highlighted snippet for each result.

PostgreSQL: full-text search on a stored, GIN-indexed ``tsvector`` (``Article.search_vector``,
kept up to date by ``Article.save``), weights A (title) > B (summary) > C (headings) > D
(body), the ``SEARCH_CONFIG`` language's stemming, ``websearch`` query syntax, ranked by
``ts_rank``; snippets by ``ts_headline``. Elsewhere (the embedded SQLite default): every word,
crudely stemmed, must appear somewhere (``icontains``); ranked by where the words appear with
the same weights; snippets cut in Python. Snippets are plain text escaped here, with only our
own ``<mark>`` added.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
SNIPPET_CHARS = 220
# Highlight markers no stored text contains (control characters are stripped on save).
START, STOP = "\x02", "\x03"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Letters and symbols that draw nothing: the Hangul fillers and the blank braille pattern.
BLANKS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
WEIGHTS = (
    ("title", 8),
    ("summary", 4),
    ("search_topics", 4),
    ("search_headings", 2),
    ("search_text", 1),
)
# A sentence's end, perhaps inside a closing bracket or quote: "rest.", "(see a GP.)", "“Why?”".
SENTENCE_END = re.compile(r"[.!?][)\]\u201d\u2019\"']*$")
# Where a sentence starts after another: its end, spaces, then a letter, digit or quote. A
# lower-case letter too: a sentence may open with a drug's name ("… then. gabapentin is").
SENTENCE_START = re.compile(r"[.!?][)\]\u201d\u2019\"']*\s+(?=[\w\u201c\u2018\"'(])")
# Full stops that end a word, not a sentence ("Dr. Smith", "e.g. Lyrica"); a stop taken for an
# end of sentence cut a name in two, a missed one costs only an ellipsis.
ABBREVIATIONS = frozenset(
    ("dr", "mr", "mrs", "ms", "mx", "prof", "st", "sr", "jr", "vs", "cf", "fig", "approx")
)
WORD_BEFORE = re.compile(r"([\w.]+)$")
SUFFIXES = ("ations", "ation", "ness", "ments", "ment", "ing", "ies", "ied", "ed", "es", "ly", "s")


def search_vector():
    """The weighted document: what ``Article.save`` stores and the GIN index covers. The
    topics' and tags' names weigh as the summary: they say what the article is about."""
    config = settings.SEARCH_CONFIG
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("search_topics", weight="B", config=config)
        + SearchVector("search_headings", weight="C", config=config)
        + SearchVector("search_text", weight="D", config=config)
    )


def topic_names(article) -> str:
    """The names search finds an article by besides its text: its topic, that topic's parent
    ("Nerve conditions" over "Peripheral neuropathy") and its tags."""
    topic = article.topic
    names = [topic.name, topic.parent.name if topic.parent_id else ""] if topic else []
    names += [tag.name for tag in article.tags.all()]
    return " ".join(name for name in names if name)


def refresh(article_ids) -> None:
    """Store each article's topics' and tags' names, and on PostgreSQL its weighted document:
    after its save, its tags' change, or a topic's or tag's new name."""
    from articles.models import Article

    found = Article.objects.filter(pk__in=list(article_ids)).select_related("topic__parent")
    for article in found.only("pk", "topic__name", "topic__parent__name").prefetch_related("tags"):
        row = Article.objects.filter(pk=article.pk)
        row.update(search_topics=topic_names(article))
        if uses_postgres():  # apart: an UPDATE's expressions read the row as it was before it
            row.update(search_vector=search_vector())


def refresh_on_change(sender, instance=None, **kwargs) -> None:
    """Signal receiver: an article's tags changed (``m2m_changed``), or a topic or tag was
    saved (``post_save``: perhaps renamed)."""
    from articles.models import Article, Tag, Topic

    action = kwargs.get("action")
    if action is not None:  # the tags of articles, or the articles of a tag
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if isinstance(instance, Article):
            refresh([instance.pk])
        elif action == "post_clear":
            refresh(Article.objects.filter(tags=instance).values_list("pk", flat=True))
        else:
            refresh(kwargs.get("pk_set") or ())
    elif isinstance(instance, Topic):
        refresh(
            Article.objects.filter(Q(topic=instance) | Q(topic__parent=instance)).values_list(
                "pk", flat=True
            )
        )
    elif isinstance(instance, Tag):
        refresh(Article.objects.filter(tags=instance).values_list("pk", flat=True))


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(raw: str) -> str:
    """The query as searched: spaces collapsed, control characters out, at most 100 chars,
    cut after a whole word where it has one ("neuropathy … n" searched for a stray "n")."""
    # Format characters (zero-width spaces, marks and isolates of direction, tags) go too, and
    # a query of nothing visible is none: one answered "No results found for “​”", which read
    # as empty quotes.
    query = "".join(
        char
        for char in CONTROL_CHARACTERS.sub(" ", raw or "")
        if unicodedata.category(char) != "Cf"
    )
    query = " ".join(query.split())
    if all(char in BLANKS or unicodedata.category(char) in ("Mn", "Me", "Zs") for char in query):
        return ""
    if len(query) <= MAX_QUERY_LENGTH:
        return query
    cut = query[:MAX_QUERY_LENGTH]
    if query[MAX_QUERY_LENGTH] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip()


def words(query: str) -> list[str]:
    """The words of a query, lowercased, at most eight, each at least two letters long."""
    found = re.findall(r"\w+", query.lower())
    return [word for word in dict.fromkeys(found) if len(word) >= 2][:MAX_WORDS]


def stem(word: str) -> str:
    """A crude English stem, enough for ``icontains``: "exercising", "exercises" and
    "exercise" all become "exercis"; never shorter than four letters."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


@dataclass
class Results:
    """A search's matching articles (a queryset, ranked) and how to highlight them."""

    articles: object
    query: str
    stems: list[str]

    def highlight(self, page: list) -> None:
        """Give each article of a page a ``snippet`` (safe HTML: escaped text, <mark>s)."""
        if not page:
            return
        if uses_postgres():
            _postgres_snippets(page, self.query)
        else:
            for article in page:
                article.snippet = _python_snippet(
                    article.search_text or article.summary, self.stems
                )


def search(articles, query: str, any_word: bool = False) -> Results:
    """Rank ``articles`` (a queryset of published articles) against ``query``: those with
    every word, or with ``any_word``, those with any (ranked by how many and where)."""
    if uses_postgres():
        if any_word:  # websearch's own "or": "nerve or pain or physiotherapy"
            query = " or ".join(words(query))
        found = SearchQuery(query, search_type="websearch", config=settings.SEARCH_CONFIG)
        ranked = (
            articles.filter(search_vector=found)
            .annotate(rank=SearchRank(F("search_vector"), found))
            .order_by("-rank", "-published_at")
        )
        return Results(ranked, query, stems=[])
    stems = [stem(word) for word in words(query)]
    if not stems:
        return Results(articles.none(), query, stems=[])
    condition = Q()
    score = Value(0)
    for word in stems:
        matches = (
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(search_topics__icontains=word)
            | Q(search_headings__icontains=word)
            | Q(search_text__icontains=word)
        )
        condition = (condition | matches) if any_word else (condition & matches)
        for field, weight in WEIGHTS:
            score = score + Case(
                When(**{f"{field}__icontains": word}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
    ranked = articles.filter(condition).annotate(rank=score).order_by("-rank", "-published_at")
    return Results(ranked, query, stems=stems)


def _mark(text: str) -> SafeString:
    # Safe: the text is escaped first; only the markers we inserted become <mark> tags.
    escaped = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(escaped)


def _postgres_snippets(page: list, query: str) -> None:
    from articles.models import Article

    found = SearchQuery(query, search_type="websearch", config=settings.SEARCH_CONFIG)
    headlines = dict(
        Article.objects.filter(pk__in=[article.pk for article in page])
        .annotate(
            snippet=SearchHeadline(
                "search_text",
                found,
                config=settings.SEARCH_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .values_list("pk", "snippet")
    )
    for article in page:
        article.snippet = _mark(headlines.get(article.pk) or article.summary)


def _ends_sentence(text: str, stop: int) -> bool:
    """Whether the "." "!" or "?" at ``text[stop]`` ends a sentence: not the stop of "Dr.",
    "e.g." or "i.e." (a stop inside the word), "U.S." or an initial ("J. Smith")."""
    if text[stop] != ".":
        return True
    before = WORD_BEFORE.search(text, max(0, stop - 20), stop)
    if not before:
        return True
    word = before.group(1)
    if "." in word or (len(word) == 1 and word.isupper()):
        return False
    return word.lower() not in ABBREVIATIONS


def _sentence_start(text: str, pos: int, endpos: int):
    """The first place a sentence starts after another between ``pos`` and ``endpos``."""
    for match in SENTENCE_START.finditer(text, pos, endpos):
        if _ends_sentence(text, match.start()):
            return match
    return None


def _python_snippet(text: str, stems: list[str]) -> SafeString:
    """About 220 characters of ``text`` around the first word found, words marked."""
    text = CONTROL_CHARACTERS.sub(" ", text)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(word) for word in stems) + r")\w*", re.IGNORECASE
    )
    first = pattern.search(text)
    found_at = first.start() if first else 0
    start = max(0, found_at - SNIPPET_CHARS // 3)
    sentence = None
    if start:
        start = text.find(" ", start) + 1 or start
        # From the first sentence in reach of the word, not the tail of the one before it
        # ("… day. See a GP"): a whole sentence needs no ellipsis.
        sentence = _sentence_start(text, max(0, start - 3), found_at + 1)
        if sentence:
            start = sentence.end()
    window = text[start : start + SNIPPET_CHARS]
    if start + SNIPPET_CHARS < len(text):
        window = window[: window.rfind(" ")] if " " in window else window
        # An ellipsis stands for the rest of a sentence: none after one that ended ("helps.
        # …" read as two stops), and a comma or colon it cut off goes with the rest.
        end = SENTENCE_END.search(window)
        if not (end and _ends_sentence(window, end.start())):
            window = window.rstrip(",;:-\u2013\u2014") + " …"
    if start and not sentence:
        window = "… " + window
    marked = pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", window)
    return _mark(marked)
