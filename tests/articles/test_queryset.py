import pytest

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_includes_only_articles_whose_date_has_come():
    """published() is the one rule for what readers see: no drafts, nothing scheduled."""
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)
    assert list(Article.objects.published()) == [live]


def test_published_chains_with_other_filters():
    ArticleFactory(title="Nerves")
    ArticleFactory(title="Backs")
    assert Article.objects.filter(title="Nerves").published().count() == 1


def test_draft_with_a_past_date_is_not_published():
    ArticleFactory(status=Article.Status.DRAFT)
    assert not Article.objects.published().exists()


def test_is_published_agrees_with_the_queryset():
    articles = [ArticleFactory(), ArticleFactory(draft=True), ArticleFactory(scheduled=True)]
    published = set(Article.objects.published())
    assert {a for a in articles if a.is_published} == published


def test_every_article_is_exactly_one_of_draft_scheduled_or_published():
    """The admin's "publication" column and filter agree with the querysets."""
    live, draft, later = (
        ArticleFactory(),
        ArticleFactory(draft=True),
        ArticleFactory(scheduled=True),
    )
    assert list(Article.objects.drafts()) == [draft]
    assert list(Article.objects.scheduled()) == [later]
    assert [a.publication_state for a in (live, draft, later)] == [
        "Published",
        "Draft",
        "Scheduled",
    ]
