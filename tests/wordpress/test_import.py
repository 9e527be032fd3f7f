"""``manage.py import_wordpress``: a WordPress export becomes articles and their discussion."""

import datetime
import io
import tracemalloc

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, UserFactory
from tests.wordpress.wxr_builder import author, comment, post, wxr

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def run_import(tmp_path):
    """Write an export file and import it; return what the command printed."""

    def run(data: bytes, *args) -> str:
        path = tmp_path / "export.xml"
        path.write_bytes(data)
        out = io.StringIO()
        call_command("import_wordpress", str(path), *args, stdout=out)
        return out.getvalue()

    return run


def snapshot():
    """Everything an import writes, to compare two states of the database."""
    return (
        list(Article.objects.order_by("pk").values()),
        list(Comment.objects.order_by("pk").values()),
        list(get_user_model().objects.order_by("pk").values()),
    )


# -- Posts ---------------------------------------------------------------------------------------


def test_published_draft_and_scheduled_posts_become_articles(run_import):
    """Title, slug, dates, author and excerpt come over; a future post stays scheduled."""
    run_import(
        wxr(
            post(
                1,
                title="Why nerve pain flares",
                name="why-nerve-pain-flares",
                excerpt="A <em>short</em> answer.",
                date_gmt="2023-04-01 09:30:00",
                modified_gmt="2023-04-03 08:00:00",
            ),
            post(2, title="Not ready", status="draft", name=""),
            post(3, title="Next week", status="future", date_gmt="2099-01-01 08:00:00"),
        )
    )
    published = Article.objects.get(wp_post_id=1)
    assert published.title == "Why nerve pain flares"
    assert published.slug == "why-nerve-pain-flares"
    assert published.summary == "A short answer."
    assert published.status == Article.Status.PUBLISHED
    assert published.published_at == datetime.datetime(2023, 4, 1, 9, 30, tzinfo=UTC)
    assert published.created_at == datetime.datetime(2023, 4, 1, 9, 30, tzinfo=UTC)
    assert published.updated_at == datetime.datetime(2023, 4, 3, 8, 0, tzinfo=UTC)
    assert published.body_html == "<p>Some text.</p>"

    draft = Article.objects.get(wp_post_id=2)
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None
    assert draft.slug == "not-ready"  # a draft has no post_name yet: from its title

    scheduled = Article.objects.get(wp_post_id=3)
    assert scheduled.is_scheduled
    assert list(Article.objects.published()) == [published]


def test_pending_and_private_posts_are_kept_as_drafts_and_the_rest_skipped(run_import):
    """Unpublished writing is not lost; trash, auto-drafts, revisions and attachments are not
    articles, and pages only come in when asked for."""
    output = run_import(
        wxr(
            post(1, status="pending"),
            post(2, status="private"),
            post(3, status="trash"),
            post(4, status="auto-draft"),
            post(5, status="inherit", post_type="revision"),
            post(6, status="inherit", post_type="attachment"),
            post(7, post_type="page"),
        )
    )
    assert set(Article.objects.values_list("wp_post_id", "status")) == {
        (1, "draft"),
        (2, "draft"),
    }
    assert "1 attachment/inherit" in output
    assert "1 page/publish" in output


def test_pages_are_imported_when_asked(run_import):
    """``--post-type page`` brings WordPress pages in as articles too."""
    run_import(
        wxr(post(1), post(2, post_type="page")), "--post-type", "post", "--post-type", "page"
    )
    assert set(Article.objects.values_list("wp_post_id", flat=True)) == {1, 2}


def test_authors_become_inactive_users_or_existing_ones(run_import):
    """A known email links the existing user; an unknown author gets an account that cannot
    log in."""
    staff = UserFactory(username="someone-else", email="Ed@Example.org", is_staff=True)
    run_import(
        wxr(
            post(1, creator="ed"),
            post(2, creator="guest"),
            authors=author("ed", email="ed@example.org")
            + author("guest", display_name="Guest Writer"),
        )
    )
    assert Article.objects.get(wp_post_id=1).author == staff
    guest = Article.objects.get(wp_post_id=2).author
    assert guest.username == "guest"
    assert guest.first_name == "Guest Writer"
    assert not guest.is_active
    assert not guest.has_usable_password()
    assert not guest.is_staff


def test_a_taken_slug_gets_the_post_id_and_the_command_says_so(run_import):
    """An existing article keeps its address; the imported one is told apart, not merged."""
    ArticleFactory(slug="hello")
    output = run_import(wxr(post(7, name="hello")))
    assert Article.objects.get(wp_post_id=7).slug == "hello-7"
    assert "slug 'hello' was taken: now 'hello-7'" in output


def test_closed_comments_stay_closed(run_import):
    run_import(wxr(post(1, comment_status="closed"), post(2, comment_status="open")))
    assert not Article.objects.get(wp_post_id=1).allow_comments
    assert Article.objects.get(wp_post_id=2).allow_comments


def test_wxr_1_1_exports_are_read(run_import):
    """Older WordPress versions write the 1.1 namespaces; the content is the same."""
    run_import(wxr(post(1, excerpt="Old excerpt", comments=[comment(3)]), version="1.1"))
    article = Article.objects.get(wp_post_id=1)
    assert article.summary == "Old excerpt"
    assert Comment.objects.get().wp_comment_id == 3


# -- HTML ----------------------------------------------------------------------------------------


def test_post_html_becomes_markdown_and_is_sanitised(run_import):
    """Scripts, event handlers and javascript: links never reach the page; the text does."""
    run_import(
        wxr(
            post(
                1,
                content=(
                    "<h1>Heading</h1>\n"
                    "<p>Keep <strong>this</strong> <script>alert('s')</script>"
                    '<a href="javascript:alert(1)">click</a> '
                    '<a href="https://example.org/a" onclick="alert(2)">a link</a></p>\n'
                    '<img src="/media/uploads/x.png" onerror="alert(3)" alt="local">'
                    '<p onmouseover="alert(4)">Hover</p><style>p{}</style>'
                    '<iframe src="javascript:alert(5)"></iframe>'
                ),
            )
        )
    )
    article = Article.objects.get()
    html = article.body_html
    for bad in ("<script", "alert", "javascript:", "onerror", "onclick", "onmouseover", "<h1"):
        assert bad not in html
    assert "<h2" in html and "Heading" in html
    assert "<strong>this</strong>" in html
    assert '<a href="https://example.org/a" rel="noopener">a link</a>' in html
    assert "click" in html
    assert '<img alt="local" decoding="async" loading="lazy" src="/media/uploads/x.png">' in html
    assert "Hover" in html
    assert "javascript:" not in article.body  # the Markdown is clean too


def test_classic_editor_paragraphs_and_line_breaks_survive(run_import):
    """WordPress stores classic posts without <p>; blank lines are paragraphs, as it shows them."""
    run_import(wxr(post(1, content="First paragraph.\n\nSecond, line one\nline two.")))
    assert Article.objects.get().body_html == (
        "<p>First paragraph.</p>\n<p>Second, line one<br>\nline two.</p>"
    )


def test_images_from_the_old_site_become_links(run_import):
    """Our pages show only images uploaded here; the reader still gets to the old image."""
    run_import(wxr(post(1, content='<p><img src="https://old.example/a.jpg" alt="X-ray"></p>')))
    assert '<a href="https://old.example/a.jpg" rel="noopener">X-ray</a>' in (
        Article.objects.get().body_html
    )


def test_odd_characters_survive(run_import):
    """Accents, emoji, right-to-left text, entities, "]]>" and percent-encoded slugs."""
    title = "Ça va? Névralgie 😖 — אני &amp; &lt;you&gt;"
    run_import(
        wxr(
            post(
                1,
                title=title,
                name="%c3%a7a-va-n%c3%a9vralgie",
                content="<p>Dose &lt; 5 mg &amp; a ]]> marker, “quotes”.</p>",
                comments=[
                    comment(
                        10,
                        author="Zoë \u202eevil\u202c O&#039;Brien",
                        content="I &lt;3 this &amp; ]]> that\nSecond line 😊",
                    )
                ],
            )
        )
    )
    article = Article.objects.get()
    assert article.title == "Ça va? Névralgie 😖 — אני & <you>"
    assert article.slug == "ca-va-nevralgie"
    assert "Dose &lt; 5 mg &amp; a ]]&gt; marker, “quotes”." in article.body_html
    imported = Comment.objects.get()
    assert imported.user_name == "Zoë evil O'Brien"  # direction overrides dropped
    assert imported.comment == "I <3 this & ]]> that\nSecond line 😊"
    assert imported.comment_html == "<p>I &lt;3 this &amp; ]]&gt; that<br>Second line 😊</p>"


def test_comment_html_becomes_plain_text(run_import):
    """Tags go, text and paragraphs stay, a link keeps its address; nothing is executed."""
    run_import(
        wxr(
            post(
                1,
                comments=[
                    comment(
                        10,
                        content=(
                            '<strong>Bold</strong> and <a href="https://example.org/">a site</a>'
                            "<script>alert(1)</script>\n\n<blockquote>quoted</blockquote>"
                            '<a href="javascript:alert(2)">trap</a>'
                        ),
                    )
                ],
            )
        )
    )
    imported = Comment.objects.get()
    assert imported.comment == "Bold and a site (https://example.org/)\n\nquoted\n\ntrap"
    assert "<script" not in imported.comment_html
    assert "javascript" not in imported.comment_html


# -- Comments ------------------------------------------------------------------------------------


def test_comments_keep_author_email_website_ip_and_date(run_import):
    run_import(
        wxr(
            post(
                1,
                comments=[
                    comment(
                        10,
                        author="Maria",
                        email="maria@example.org",
                        url="https://maria.example/",
                        ip="2001:db8::1",
                        date_gmt="2023-06-07 08:09:10",
                    )
                ],
            )
        )
    )
    imported = Comment.objects.get()
    assert imported.content_object == Article.objects.get()
    assert (imported.user_name, imported.user_email, imported.user_url) == (
        "Maria",
        "maria@example.org",
        "https://maria.example/",
    )
    assert imported.ip_address == "2001:db8::1"
    assert imported.submit_date == datetime.datetime(2023, 6, 7, 8, 9, 10, tzinfo=UTC)
    assert imported.reason == Comment.Reason.IMPORTED
    assert not imported.followup


def test_bad_ips_and_website_schemes_are_dropped(run_import):
    run_import(wxr(post(1, comments=[comment(10, ip="not-an-ip", url="javascript:alert(1)")])))
    imported = Comment.objects.get()
    assert imported.ip_address is None
    assert imported.user_url == ""


@pytest.mark.parametrize(
    "approved, state",
    [
        ("1", "published"),
        ("0", "pending"),
        ("spam", "spam"),
        ("trash", "removed"),
        ("post-trashed", "removed"),
    ],
)
def test_every_comment_status_is_mapped(run_import, approved, state):
    """Approved ones are published, held ones wait for a moderator, spam stays spam, and
    trashed ones are removed."""
    run_import(wxr(post(1, comments=[comment(10, approved=approved)])))
    imported = Comment.objects.get()
    assert imported.state == state
    assert imported.is_public == (state == "published")
    assert imported.is_removed == (state == "removed")


def test_pingbacks_and_trackbacks_are_skipped(run_import):
    output = run_import(
        wxr(
            post(
                1,
                comments=[
                    comment(10),
                    comment(11, comment_type="pingback"),
                    comment(12, comment_type="trackback"),
                    comment(13, comment_type=""),
                ],
            )
        )
    )
    assert set(Comment.objects.values_list("wp_comment_id", flat=True)) == {10, 13}
    assert "skipped: 1 pingback, 1 trackback" in output


def test_threads_are_rebuilt_in_any_file_order(run_import):
    """comment_parent becomes our threading, even when a reply comes before its parent."""
    run_import(
        wxr(
            post(
                1,
                comments=[
                    comment(12, parent=11, date_gmt="2023-05-03 00:00:00"),
                    comment(10, date_gmt="2023-05-01 00:00:00"),
                    comment(11, parent=10, date_gmt="2023-05-02 00:00:00"),
                    comment(13, parent=10, date_gmt="2023-05-04 00:00:00"),
                    comment(14, date_gmt="2023-05-05 00:00:00"),
                ],
            )
        )
    )
    by_wp = {c.wp_comment_id: c for c in Comment.objects.all()}
    assert by_wp[10].parent_id == by_wp[10].pk and by_wp[10].level == 0
    assert by_wp[11].parent_id == by_wp[10].pk and by_wp[11].level == 1
    assert by_wp[12].parent_id == by_wp[11].pk and by_wp[12].level == 2
    assert by_wp[13].parent_id == by_wp[10].pk and by_wp[13].level == 1
    assert by_wp[14].level == 0
    order = [c.wp_comment_id for c in Comment.objects.order_by("thread_id", "order")]
    assert order == [10, 11, 12, 13, 14]


def test_replies_deeper_than_three_levels_attach_to_the_third(run_import):
    """WordPress nests ten levels deep, we nest three: deeper replies join the third level."""
    output = run_import(
        wxr(
            post(
                1,
                comments=[comment(10)] + [comment(n, parent=n - 1) for n in range(11, 16)],
            )
        )
    )
    by_wp = {c.wp_comment_id: c for c in Comment.objects.all()}
    assert [by_wp[n].level for n in range(10, 16)] == [0, 1, 2, 2, 2, 2]
    assert {by_wp[n].parent_id for n in range(12, 16)} == {by_wp[11].pk}
    assert "3 replies nested deeper" in output


def test_a_loop_of_parents_does_not_hang_the_import(run_import):
    run_import(wxr(post(1, comments=[comment(10, parent=11), comment(11, parent=10)])))
    assert Comment.objects.count() == 2


def test_importing_sends_no_email(run_import, moderator):
    """Held and published imported comments, replies to subscribers: nobody is emailed."""
    run_import(
        wxr(
            post(
                1,
                comments=[
                    comment(10, approved="0"),
                    comment(11, parent=10),
                    comment(12, approved="0", parent=11),
                ],
            )
        )
    )
    assert Comment.objects.count() == 3
    assert mail.outbox == []


# -- Idempotence, dry run, transactions ----------------------------------------------------------


def test_running_twice_changes_nothing(run_import):
    data = wxr(
        post(1, comments=[comment(10), comment(11, parent=10), comment(12, approved="0")]),
        post(2, status="draft"),
    )
    run_import(data)
    before = snapshot()
    output = run_import(data)
    assert snapshot() == before
    assert "0 were created, 2 already imported" in output
    assert "Comments: 0 were created, 3 already imported" in output


def test_a_newer_export_adds_only_what_is_new(run_import):
    """New posts and new replies to comments imported last time come in, threaded."""
    run_import(wxr(post(1, comments=[comment(10)])))
    first = Article.objects.get()
    first.title = "Edited here since"
    first.save()
    run_import(wxr(post(1, comments=[comment(10), comment(11, parent=10)]), post(2)))
    assert Article.objects.get(wp_post_id=1).title == "Edited here since"
    assert Article.objects.count() == 2
    reply = Comment.objects.get(wp_comment_id=11)
    assert reply.parent_id == Comment.objects.get(wp_comment_id=10).pk
    assert reply.level == 1


def test_dry_run_reports_and_saves_nothing(run_import):
    output = run_import(
        wxr(post(1, comments=[comment(10), comment(11, approved="spam")]), post(2)),
        "--dry-run",
    )
    assert Article.objects.count() == 0
    assert Comment.objects.count() == 0
    assert not get_user_model().objects.exists()
    assert "Dry run: nothing was saved." in output
    assert "Articles: 2 would be created" in output
    assert "Comments: 2 would be created (1 published, 1 spam)" in output


def test_a_malformed_file_changes_nothing_and_says_where(run_import):
    """Good posts before the break are not half-imported."""
    good = wxr(post(1, comments=[comment(10)]), post(2)).decode()
    broken = good.replace("<wp:post_id>2</wp:post_id>", "<wp:post_id>2</wp:post_ide>")
    with pytest.raises(CommandError) as error:
        run_import(broken.encode())
    line = broken[: broken.index("</wp:post_ide>")].count("\n") + 1
    assert f"line {line}" in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert snapshot() == ([], [], [])


def test_a_truncated_file_changes_nothing(run_import):
    data = wxr(post(1), post(2))
    with pytest.raises(CommandError, match="not well-formed XML"):
        run_import(data[: len(data) - 40])
    assert not Article.objects.exists()


def test_bad_values_are_reported_with_their_item(run_import):
    data = wxr(post(1), post(2, comments=[comment(10, date_gmt="yesterday")]))
    with pytest.raises(CommandError, match=r"item 2 \(post 2\), comment 10: 'yesterday'"):
        run_import(data)
    assert not Article.objects.exists()


def test_entity_expansion_is_refused(run_import):
    """A "billion laughs" file is refused before anything is expanded."""
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'.encode()
            for i in range(8)
        )
        + b"]>\n<rss><channel><title>&i;</title></channel></rss>"
    )
    with pytest.raises(CommandError, match="DTD"):
        run_import(bomb)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<html><body>hello</body></html>", "not <rss>"),
        (
            b"<rss><channel><item><title>x</title></item></channel></rss>",
            "no <wp:wxr_version> before the first <item>",
        ),
        (wxr(post(1), version="2.0"), "WXR version '2.0' is not supported"),
    ],
)
def test_files_that_are_not_wordpress_exports_are_refused(run_import, data, message):
    with pytest.raises(CommandError, match=message):
        run_import(data)


def test_a_missing_file_is_a_plain_error():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_wordpress", "/nonexistent/export.xml")


def test_memory_stays_bounded_by_the_largest_post(tmp_path):
    """The file is streamed: importing a multi-megabyte export needs a small fraction of its
    size (WordPress exports are mostly attachments, revisions and metadata we skip)."""
    filler = "x" * 20_000
    big_meta = (
        "<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{filler}]]></wp:meta_value></wp:postmeta>"
    )
    items = [
        post(n, status="inherit", post_type="attachment", extra=big_meta) for n in range(100, 500)
    ]
    items.insert(200, post(1, content="<p>" + "Long text. " * 200 + "</p>", comments=[comment(9)]))
    path = tmp_path / "big.xml"
    path.write_bytes(wxr(*items))
    size = path.stat().st_size
    assert size > 8_000_000

    # Load the importer's modules first: their code is not what this test measures.
    (tmp_path / "small.xml").write_bytes(wxr(post(1)))
    call_command("import_wordpress", str(tmp_path / "small.xml"), "--dry-run", stdout=io.StringIO())

    tracemalloc.start()
    try:
        call_command("import_wordpress", str(path), stdout=io.StringIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert Article.objects.count() == 1
    assert Comment.objects.count() == 1
    # Streaming peaks near 0.3 MB here; building the whole tree would take more than the file.
    assert peak < size / 16, f"peak {peak} bytes for a {size}-byte file"
