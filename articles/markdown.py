"""The one way Markdown becomes HTML on this site: python-markdown, then an nh3 allow-list.

Everything that ends up in ``Article.body_html``, a call-to-action, or markdownx's live
preview goes through :func:`render_markdown`, so the sanitiser is the single place that decides
what HTML a page may contain. :func:`analyse` reads the sanitised result back (headings for the
table of contents, words for the reading time), so both describe exactly what readers get.

Beyond plain Markdown, editors have two block and inline forms:

- ``!!! seek-help "When to Seek Further Help"`` (an admonition) is the safety callout: a
  ``<section class="callout seek-help">`` whose title is a real ``h2`` in the page outline.
- ``[@key]`` cites the article's reference with that key: a numbered link to the reference
  in the "References" list (``#ref-key``). An unknown key stays as typed, for the editor to see.
"""

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement

import markdown
import nh3
from bs4 import BeautifulSoup
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "section",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "ol": {"start"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "section": {"aria-labelledby"},
    "th": {"scope"},
}
# Classes the renderer itself emits: callouts (python-markdown's admonition extension and the
# seek-help section), heading self-links (toc's anchorlink) and citations.
ALLOWED_CLASSES = {
    "a": {"toclink"},
    "div": {"admonition", "callout", "example", "note", "warning"},
    "p": {"admonition-title"},
    "section": {"callout", "seek-help"},
    "span": {"visually-hidden"},
    "sup": {"citation"},
}
# tel: a health page's "call 111" is a link a phone dials (it was taken out, plain text).
URL_SCHEMES = {"http", "https", "mailto", "tel"}

SEEK_HELP = "seek-help"
SEEK_HELP_DEFAULT_TITLE = "When to seek help"
WORDS_PER_MINUTE = 230

# Ids the page around the body uses (skip link, discussion, lists): a body heading never takes
# one, so an in-page link always lands where the page means it to.
RESERVED_IDS = {
    "top", "content", "comments", "comments-heading", "respond", "respond-heading",
    "comment-privacy", "cta-heading", "toc", "toc-heading", "references",
    "references-heading", "disclaimer", "disclaimer-heading", "breadcrumbs",
}  # fmt: skip
RESERVED_ID_PATTERN = re.compile(r"^(c\d+|ref-|cite-|id_)")
CITATION_PATTERN = r"\[@([A-Za-z0-9][A-Za-z0-9_-]*)\]"

# Uploads (articles.uploads) are named <random>-<width>x<height>.<ext>, with narrower copies
# named <...>-<w>w.<ext> for each of RESPONSIVE_WIDTHS below the image's own width.
RESPONSIVE_WIDTHS = (480, 960)
UPLOADED_IMAGE = re.compile(r"^/(?:[\w-]+/)*uploads/[0-9a-f]{32}-(\d+)x(\d+)\.(jpg|png|gif|webp)$")
# The article column: 42rem of an 18px root (756px) less 1rem padding each side.
IMAGE_SIZES = "(min-width: 756px) 720px, calc(100vw - 32px)"


def responsive_widths(width: int) -> list[int]:
    """The narrower copies an upload of this width gets."""
    return [w for w in RESPONSIVE_WIDTHS if w < width]


def narrower_copies(name: str, width: int) -> list[tuple[int, str]]:
    """The narrower copies of an upload (its stored name or its address) this wide: each
    ``(width, name)``, ``<stem>-<width>w.<ext>``. A GIF has none: resizing drops its frames."""
    stem, _dot, extension = name.rpartition(".")
    if extension == "gif":
        return []
    return [(w, f"{stem}-{w}w.{extension}") for w in responsive_widths(width)]


def is_reserved_id(value: str) -> bool:
    """True for an id the page template uses itself (comment permalinks, references, form)."""
    return value in RESERVED_IDS or bool(RESERVED_ID_PATTERN.match(value))


def _heading_slug(value: str, separator: str) -> str:
    slug = toc_slugify(value, separator)
    if not slug or is_reserved_id(slug):
        slug = f"section{separator}{slug}" if slug else "section"
    return slug


class _DemoteH1(Treeprocessor):
    """The page title is the only ``h1``: a ``#`` heading in a body becomes an ``h2``."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _SeekHelpSection(Treeprocessor):
    """``!!! seek-help "Title"`` becomes a section whose title is a real ``h2``.

    Runs before "toc" so the heading gets its anchor and its place in the contents.
    """

    def run(self, root):
        for parent in root.iter():
            for index, element in enumerate(list(parent)):
                classes = element.get("class", "").split()
                if element.tag != "div" or "admonition" not in classes or SEEK_HELP not in classes:
                    continue
                section = Element("section", {"class": f"callout {SEEK_HELP}"})
                children = list(element)
                title = None
                if (
                    children
                    and children[0].tag == "p"
                    and "admonition-title" in children[0].get("class", "")
                ):
                    title, children = children[0], children[1:]
                heading = SubElement(section, "h2")
                if title is None or (title.text or "").strip().lower() == SEEK_HELP.lower():
                    # No title, or the admonition's default one ("Seek-help").
                    heading.text = SEEK_HELP_DEFAULT_TITLE
                else:
                    heading.text = title.text
                    for child in title:
                        heading.append(child)
                section.extend(children)
                section.tail = element.tail
                parent[index] = section


class _LabelSections(Treeprocessor):
    """After "toc": a seek-help section is labelled by its heading (a named region)."""

    def run(self, root):
        for section in root.iter("section"):
            heading = section.find("h2")
            if heading is not None and heading.get("id"):
                section.set("aria-labelledby", heading.get("id"))


class _ResponsiveImages(Treeprocessor):
    """Every image loads lazily; an upload of this site also gets its ``width`` and
    ``height`` (no layout shift) and ``srcset``/``sizes`` (phones fetch a narrower copy)."""

    def run(self, root):
        for image in root.iter("img"):
            image.set("loading", "lazy")
            image.set("decoding", "async")
            match = UPLOADED_IMAGE.match(image.get("src", ""))
            if match is None:
                continue
            width, height = int(match[1]), int(match[2])
            image.set("width", str(width))
            image.set("height", str(height))
            copies = narrower_copies(image.get("src"), width)
            if copies:
                candidates = [f"{name} {w}w" for w, name in copies]
                image.set("srcset", ", ".join([*candidates, f"{image.get('src')} {width}w"]))
                image.set("sizes", IMAGE_SIZES)


class _Citation(InlineProcessor):
    """``[@key]`` -> a numbered link to that reference; unknown keys are left as typed."""

    def __init__(self, pattern, md, numbers):
        super().__init__(pattern, md)
        self.numbers = numbers

    def handleMatch(self, m, data):  # noqa: N802 (python-markdown's API name)
        key = m.group(1)
        if key not in self.numbers:
            return None, None, None
        sup = Element("sup", {"class": "citation"})
        link = SubElement(sup, "a", {"href": f"#ref-{key}"})
        hidden = SubElement(link, "span", {"class": "visually-hidden"})
        hidden.text = "Reference "
        hidden.tail = str(self.numbers[key])
        return sup, m.start(0), m.end(0)


class _NerveExtension(Extension):
    def __init__(self, citations: Sequence[str] = (), **kwargs):
        self.numbers = {key: number for number, key in enumerate(citations, start=1)}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API name)
        # Tree processors run after every block processor (admonition included). Demoting h1
        # and building the seek-help heading come before "toc" (priority 5), so those
        # headings get anchors too; labelling the section needs the anchor, so it comes after.
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 30)
        md.treeprocessors.register(_SeekHelpSection(md), "seek_help", 25)
        md.treeprocessors.register(_LabelSections(md), "label_sections", 4)
        md.treeprocessors.register(_ResponsiveImages(md), "responsive_images", 3)
        # Before links ("reference" is 170) so "[@key]" is never read as a reference link.
        md.inlinePatterns.register(_Citation(CITATION_PATTERN, md, self.numbers), "citation", 175)


def _local_path(value: str) -> bool:
    parts = urlsplit(value)
    return (
        not (parts.scheme or parts.netloc) and value.startswith("/") and not value.startswith("//")
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images may only come from this site (uploads): no tracking pixels, nothing third-party.
    if tag == "img" and attribute == "src" and not _local_path(value):
        return None
    if tag == "img" and attribute == "srcset":
        candidates = [candidate.strip().split() for candidate in value.split(",")]
        if not all(candidate and _local_path(candidate[0]) for candidate in candidates):
            return None
    if tag == "img" and attribute == "loading" and value not in {"lazy", "eager"}:
        return None
    if tag == "img" and attribute == "decoding" and value not in {"async", "sync", "auto"}:
        return None
    if attribute in {"id", "aria-labelledby"} and is_reserved_id(value):
        return None
    return value


def _convert(text: str, citations: Sequence[str] = ()) -> str:
    """Markdown to HTML, not yet sanitised."""
    converter = markdown.Markdown(
        extensions=[
            _NerveExtension(citations=citations),
            "admonition",
            "sane_lists",
            "tables",
            "fenced_code",
            # Each heading links to itself; the "[TOC]" marker is off (the page builds it).
            TocExtension(anchorlink=True, slugify=_heading_slug, marker=""),
        ],
        output_format="html",
    )
    return converter.convert(text or "")


# Another site's address written without https://: "www.nhs.uk/…", "nhs.uk/conditions/…" or
# "editors@example.org". A browser reads it as a path on this site (/articles/<slug>/www.nhs.uk/…),
# a page that does not exist.
_SITE_WITHOUT_SCHEME = re.compile(
    r"^(?:www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#:]|$)|[^\s/@:]+@[^\s/@]+\.[a-z]{2,}$)",
    re.IGNORECASE,
)


# A file's name is not a site's ("index.html", "leaflet.pdf"): these are no top-level domains.
_FILE_ENDINGS = frozenset({"html", "htm", "php", "asp", "aspx", "pdf", "doc", "docx"})
_FILE_ENDINGS |= {"jpg", "jpeg", "png", "gif", "svg", "webp"}


def missing_scheme(link: str) -> bool:
    """Whether ``link`` is another site's address (or an email address) written without its
    ``https://`` (or ``mailto:``)."""
    link = link.strip()
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not _SITE_WITHOUT_SCHEME.match(link):
        return False
    host = re.split(r"[/?#:]", link, maxsplit=1)[0]
    return "@" in host or host.rpartition(".")[2].lower() not in _FILE_ENDINGS


def broken_link(link: str) -> bool:
    """Whether ``link`` leads nowhere: empty, "https://" with no site (the toolbar's link left
    unfilled), "mailto:" or "tel:" with nothing after it, or a scheme mistyped
    ("https:/www.nhs.uk", "http//www.nhs.uk")."""
    link = link.strip()
    parts = urlsplit(link)
    if parts.scheme.lower() in {"http", "https"}:
        return not parts.netloc
    if parts.scheme.lower() in {"mailto", "tel"}:
        return not parts.path.strip()
    return not link or (not parts.scheme and re.match(r"https?[:/]", link, re.I) is not None)


def unsafe_link(link: str) -> bool:
    """Whether ``link`` has a scheme the sanitiser takes out (``URL_SCHEMES``: javascript:,
    data:, ftp:...), which left the words linked to nothing."""
    scheme = urlsplit(link.strip()).scheme.lower()
    return bool(scheme) and scheme not in URL_SCHEMES


def relative_link(link: str) -> bool:
    """Whether ``link`` is an address of this site written without its first "/" ("sciatica",
    "../about/"): read from the page's own address, it led to "Page not found"."""
    link = link.strip()
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not link or link.startswith(("/", "#", "?")):
        return False
    return not (missing_scheme(link) or broken_link(link))


def link_problem(link: str) -> str:
    """The first thing wrong with a link of an editor's text, as a form error's code, or ""."""
    if broken_link(link):
        return "broken_link"
    if missing_scheme(link):
        return "link_without_scheme"
    if unsafe_link(link):
        return "unsafe_link"
    if relative_link(link):
        return "relative_link"
    return ""


@dataclass
class Media:
    """What a text shows and links to, as written (``images_and_links``)."""

    images: list[tuple[str, str, bool]]  # (address, description, whether it is this site's)
    links: list[str]


def images_and_links(text: str) -> Media:
    """The images ``text`` shows and the addresses it links to, as written: the sanitiser
    takes an image from another site out of the page (``_filter_attribute``), where the reader
    then saw nothing, and a link without its ``https://`` led to a page of this site."""
    html = BeautifulSoup(_convert(text), "html.parser")
    images = [(img.get("src", "").strip(), img.get("alt", "").strip()) for img in html("img")]
    return Media(
        images=[(src, alt, _local_path(src)) for src, alt in images],
        links=[a.get("href", "").strip() for a in html("a", href=True)],
    )


def render_markdown(text: str, citations: Sequence[str] = ()) -> str:
    """Render untrusted Markdown to HTML that is safe to mark as safe in a template.

    ``citations`` are the keys of the article's references in their order: ``[@key]`` becomes
    a link numbered like the "References" list. The first citation of each reference is
    ``cite-<key>``, where the reference's "Back to text" leads (ids starting so are the
    page's own: the sanitiser takes them out of what an editor writes).
    """
    html = nh3.clean(
        _convert(text, citations),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener",
        strip_comments=True,
    )
    for key in citations:  # keys are CITATION_PATTERN's letters, digits, "_" and "-"
        first = f'<sup class="citation"><a href="#ref-{key}"'
        html = html.replace(first, f'<sup class="citation" id="cite-{key}"><a href="#ref-{key}"', 1)
    return html


@dataclass
class Analysis:
    """What the sanitised HTML says about itself: its ``h2``/``h3`` outline and its words."""

    headings: list[dict] = field(default_factory=list)
    text: str = ""
    # The same words with a full stop after each heading, list item or cell that lacks one, as
    # search stores and quotes them: "Why feet matter. High blood sugar…", not "Why feet
    # matter High blood sugar…". ``text`` stays as written: the reading grade counts sentences.
    search_text: str = ""

    @property
    def word_count(self) -> int:
        return count_words(self.text)


_BLOCK_TAGS = {
    "blockquote", "br", "dd", "div", "dt", "h2", "h3", "h4", "h5", "h6", "hr", "li", "p", "pre",
    "section", "td", "th", "tr",
}  # fmt: skip
# Blocks a reader takes as a whole line, ended by a full stop where the writer left none.
_ENDED_BLOCKS = {"caption", "dd", "dt", "h2", "h3", "h4", "h5", "h6", "li", "p", "td", "th"}
_BLOCK_END = "\x1f"  # a control character: plain_text() turns any left into a space


class _Reader(HTMLParser):
    """Collect the text and the anchored h2/h3 headings; skip citation markers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.analysis = Analysis()
        self.parts: list[str] = []
        self.heading: dict | None = None
        self.heading_text: list[str] = []
        self.skip_depth = 0
        self.after_citation = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.skip_depth:
            self.skip_depth += tag not in {"br", "img", "hr"}
            return
        if tag == "sup" and "citation" in (attributes.get("class") or "").split():
            self.skip_depth = 1
            return
        if tag in {"h2", "h3"} and attributes.get("id"):
            self.heading = {"level": int(tag[1]), "id": attributes["id"]}
            self.heading_text = []
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.skip_depth:
            self.skip_depth -= 1
            self.after_citation = not self.skip_depth
            return
        if self.heading is not None and tag == f"h{self.heading['level']}":
            self.heading["title"] = " ".join("".join(self.heading_text).split())
            self.analysis.headings.append(self.heading)
            self.heading = None
        if tag in _ENDED_BLOCKS:
            self.parts.append(_BLOCK_END)
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.after_citation and data[:1] in ".,;:!?)":
            # "at night [@nhs]." without its marker: "at night." (search quoted "night .").
            while self.parts and not self.parts[-1].strip():
                self.parts.pop()
            if self.parts:
                self.parts[-1] = self.parts[-1].rstrip()
        self.after_citation = False
        self.parts.append(data)
        if self.heading is not None:
            self.heading_text.append(data)

    def close(self):
        super().close()
        text = "".join(self.parts)
        self.analysis.text = " ".join(text.replace(_BLOCK_END, " ").split())
        # A block's end after a letter or digit (spaces between) gets a full stop, also when
        # a bracket or quote closes after it ("Neuropathy (PN)." "What “tingling” means.");
        # after punctuation ("Look for:", "Why?", "(or not?)") or another block's end, nothing.
        ended = re.sub(r"(\w[)\]\u201d\u2019\"'%]*)\s*" + _BLOCK_END, r"\1.", text)
        ended = ended.replace(_BLOCK_END, " ")
        self.analysis.search_text = " ".join(ended.split())


def analyse(html_text: str) -> Analysis:
    """Read sanitised HTML back: its anchored headings in order, and its visible text."""
    reader = _Reader()
    reader.feed(html_text or "")
    reader.close()
    return reader.analysis


def table_of_contents(headings: list[dict]) -> list[dict]:
    """Nest ``h3`` entries under the ``h2`` before them: [{id, title, children: [...]}]."""
    toc: list[dict] = []
    for heading in headings:
        entry = {"id": heading["id"], "title": heading["title"], "children": []}
        if heading["level"] == 3 and toc:
            toc[-1]["children"].append(entry)
        else:
            toc.append(entry)
    return toc


def plain_text(text: str) -> str:
    """Text as search stores it: control characters out (search marks matches with two of
    them), spaces collapsed."""
    return " ".join(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", text).split())


# A heading that carries its own number: "1. Causes", "2) Managing it", "Step 3: Rest".
OWN_NUMBER = re.compile(r"^\s*(?:(?:step|part)\s+)?\d+(?:\.\d+)*\s*[.):-]", re.IGNORECASE)


def has_own_numbers(entries: list[dict]) -> bool:
    """True when every entry of a contents list numbers itself ("1. Increased sensitivity"):
    the list then shows no numbers of its own, never "1. 1. Increased sensitivity"."""
    return bool(entries) and all(OWN_NUMBER.match(entry["title"]) for entry in entries)


def count_words(text: str) -> int:
    """Words as a reader counts them: "don't" and "post-therapy" are one word each."""
    return len(re.findall(r"\w+(?:[\u2019'-]\w+)*", html.unescape(text)))


def reading_minutes(word_count: int) -> int:
    """Words / 230, rounded up; at least one minute for any text."""
    return math.ceil(word_count / WORDS_PER_MINUTE) if word_count else 0
