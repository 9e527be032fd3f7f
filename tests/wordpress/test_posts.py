"""Converting WordPress posts: HTML to Markdown and to text, slugs, and articles going out."""

import pytest

from articles.markdown import render_markdown
from tests.factories import ArticleFactory, UserFactory
from wordpress.posts import (
    autop,
    html_to_markdown,
    html_to_text,
    post_from_article,
    text_to_html,
    wordpress_slug,
)


def test_autop_makes_paragraphs_and_line_breaks_like_wordpress():
    assert autop("One\n\nTwo\nlines\r\n\r\n<h2>Head</h2>") == (
        "<p>One</p>\n\n<p>Two<br>\nlines</p>\n\n<h2>Head</h2>"
    )


def test_autop_leaves_preformatted_text_and_block_editor_posts_alone():
    assert autop("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>"
    block = "<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->\n\ny"
    assert autop(block) == block


@pytest.mark.parametrize(
    "html, markdown",
    [
        ("<h1>Title</h1><h3>Sub</h3>", "# Title\n\n### Sub\n"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two\n"),
        ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two\n"),
        ("<p><em>a</em> <strong>b</strong> <code>c_d</code></p>", "*a* **b** `c_d`\n"),
        ("<blockquote><p>quoted</p></blockquote>", "> quoted\n"),
        ("<pre><code>x = 1\n\ny = 2</code></pre>", "```\nx = 1\n\ny = 2\n```\n"),
        ('<a href="https://e.org/a (b)">t</a>', "[t](https://e.org/a%20%28b%29)\n"),
        ('<a href="mailto:a@e.org">mail</a>', "[mail](mailto:a@e.org)\n"),
        ('<a href="javascript:alert(1)">t</a>', "t\n"),
        ('<a href="data:text/html,x">t</a>', "t\n"),
        ('<img src="/media/uploads/a.png" alt="A">', "![A](/media/uploads/a.png)\n"),
        ('<img src="https://old.example/a.png" alt="A">', "[A](https://old.example/a.png)\n"),
        ('<img src="//old.example/a.png" alt="A">', "A\n"),
        (
            '<iframe src="https://video.example/embed/1"></iframe>',
            "[Embedded content](https://video.example/embed/1)\n",
        ),
        ("<script>alert(1)</script><style>p{}</style><form>f</form>ok", "ok\n"),
        ("<p>a snake_case word</p>", "a snake_case word\n"),
        (
            "<p>&lt;b&gt;not bold&lt;/b&gt; &amp;copy; 1 &lt; 2</p>",
            "&lt;b>not bold&lt;/b> &amp;copy; 1 < 2\n",
        ),
        (
            '[caption id="a1" align="alignnone"]<img src="/m/a.png" alt="A"> A caption[/caption]',
            "![A](/m/a.png) A caption\n",
        ),
    ],
)
def test_html_to_markdown(html, markdown):
    assert html_to_markdown(html) == markdown


def test_text_that_looks_like_markup_stays_text_once_rendered():
    """A post that shows "<b>" and "&copy;" as text still shows them after the move."""
    html = render_markdown(html_to_markdown("<p>&lt;b&gt;not bold&lt;/b&gt; &amp;copy;</p>"))
    assert html == "<p>&lt;b&gt;not bold&lt;/b&gt; &amp;copy;</p>"


@pytest.mark.parametrize(
    "fragment, text",
    [
        ("Plain\nlines", "Plain\nlines"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("a<br>b<br />c", "a\nb\nc"),
        ('<a href="https://e.org/">site</a>', "site (https://e.org/)"),
        ('<a href="https://e.org/">https://e.org/</a>', "https://e.org/"),
        ('<a href="https://e.org/"></a>', "https://e.org/"),
        ('<a href="javascript:x">trap</a>', "trap"),
        ("x <script>alert(1)</script>y", "x y"),
        ("&amp; &lt;3 &#039;q&#039; &hellip;", "& <3 'q' …"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
    ],
)
def test_html_to_text(fragment, text):
    assert html_to_text(fragment) == text


def test_html_to_text_on_one_line_for_titles():
    assert html_to_text("  Tom &amp;\n <b>Jerry</b> ", single_line=True) == "Tom & Jerry"


def test_text_to_html_is_undone_by_html_to_text():
    text = "I <3 this & &amp; that\n\nnext"
    assert html_to_text(text_to_html(text)) == text


@pytest.mark.parametrize(
    "name, slug",
    [
        ("hello-world", "hello-world"),
        ("%c3%a7a-va", "ca-va"),
        ("Hello World", "hello-world"),
        ("%f0%9f%98%96", ""),
        ("x" * 300, "x" * 200),
    ],
)
def test_wordpress_slug(name, slug):
    assert wordpress_slug(name) == slug


@pytest.mark.django_db
@pytest.mark.parametrize(
    "traits, status",
    [({}, "publish"), ({"scheduled": True}, "future"), ({"draft": True}, "draft")],
)
def test_an_article_goes_out_as_a_wordpress_post(traits, status):
    article = ArticleFactory(
        title="Tom & <Jerry>",
        summary="Short & sweet",
        author=UserFactory(username="ed"),
        allow_comments=False,
        **traits,
    )
    post = post_from_article(article)
    assert post.id == article.pk
    assert post.status == status
    assert post.title == "Tom &amp; &lt;Jerry&gt;"
    assert post.excerpt == "Short &amp; sweet"
    assert post.content == article.body_html
    assert post.creator == "ed"
    assert post.name == article.slug
    assert post.comment_status == "closed"
    assert post.link == f"https://nervepain.example{article.get_absolute_url()}"
    assert post.date == (None if status == "draft" else article.published_at)
    assert post.post_type == "post"
