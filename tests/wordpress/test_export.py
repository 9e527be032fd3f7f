"""``manage.py export_wordpress``: everything goes out as a file WordPress's importer accepts,
and comes back in the same."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory
from tests.wordpress.wxr_builder import author, comment, post, wxr

pytestmark = pytest.mark.django_db

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def export() -> str:
    out = io.StringIO()
    call_command("export_wordpress", stdout=out)
    return out.getvalue()


def site_content():
    """What readers and editors wrote, without database ids: articles, and each comment with
    its thread position given by its parent's text and date."""
    articles = sorted(
        (
            a.wp_post_id is not None,
            a.title,
            a.slug,
            a.summary,
            a.body_html,
            a.status,
            # WordPress keeps dates to the second.
            a.published_at.replace(microsecond=0) if a.status == Article.Status.PUBLISHED else None,
            a.allow_comments,
            a.author.username if a.author else None,
        )
        for a in Article.objects.select_related("author")
    )
    by_pk = {c.pk: c for c in Comment.objects.all()}

    def identity(c):
        return (c.submit_date.replace(microsecond=0), c.comment, c.user_name)

    comments = sorted(
        (
            Article.objects.get(pk=c.object_pk).slug,
            identity(c),
            c.user_email,
            c.user_url,
            c.ip_address,
            c.state,
            c.level,
            identity(by_pk[c.parent_id]) if c.is_reply else None,
        )
        for c in by_pk.values()
    )
    return [a[1:] for a in articles], comments


def clear_site():
    Comment.objects.all().delete()
    Article.objects.all().delete()


def reimport(tmp_path, data: bytes) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    call_command("import_wordpress", str(path), stdout=io.StringIO())


def test_the_file_is_wxr_1_2_with_every_article_and_comment():
    article = ArticleFactory(title="Published")
    ArticleFactory(title="Draft", draft=True)
    ArticleFactory(title="Scheduled", scheduled=True)
    top = CommentFactory(article=article, state=Comment.State.PUBLISHED)
    CommentFactory(article=article, parent=top, state=Comment.State.PENDING)
    CommentFactory(article=article, state=Comment.State.SPAM)
    CommentFactory(article=article, state=Comment.State.REMOVED)

    channel = ET.fromstring(export()).find("channel")
    assert channel.find("wp:wxr_version", NS).text == "1.2"
    items = {item.find("title").text: item for item in channel.findall("item")}
    assert {name: item.find("wp:status", NS).text for name, item in items.items()} == {
        "Published": "publish",
        "Draft": "draft",
        "Scheduled": "future",
    }
    published = items["Published"]
    assert published.find("content:encoded", NS).text == article.body_html
    exported = {
        int(c.find("wp:comment_id", NS).text): (
            c.find("wp:comment_approved", NS).text,
            int(c.find("wp:comment_parent", NS).text),
        )
        for c in published.findall("wp:comment", NS)
    }
    assert sorted(exported.values()) == [("0", top.pk), ("1", 0), ("spam", 0), ("trash", 0)]


def test_output_goes_to_a_file(tmp_path):
    ArticleFactory()
    out = io.StringIO()
    path = tmp_path / "site.xml"
    call_command("export_wordpress", "--output", str(path), stdout=out)
    assert "Wrote 1 article(s) and 0 comment(s)" in out.getvalue()
    assert ET.parse(path).getroot().tag == "rss"


def test_commenters_text_is_escaped_so_wordpress_shows_it_as_written():
    CommentFactory(comment="I <3 this & <b>that</b>")
    text = export()
    assert "I &lt;3 this &amp; &lt;b&gt;that&lt;/b&gt;" in text


def test_import_export_import_gives_the_same_content(tmp_path):
    """The round trip: a WordPress site imported, exported and imported into an empty site
    has the same articles, comments, threads and states."""
    original = wxr(
        post(
            1,
            title="Ça va? Tom &amp; Jerry 😖",
            name="%c3%a7a-va",
            excerpt="Short <em>excerpt</em>",
            content=(
                "<h2>Why</h2>\n\nA paragraph with <strong>bold</strong>, a "
                '<a href="https://example.org/x">link</a>, <script>x()</script>and a list:\n'
                "<ul><li>one</li><li>two</li></ul>\n<pre>code\n\nblock</pre>\n"
                "<blockquote>quoted</blockquote><table><tr><th>a</th></tr><tr><td>b</td></tr></table>"
            ),
            creator="ed",
            comments=[
                comment(10, author="Zoë", content="First &lt;3 ]]> & more\nline two"),
                comment(11, parent=10, approved="0", date_gmt="2023-05-02 00:00:00"),
                comment(12, parent=11, approved="spam", date_gmt="2023-05-03 00:00:00"),
                comment(13, parent=12, date_gmt="2023-05-04 00:00:00", url="https://z.example/"),
                comment(14, approved="trash", ip="", date_gmt="2023-05-05 00:00:00"),
            ],
        ),
        post(2, status="draft", title="Draft", comment_status="closed"),
        post(3, status="future", date_gmt="2099-01-01 00:00:00", title="Later"),
        authors=author("ed", email="ed@example.org"),
    )
    reimport(tmp_path, original)
    first = site_content()
    first_bodies = sorted(Article.objects.values_list("title", "body"))

    exported = export().encode()
    clear_site()
    reimport(tmp_path, exported)

    assert site_content() == first
    assert sorted(Article.objects.values_list("title", "body")) == first_bodies
    assert Comment.objects.count() == 5


def test_content_written_here_survives_export_and_import(tmp_path):
    """Readers' words written on this site are never locked in."""
    article = ArticleFactory(
        title="Written here",
        body="## Section\n\nSome *text* with a [link](https://example.org/).\n\n- a\n- b\n",
        author=UserFactory(username="writer"),
    )
    top = CommentFactory(article=article, comment="Mine: a < b & c\n\nSecond paragraph.")
    reply = CommentFactory(article=article, parent=top, state=Comment.State.PENDING)
    CommentFactory(article=article, parent=reply, state=Comment.State.SPAM)
    CommentFactory(article=article, state=Comment.State.REMOVED, user_url="https://me.example/")
    ArticleFactory(draft=True)
    before = site_content()

    exported = export().encode()
    clear_site()
    reimport(tmp_path, exported)

    assert site_content() == before
