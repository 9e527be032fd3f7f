"""The article side of moving in from, and out to, WordPress.

A WordPress post becomes an :class:`~articles.models.Article`: its HTML is converted to Markdown
with markdownify (after WordPress's own paragraph rule, ``wpautop``, for classic-editor posts),
and ``Article.save()`` then renders that Markdown through the one sanitising renderer, so nothing
a post contained reaches a page without passing the allow-list. Going out, an article becomes a
post whose content is that sanitised HTML.

Authors: a post's author (its WordPress login) becomes the article's ``author`` user: an
existing user with the author's email, else one with that user name, else a new one created
inactive and without a usable password, so importing never creates an account anyone can
log in with.
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import Truncator, slugify
from markdownify import MarkdownConverter

from articles.models import Article
from wordpress.wxr import WxrAuthor, WxrPost

SUMMARY_LENGTH = Article._meta.get_field("summary").max_length
TITLE_LENGTH = Article._meta.get_field("title").max_length
SLUG_LENGTH = Article._meta.get_field("slug").max_length
UNTITLED = "(no title)"

# WordPress statuses we import, and what they become. "future" is a scheduled post: published
# with a date still to come. Pending review and private posts are kept, as drafts. Trash,
# auto-drafts and revisions are not articles.
IMPORTED_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
LINK_SCHEMES = {"http", "https", "mailto"}


def wordpress_slug(post_name: str) -> str:
    """Our slug for a WordPress ``post_name`` (stored percent-encoded) or an old URL's slug."""
    return slugify(unquote(post_name or ""))[:SLUG_LENGTH].strip("-")


# -- HTML to Markdown ---------------------------------------------------------------------------

_BLOCK_TAGS = (
    "address|article|aside|blockquote|dd|details|div|dl|dt|figcaption|figure|footer|form|"
    "h[1-6]|header|hr|li|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{_BLOCK_TAGS})\b", re.IGNORECASE)
_BLOCK_TAG = rf"</?(?:{_BLOCK_TAGS})\b[^>]*>"
_BR_AFTER_BLOCK = re.compile(rf"({_BLOCK_TAG})\s*<br>", re.IGNORECASE)
_BR_BEFORE_BLOCK = re.compile(rf"<br>(\s*{_BLOCK_TAG})", re.IGNORECASE)
_P_BEFORE_BLOCK = re.compile(rf"<p>\s*({_BLOCK_TAG})", re.IGNORECASE)
_P_AFTER_BLOCK = re.compile(rf"({_BLOCK_TAG})\s*</p>", re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_CAPTION = re.compile(r"\[/?caption\b[^\]]*\]", re.IGNORECASE)
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")


def autop(content: str) -> str:
    """WordPress's ``wpautop``, simplified: a blank line ends a paragraph, a newline breaks a line.

    The classic editor stores posts without ``<p>`` tags and WordPress adds them on display;
    block-editor posts (marked ``<!-- wp:...``) already carry them and are left alone.
    """
    content = (content or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    if "<!-- wp:" in content:
        return content
    kept: list[str] = []

    def keep(match):
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _PRE.sub(keep, content)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK.match(chunk) or _PLACEHOLDER.fullmatch(chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    html = "\n\n".join(paragraphs)
    # As wpautop does: no line break or paragraph edge right next to a block tag.
    html = _BR_AFTER_BLOCK.sub(r"\1", html)
    html = _BR_BEFORE_BLOCK.sub(r"\1", html)
    html = _P_BEFORE_BLOCK.sub(r"\1", html)
    html = _P_AFTER_BLOCK.sub(r"\1", html)
    return _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], html)


def _is_safe_link(url: str) -> bool:
    parts = urlsplit(url.strip())
    return not parts.scheme or parts.scheme.lower() in LINK_SCHEMES


def _is_web_url(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in {"http", "https"}


def _markdown_url(url: str) -> str:
    # Spaces and parentheses would end a Markdown link early.
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


class WordPressConverter(MarkdownConverter):
    """markdownify, tuned for WordPress posts and for our renderer's rules.

    What our renderer would drop anyway is turned into something a reader still gets: an image
    from another site (ours shows only images uploaded here) and an embedded video become links;
    a link with a scheme we do not allow (``javascript:``) keeps only its text. Active content
    (scripts, styles, forms, objects) is dropped with its text.
    """

    DROPPED = {"script", "style", "noscript", "template", "svg", "object", "embed", "form"}

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = "atx"
        bullets = "-"
        escape_underscores = False  # snake_case words and URLs stay readable

    def process_tag(self, node, parent_tags=None):
        if getattr(node, "name", None) in self.DROPPED:
            return ""
        return super().process_tag(node, parent_tags)

    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        # Text that looks like markup must stay text: "&lt;b&gt;" in a post is not a tag.
        return _TAG_LIKE.sub("&lt;", _ENTITY_LIKE.sub("&amp;", text))

    def convert_a(self, el, text, parent_tags):
        href = el.get("href") or ""
        if not href or not _is_safe_link(href):
            return text
        # A heading's link to itself (ours, or a table-of-contents plugin's): the renderer
        # makes headings linkable again, so keep only the text.
        heading = el.find_parent(["h1", "h2", "h3", "h4", "h5", "h6"])
        if heading is not None and href.startswith("#"):
            return text
        el["href"] = _markdown_url(href)
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        src = (el.get("src") or "").strip()
        alt = (el.get("alt") or "").strip()
        if src.startswith("/") and not src.startswith("//"):
            el["src"] = _markdown_url(src)
            return super().convert_img(el, text, parent_tags)
        if _is_web_url(src) and "_inline" not in parent_tags:
            return f"[{alt or 'Image'}]({_markdown_url(src)})"
        return alt

    def convert_iframe(self, el, text, parent_tags):
        src = (el.get("src") or "").strip()
        if _is_web_url(src):
            return f"\n\n[{el.get('title') or 'Embedded content'}]({_markdown_url(src)})\n\n"
        return ""


def html_to_markdown(content: str) -> str:
    """A WordPress post's HTML as clean Markdown (not yet sanitised: ``Article.save`` does it)."""
    content = _CAPTION.sub("", autop(content))
    markdown_text = WordPressConverter().convert(content)
    return re.sub(r"\n{3,}", "\n\n", markdown_text).strip() + "\n"


# -- HTML to plain text -------------------------------------------------------------------------


class _TextParser(HTMLParser):
    """Collect the text of an HTML fragment: paragraphs and line breaks kept, tags dropped,
    a link's address kept after its text (so a plain-text renderer can link it again)."""

    BLOCKS = {"p", "div", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
    SKIPPED = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            if _is_web_url(href) and href.strip() != label:
                self.parts.append(f" ({href.strip()})" if label else href.strip())

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str, *, single_line: bool = False) -> str:
    """The text of an HTML fragment (a title, an excerpt, a WordPress comment).

    Entities are decoded and tags dropped; line breaks and paragraphs are kept, unless
    ``single_line`` asks for one line (titles).
    """
    parser = _TextParser()
    parser.feed((fragment or "").replace("\r\n", "\n").replace("\r", "\n"))
    parser.close()
    text = "".join(parser.parts)
    if single_line:
        return " ".join(text.split())
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_to_html(text: str) -> str:
    """Plain text for a WordPress field that is displayed as HTML (titles, excerpts, comments).

    Escaping keeps "<3" and "&amp;" as the reader typed them; :func:`html_to_text` undoes it.
    """
    return html.escape(text or "", quote=False)


# -- Import ---------------------------------------------------------------------------------------


@dataclass
class ArticleImport:
    """What happened to one post: the article, and whether it was created now."""

    article: Article | None
    created: bool = False
    notes: list[str] = field(default_factory=list)


class AuthorResolver:
    """WordPress logins to users, as described in the module docstring; counts the new ones."""

    def __init__(self, authors: dict[str, WxrAuthor]):
        self.authors = authors
        self.cache: dict[str, object] = {}
        self.created = 0

    def user(self, login: str):
        login = (login or "").strip()[:150]
        if not login:
            return None
        if login not in self.cache:
            self.cache[login] = self._find_or_create(login)
        return self.cache[login]

    def _find_or_create(self, login: str):
        User = get_user_model()  # noqa: N806 (a class)
        author = self.authors.get(login) or WxrAuthor(login=login)
        user = None
        if author.email:
            user = User.objects.filter(email__iexact=author.email).order_by("pk").first()
        if user is None:
            user = User.objects.filter(username=login).first()
        if user is None:
            first, last = author.first_name, author.last_name
            if not (first or last):
                first = author.display_name
            user = User(
                username=login,
                email=author.email[:254],
                first_name=first[:150],
                last_name=last[:150],
                is_active=False,
            )
            user.set_unusable_password()
            user.save()
            self.created += 1
        return user


def _unique_slug(slug: str, post_id: int) -> str:
    candidate, number = slug, 1
    while Article.objects.filter(slug=candidate).exists():
        suffix = f"-{post_id}" if number == 1 else f"-{post_id}-{number}"
        candidate = slug[: SLUG_LENGTH - len(suffix)] + suffix
        number += 1
    return candidate


def import_post(post: WxrPost, authors: AuthorResolver) -> ArticleImport:
    """Create the article for a WordPress post, unless it was imported before.

    The caller has checked the post's type and status (see :data:`IMPORTED_STATUSES`).
    """
    existing = Article.objects.filter(wp_post_id=post.id).first()
    if existing is not None:
        return ArticleImport(existing, created=False)
    notes = []
    status = IMPORTED_STATUSES[post.status]
    published_at = post.date if status == Article.Status.PUBLISHED else None
    if post.status == "future" and published_at is None:
        status = Article.Status.DRAFT
        notes.append("scheduled without a date: imported as a draft")
    title = html_to_text(post.title, single_line=True)[:TITLE_LENGTH] or UNTITLED
    base_slug = wordpress_slug(post.name) or slugify(title)[:SLUG_LENGTH] or f"post-{post.id}"
    slug = _unique_slug(base_slug, post.id)
    if slug != base_slug:
        notes.append(f"slug {base_slug!r} was taken: now {slug!r}")
    body = html_to_markdown(post.content)
    summary_source = html_to_text(post.excerpt, single_line=True) or html_to_text(
        post.content, single_line=True
    )
    article = Article(
        wp_post_id=post.id,
        title=title,
        slug=slug,
        summary=Truncator(summary_source).chars(SUMMARY_LENGTH) or title[:SUMMARY_LENGTH],
        body=body,
        status=status,
        published_at=published_at,
        author=authors.user(post.creator),
        allow_comments=post.comment_status != "closed",
    )
    article.save()
    # The post's own dates, not the moment of the import (auto_now fields ignore assignments).
    if post.date or post.modified:
        Article.objects.filter(pk=article.pk).update(
            created_at=post.date or post.modified, updated_at=post.modified or post.date
        )
    return ArticleImport(article, created=True, notes=notes)


# -- Export ---------------------------------------------------------------------------------------


def wordpress_status(article: Article) -> str:
    if article.status != Article.Status.PUBLISHED:
        return "draft"
    return "future" if article.is_scheduled else "publish"


def post_from_article(article: Article) -> WxrPost:
    """An article as a WordPress post (without its comments: the comments app adds those)."""
    status = wordpress_status(article)
    return WxrPost(
        id=article.pk,
        title=text_to_html(article.title),
        link=settings.SITE_URL.rstrip("/") + article.get_absolute_url(),
        creator=article.author.get_username() if article.author else "",
        content=article.body_html,
        excerpt=text_to_html(article.summary),
        date=article.published_at if status != "draft" else None,
        modified=article.updated_at,
        name=article.slug,
        status=status,
        post_type="post",
        comment_status="open" if article.allow_comments else "closed",
    )


def author_from_user(user) -> WxrAuthor:
    return WxrAuthor(
        login=user.get_username(),
        email=user.email,
        display_name=user.get_full_name() or user.get_username(),
        first_name=user.first_name,
        last_name=user.last_name,
    )
