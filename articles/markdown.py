"""The one way Markdown becomes HTML on this site: python-markdown, then an nh3 allow-list.

Everything that ends up in ``Article.body_html``, a call-to-action, or markdownx's live
preview goes through :func:`render_markdown`, so the sanitiser is the single place that decides
what HTML a page may contain.
"""

from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"scope"},
}
# Classes the renderer itself emits for callouts (python-markdown's admonition extension).
ALLOWED_CLASSES = {
    "div": {"admonition", "callout", "example", "note", "warning"},
    "p": {"admonition-title"},
}
URL_SCHEMES = {"http", "https", "mailto"}


class _DemoteH1(Treeprocessor):
    """The page title is the only ``h1``: a ``#`` heading in a body becomes an ``h2``."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _DemoteH1Extension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API name)
        # Before "toc" (priority 5) so that the demoted headings get their anchors too.
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 30)


_MARKDOWN_EXTENSIONS = [
    _DemoteH1Extension(),
    "admonition",
    "sane_lists",
    "tables",
    "fenced_code",
    "toc",
]


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images may only come from this site (uploads): no tracking pixels, nothing third-party.
    if tag == "img" and attribute == "src":
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not value.startswith("/"):
            return None
    return value


def render_markdown(text: str) -> str:
    """Render untrusted Markdown to HTML that is safe to mark as safe in a template."""
    html = markdown.markdown(text or "", extensions=_MARKDOWN_EXTENSIONS, output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener",
        strip_comments=True,
    )
