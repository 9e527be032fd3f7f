import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, CallToAction, Person, Reference, Tag, Topic
from comments.models import Comment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class CallToActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallToAction

    name = factory.Sequence(lambda n: f"Call to action {n}")
    heading = "Talk to us"
    text = "Tell us **what helped**."
    button_label = "Join the discussion"
    button_url = "#respond"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda t: slugify(t.name))
    description = "What this topic covers."


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda t: slugify(t.name))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary."
    body = "## A section\n\nSome *text*."
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
        )


class PersonFactory(factory.django.DjangoModelFactory):
    """A public health professional: an author or a medical reviewer."""

    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Dr Reviewer {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    credentials = "MD"
    job_title = "Consultant neurologist"
    bio = "Treats people with nerve pain."
    same_as = "https://example.org/reviewers/1"
    is_public = True


class ReferenceFactory(factory.django.DjangoModelFactory):
    """A source cited by an article; its body cites it as [@key]."""

    class Meta:
        model = Reference

    article = factory.SubFactory("tests.factories.ArticleFactory")
    position = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = "NHS"
    url = factory.Sequence(lambda n: f"https://www.nhs.uk/conditions/{n}/")
    accessed_on = datetime.date(2026, 1, 15)


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment on an article; pass ``parent=`` for a reply."""

    class Meta:
        model = Comment
        exclude = ["article", "parent"]

    article = factory.SubFactory(ArticleFactory)
    parent = None
    content_object = factory.SelfAttribute("article")
    site_id = 1
    user_name = factory.Sequence(lambda n: f"Reader {n}")
    user_email = factory.Sequence(lambda n: f"reader{n}@example.org")
    comment = "My nerve pain eased after a week."
    state = Comment.State.PUBLISHED
    ip_address = "192.0.2.10"
    parent_id = factory.LazyAttribute(lambda o: o.parent.pk if o.parent else 0)
