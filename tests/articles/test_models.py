import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, CallToAction
from tests.factories import ArticleFactory, CallToActionFactory

pytestmark = pytest.mark.django_db


def test_body_html_is_rendered_and_sanitised_on_save():
    """Saving renders the Markdown body once into body_html, through the sanitiser."""
    article = ArticleFactory(body="## Heading\n\n<script>alert(1)</script>**bold**")
    assert (
        '<h2 id="heading"><a class="toclink" href="#heading" rel="noopener">Heading</a></h2>'
        in (article.body_html)
    )
    assert "<strong>bold</strong>" in article.body_html
    assert "<script" not in article.body_html


def test_body_html_follows_an_edit():
    article = ArticleFactory(body="First")
    article.body = "Second"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p>Second</p>"


def test_body_html_is_not_editable():
    """The admin never shows the derived HTML as a field."""
    assert not Article._meta.get_field("body_html").editable
    assert not CallToAction._meta.get_field("text_html").editable


def test_publishing_without_a_date_publishes_now():
    article = ArticleFactory(published_at=None)
    assert article.published_at is not None
    assert article.is_published


def test_summary_is_capped_at_160_characters():
    article = ArticleFactory.build(summary="x" * 161)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "summary" in error.value.message_dict


def test_absolute_url_uses_the_slug():
    assert ArticleFactory(slug="nerve-pain").get_absolute_url() == "/articles/nerve-pain/"


def test_call_to_action_text_is_rendered_on_save():
    cta = CallToActionFactory(text="Share [here](#respond) <img src=x onerror=alert(1)>")
    assert '<a href="#respond" rel="noopener">here</a>' in cta.text_html
    assert "onerror" not in cta.text_html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi", "https://"]
)
def test_call_to_action_refuses_unsafe_button_links(url):
    cta = CallToActionFactory.build(button_url=url)
    with pytest.raises(ValidationError) as error:
        cta.full_clean()
    assert "button_url" in error.value.message_dict


@pytest.mark.parametrize("url", ["#respond", "/articles/x/", "https://example.org/help"])
def test_call_to_action_accepts_page_links(url):
    CallToActionFactory.build(button_url=url).full_clean()
