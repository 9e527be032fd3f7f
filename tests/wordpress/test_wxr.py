"""The WXR format: what WordPress writes is read, and what we write reads back the same."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest

from tests.wordpress.wxr_builder import comment, post, wxr
from wordpress.wxr import WxrAuthor, WxrComment, WxrError, WxrPost, WxrReader, WxrWriter, cdata

UTC = datetime.UTC
NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def read(data: bytes) -> tuple[WxrReader, list[WxrPost]]:
    reader = WxrReader(io.BytesIO(data))
    return reader, list(reader.posts())


def test_reader_reads_posts_comments_and_authors():
    reader, posts = read(
        wxr(
            post(
                5,
                title="T",
                content="<p>C</p>",
                excerpt="E",
                comments=[comment(9, parent=8, approved="spam", ip="192.0.2.9")],
            )
        )
    )
    assert reader.version == "1.2"
    assert reader.base_url == "https://old.example"
    assert reader.authors["editor"].display_name == "The Editor"
    [only] = posts
    assert (only.id, only.title, only.content, only.excerpt) == (5, "T", "<p>C</p>", "E")
    assert (only.status, only.post_type, only.name, only.creator) == (
        "publish",
        "post",
        "post-5",
        "editor",
    )
    assert only.date == datetime.datetime(2023, 4, 1, 9, 30, tzinfo=UTC)
    [read_comment] = only.comments
    assert (read_comment.id, read_comment.parent, read_comment.approved) == (9, 8, "spam")
    assert read_comment.author_ip == "192.0.2.9"


def test_a_draft_without_a_gmt_date_has_no_date():
    """WordPress writes 0000-00-00 for drafts and "-0001" in their pubDate."""
    data = wxr(post(1, status="draft", date_gmt="0000-00-00 00:00:00")).replace(
        b"Sat, 01 Apr 2023 09:30:00 +0000", b"Mon, 30 Nov -0001 00:00:00 +0000"
    )
    _, [draft] = read(data)
    assert draft.date is None


def test_the_rss_date_is_used_when_the_gmt_date_is_missing():
    data = wxr(post(1)).replace(
        b"<wp:post_date_gmt><![CDATA[2023-04-01 09:30:00]]>", b"<wp:post_date_gmt><![CDATA[]]>"
    )
    _, [only] = read(data)
    assert only.date == datetime.datetime(2023, 4, 1, 9, 30, tzinfo=UTC)


def test_reading_is_lazy():
    """Posts come one at a time: an error later in the file is met only when reached."""
    data = wxr(post(1), post(2)).replace(
        b"<wp:post_id>2</wp:post_id>", b"<wp:post_id>x</wp:post_id>"
    )
    posts = WxrReader(io.BytesIO(data)).posts()
    assert next(posts).id == 1
    with pytest.raises(WxrError, match="item 2: wp:post_id 'x' is not a number"):
        next(posts)


def test_an_item_without_an_id_is_an_error():
    with pytest.raises(WxrError, match="item 1: the <item> has no <wp:post_id>"):
        read(wxr(post(1)).replace(b"<wp:post_id>1</wp:post_id>", b""))


def test_cdata_is_split_around_its_end_marker():
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"
    assert ET.fromstring(f"<x>{cdata('a]]>b')}</x>").text == "a]]>b"


def test_cdata_drops_characters_xml_cannot_carry():
    section = cdata("a\x00b\x0bc\tok")
    assert ET.fromstring(f"<x>{section}</x>").text == "abc\tok"


def written(*posts: WxrPost, authors=()) -> str:
    out = io.StringIO()
    writer = WxrWriter(out)
    writer.start(
        title="Site & co",
        link="https://site.example",
        description="",
        language="en",
        authors=authors,
    )
    for item in posts:
        writer.item(item)
    writer.end()
    return out.getvalue()


def test_the_writer_writes_what_the_wordpress_importer_looks_for():
    """WordPress's importer reads wxr_version, the wp/excerpt prefixes, authors and items."""
    text = written(
        WxrPost(id=3, title="T", content="<p>x</p>", status="publish", name="t"),
        authors=[WxrAuthor(login="ed", email="ed@example.org", display_name="Ed")],
    )
    assert 'xmlns:wp="http://wordpress.org/export/1.2/"' in text
    assert 'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"' in text
    root = ET.fromstring(text)
    channel = root.find("channel")
    assert channel.find("wp:wxr_version", NS).text == "1.2"
    assert channel.find("wp:base_site_url", NS).text == "https://site.example"
    assert channel.find("wp:author/wp:author_login", NS).text == "ed"
    item = channel.find("item")
    for name in (
        "title",
        "link",
        "pubDate",
        "dc:creator",
        "guid",
        "content:encoded",
        "excerpt:encoded",
        "wp:post_id",
        "wp:post_date",
        "wp:post_date_gmt",
        "wp:comment_status",
        "wp:post_name",
        "wp:status",
        "wp:post_type",
    ):
        assert item.find(name, NS) is not None, name


def test_what_is_written_reads_back_the_same():
    when = datetime.datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    original = WxrPost(
        id=3,
        title="Ça & <b>]]></b>",
        link="https://site.example/articles/t/",
        creator="ed",
        content="<p>x ]]> y</p>",
        excerpt="E &amp; F",
        date=when,
        modified=when,
        name="t",
        status="future",
        comment_status="closed",
        comments=[
            WxrComment(
                id=1,
                author="Zoë",
                author_email="z@example.org",
                author_url="https://z.example/",
                author_ip="2001:db8::1",
                date=when,
                content="I &lt;3 it",
                approved="0",
                parent=0,
            ),
            WxrComment(id=2, date=when, approved="trash", parent=1),
        ],
        item_number=1,
    )
    _, [copy] = read(written(original).encode())
    assert copy == original
