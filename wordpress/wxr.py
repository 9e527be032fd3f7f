"""WordPress eXtended RSS (WXR), the file WordPress's Tools > Export writes and its importer reads.

Reading streams: :class:`WxrReader` yields one post at a time, with its comments, and drops each
``<item>`` from the tree as soon as it has been read, so memory follows the largest post, not the
file. The parser (the standard library's, through defusedxml) refuses any DTD, so entity
expansion ("billion laughs") and external entities cannot be used against it; WordPress exports
never declare one. Versions 1.0, 1.1 and 1.2 differ only in their namespace, which is read from
the file.

Writing streams too: :class:`WxrWriter` writes WXR 1.2 item by item, text in CDATA sections
split the way WordPress's own exporter does, so its importer (whichever of its three parsers it
uses) reads back exactly what was written.

This module knows the format only: it turns XML into plain dataclasses and back. Which of them
become articles or comments is decided by the apps (``wordpress.posts``, ``wordpress.transfer``).
"""

import datetime
import email.utils
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils import timezone

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
WRITE_VERSION = "1.2"
WP_NS_PREFIX = "http://wordpress.org/export/"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_WFW = "http://wellformedweb.org/CommentAPI/"
ZERO_DATE = "0000-00-00 00:00:00"
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_FOUR_DIGIT_YEAR = re.compile(r"\s\d{4}\s")
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class WxrError(Exception):
    """The file is not a WordPress export we can read; the message says where and why."""


@dataclass
class WxrAuthor:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WxrComment:
    id: int
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: datetime.datetime | None = None
    content: str = ""
    approved: str = "1"  # "1", "0", "spam", "trash" or "post-trashed"
    type: str = "comment"  # "" (older exports) or "comment"; "pingback", "trackback"
    parent: int = 0


@dataclass
class WxrPost:
    id: int
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: datetime.datetime | None = None
    modified: datetime.datetime | None = None
    name: str = ""
    status: str = "draft"
    post_type: str = "post"
    comment_status: str = "open"
    comments: list[WxrComment] = field(default_factory=list)
    item_number: int = 0  # position in the file, for messages

    @property
    def where(self) -> str:
        return f"item {self.item_number} (post {self.id})"


def _key(tag: str) -> str:
    """``{namespace}local`` as the prefix WordPress uses: ``wp:post_id``, ``content:encoded``."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if namespace.startswith(WP_NS_PREFIX):
        return f"excerpt:{local}" if namespace.endswith("/excerpt/") else f"wp:{local}"
    prefix = {NS_CONTENT: "content", NS_DC: "dc", NS_WFW: "wfw"}.get(namespace, namespace)
    return f"{prefix}:{local}"


def _fields(element) -> dict[str, str]:
    """Text of each direct child, by prefixed name; the first of repeated names wins."""
    fields = {}
    for child in element:
        fields.setdefault(_key(child.tag), child.text or "")
    return fields


def _int(value: str, what: str, where: str) -> int:
    value = (value or "").strip()
    if not value:
        return 0
    try:
        return int(value)
    except ValueError:
        raise WxrError(f"{where}: {what} {value!r} is not a number.") from None


def _gmt(value: str, where: str) -> datetime.datetime | None:
    """A WordPress GMT date ("2024-01-31 08:00:00") as an aware UTC datetime; unset is None."""
    value = (value or "").strip()
    if not value or value == ZERO_DATE:
        return None
    try:
        naive = datetime.datetime.strptime(value, _DATE_FORMAT)
    except ValueError:
        raise WxrError(f"{where}: {value!r} is not a date (YYYY-MM-DD HH:MM:SS).") from None
    return naive.replace(tzinfo=datetime.UTC)


def _rfc822(value: str) -> datetime.datetime | None:
    if not _FOUR_DIGIT_YEAR.search(value or ""):  # drafts say "Mon, 30 Nov -0001 00:00:00"
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(datetime.UTC)


class WxrReader:
    """Read a WXR file as a stream of :class:`WxrPost`.

    ``authors``, ``version`` and ``base_url`` are filled from the channel header, which
    WordPress writes before the first item.
    """

    def __init__(self, file: BinaryIO):
        self.file = file
        self.version = ""
        self.base_url = ""
        self.authors: dict[str, WxrAuthor] = {}

    def posts(self) -> Iterator[WxrPost]:
        try:
            yield from self._posts()
        except ParseError as error:
            raise WxrError(f"The file is not well-formed XML: {error}.") from None
        except DefusedXmlException as error:
            raise WxrError(
                "The file declares a DTD or entities (<!DOCTYPE ...>). WordPress exports never "
                f"do, so it is refused: entities can be used to exhaust memory ({error!r})."
            ) from None

    def _posts(self) -> Iterator[WxrPost]:
        depth, channel, items = 0, None, 0
        for event, element in iterparse(self.file, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "rss":
                    raise WxrError(
                        f"Not a WordPress export: the document is <{_key(element.tag)}>, not <rss>."
                    )
                if depth == 2 and element.tag == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            # A direct child of <channel> is complete: use it, then let it go.
            key = _key(element.tag)
            if key == "item":
                items += 1
                if not self.version:
                    raise WxrError(
                        "Not a WordPress export: no <wp:wxr_version> before the first <item>."
                    )
                yield self._post(element, items)
            elif key == "wp:wxr_version":
                self._check_version(element.text)
            elif key == "wp:base_site_url":
                self.base_url = (element.text or "").strip()
            elif key == "wp:author":
                author = self._author(element)
                self.authors[author.login] = author
            element.clear()
            channel.remove(element)
        if not self.version:
            raise WxrError("Not a WordPress export: the file has no <wp:wxr_version>.")

    def _check_version(self, text: str | None) -> None:
        version = (text or "").strip()
        if version not in SUPPORTED_VERSIONS:
            raise WxrError(
                f"WXR version {version!r} is not supported (this reads "
                f"{', '.join(SUPPORTED_VERSIONS)})."
            )
        self.version = version

    @staticmethod
    def _author(element) -> WxrAuthor:
        fields = _fields(element)
        return WxrAuthor(
            login=fields.get("wp:author_login", "").strip(),
            email=fields.get("wp:author_email", "").strip(),
            display_name=fields.get("wp:author_display_name", "").strip(),
            first_name=fields.get("wp:author_first_name", "").strip(),
            last_name=fields.get("wp:author_last_name", "").strip(),
        )

    def _post(self, element, number: int) -> WxrPost:
        fields = _fields(element)
        where = f"item {number}"
        post = WxrPost(
            id=_int(fields.get("wp:post_id", ""), "wp:post_id", where), item_number=number
        )
        if not post.id:
            raise WxrError(f"{where}: the <item> has no <wp:post_id>.")
        where = post.where
        post.title = fields.get("title", "")
        post.link = fields.get("link", "").strip()
        post.creator = fields.get("dc:creator", "").strip()
        post.content = fields.get("content:encoded", "")
        post.excerpt = fields.get("excerpt:encoded", "")
        post.date = _gmt(fields.get("wp:post_date_gmt", ""), where) or _rfc822(
            fields.get("pubDate", "")
        )
        post.modified = _gmt(fields.get("wp:post_modified_gmt", ""), where)
        post.name = fields.get("wp:post_name", "").strip()
        post.status = fields.get("wp:status", "").strip()
        post.post_type = fields.get("wp:post_type", "").strip() or "post"
        post.comment_status = fields.get("wp:comment_status", "").strip()
        post.comments = [
            self._comment(child, where) for child in element if _key(child.tag) == "wp:comment"
        ]
        return post

    @staticmethod
    def _comment(element, where: str) -> WxrComment:
        fields = _fields(element)
        comment_id = _int(fields.get("wp:comment_id", ""), "wp:comment_id", where)
        if not comment_id:
            raise WxrError(f"{where}: a <wp:comment> has no <wp:comment_id>.")
        where = f"{where}, comment {comment_id}"
        return WxrComment(
            id=comment_id,
            author=fields.get("wp:comment_author", "").strip(),
            author_email=fields.get("wp:comment_author_email", "").strip(),
            author_url=fields.get("wp:comment_author_url", "").strip(),
            author_ip=fields.get("wp:comment_author_IP", "").strip(),
            date=_gmt(fields.get("wp:comment_date_gmt", ""), where)
            or _gmt(fields.get("wp:comment_date", ""), where),
            content=fields.get("wp:comment_content", ""),
            approved=fields.get("wp:comment_approved", "").strip(),
            type=fields.get("wp:comment_type", "").strip(),
            parent=_int(fields.get("wp:comment_parent", ""), "wp:comment_parent", where),
        )


def cdata(text: str) -> str:
    """Text as CDATA, split around "]]>" as WordPress's ``wxr_cdata`` does."""
    text = _NOT_XML.sub("", text or "")
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _local(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime(_DATE_FORMAT) if value else ZERO_DATE


def _utc(value: datetime.datetime | None) -> str:
    return value.astimezone(datetime.UTC).strftime(_DATE_FORMAT) if value else ZERO_DATE


class WxrWriter:
    """Write WXR 1.2 to a text stream: ``start()``, ``item()`` for each post, ``end()``."""

    def __init__(self, out: TextIO):
        self.out = out

    def _element(self, name: str, value: str | int, indent: int = 2, raw: bool = False) -> None:
        text = str(value) if raw else cdata(str(value))
        self.out.write("\t" * indent + f"<{name}>{text}</{name}>\n")

    def start(
        self,
        *,
        title: str,
        link: str,
        description: str,
        language: str,
        authors: Iterable[WxrAuthor],
    ) -> None:
        ns = f"{WP_NS_PREFIX}{WRITE_VERSION}/"
        self.out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- A WordPress eXtended RSS (WXR) file: import it in WordPress with "
            "Tools > Import > WordPress. -->\n"
            '<rss version="2.0"\n'
            f'\txmlns:excerpt="{ns}excerpt/"\n'
            f'\txmlns:content="{NS_CONTENT}"\n'
            f'\txmlns:wfw="{NS_WFW}"\n'
            f'\txmlns:dc="{NS_DC}"\n'
            f'\txmlns:wp="{ns}"\n'
            ">\n\n<channel>\n"
        )
        self._element("title", title, 1)
        self._element("link", link, 1)
        self._element("description", description, 1)
        pub_date = email.utils.format_datetime(timezone.now().astimezone(datetime.UTC))
        self._element("pubDate", pub_date, 1, raw=True)
        self._element("language", language, 1)
        self._element("wp:wxr_version", WRITE_VERSION, 1, raw=True)
        self._element("wp:base_site_url", link, 1)
        self._element("wp:base_blog_url", link, 1)
        for number, author in enumerate(authors, start=1):
            self.out.write("\t<wp:author>\n")
            self._element("wp:author_id", number, raw=True)
            self._element("wp:author_login", author.login)
            self._element("wp:author_email", author.email)
            self._element("wp:author_display_name", author.display_name)
            self._element("wp:author_first_name", author.first_name)
            self._element("wp:author_last_name", author.last_name)
            self.out.write("\t</wp:author>\n")
        self.out.write("\n")

    def item(self, post: WxrPost) -> None:
        self.out.write("\t<item>\n")
        self._element("title", post.title)
        self._element("link", post.link)
        when = post.date or post.modified
        pub_date = email.utils.format_datetime(when.astimezone(datetime.UTC)) if when else ""
        self._element("pubDate", pub_date, raw=True)
        self._element("dc:creator", post.creator)
        self.out.write(f'\t\t<guid isPermaLink="false">{cdata(post.link)}</guid>\n')
        self._element("description", "", raw=True)
        self._element("content:encoded", post.content)
        self._element("excerpt:encoded", post.excerpt)
        self._element("wp:post_id", post.id, raw=True)
        self._element("wp:post_date", _local(when))
        self._element("wp:post_date_gmt", _utc(post.date))
        self._element("wp:post_modified", _local(post.modified or when))
        self._element("wp:post_modified_gmt", _utc(post.modified or when))
        self._element("wp:comment_status", post.comment_status)
        self._element("wp:ping_status", "closed")
        self._element("wp:post_name", post.name)
        self._element("wp:status", post.status)
        self._element("wp:post_parent", 0, raw=True)
        self._element("wp:menu_order", 0, raw=True)
        self._element("wp:post_type", post.post_type)
        self._element("wp:post_password", "")
        self._element("wp:is_sticky", 0, raw=True)
        for comment in post.comments:
            self._comment(comment)
        self.out.write("\t</item>\n")

    def _comment(self, comment: WxrComment) -> None:
        self.out.write("\t\t<wp:comment>\n")
        for name, value, raw in [
            ("wp:comment_id", comment.id, True),
            ("wp:comment_author", comment.author, False),
            ("wp:comment_author_email", comment.author_email, False),
            ("wp:comment_author_url", comment.author_url, False),
            ("wp:comment_author_IP", comment.author_ip, False),
            ("wp:comment_date", _local(comment.date), False),
            ("wp:comment_date_gmt", _utc(comment.date), False),
            ("wp:comment_content", comment.content, False),
            ("wp:comment_approved", comment.approved, False),
            ("wp:comment_type", comment.type, False),
            ("wp:comment_parent", comment.parent, True),
            ("wp:comment_user_id", 0, True),
        ]:
            self._element(name, value, 3, raw=raw)
        self.out.write("\t\t</wp:comment>\n")

    def end(self) -> None:
        self.out.write("</channel>\n</rss>\n")
