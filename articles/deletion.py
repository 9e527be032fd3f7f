"""Deleting an article when other apps keep readers' data about it.

The articles app does not know what other apps keep about an article; each of them answers
``collect_dependents`` with what it holds (a :class:`Dependent`: how many, and what), and guards
the deletion itself with a ``pre_delete`` receiver: inside :func:`erasing_dependents` it erases
what it keeps, in the deletion's own transaction; anywhere else it refuses with
``ProtectedError``. So no path, the admin or code, deletes an article and leaves readers'
data behind by accident, and the admin can say what deleting would take with it.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.dispatch import Signal

# Sent with ``articles`` (an iterable of articles); receivers return a list of Dependent.
collect_dependents = Signal()


@dataclass(frozen=True)
class Dependent:
    """Data another app keeps about one or more articles, erased if they are deleted."""

    count: int
    description: str  # what a person deciding reads: "3 comments by readers (...)"
    permission: str  # the permission needed to erase it, "app_label.codename"
    name: str  # what to call it where that permission is missing: "comments"


@dataclass(frozen=True)
class Erasure:
    """A deletion that erases what other apps keep about the articles; ``user`` asked for it."""

    user: object = None


_erasure: ContextVar[Erasure | None] = ContextVar("articles_erasure", default=None)


@contextmanager
def erasing_dependents(user=None) -> Iterator[Erasure]:
    """Articles deleted inside this block take what other apps keep about them along."""
    erasure = Erasure(user)
    token = _erasure.set(erasure)
    try:
        yield erasure
    finally:
        _erasure.reset(token)


def current_erasure() -> Erasure | None:
    """The erasure a deletion runs in, or None: then dependents refuse the deletion."""
    return _erasure.get()


def dependents_of(articles: Iterable) -> list[Dependent]:
    """What other apps keep about these articles (nothing kept: an empty list)."""
    from articles.models import Article

    articles = list(articles)
    if not articles:
        return []
    found = []
    for _receiver, answer in collect_dependents.send(sender=Article, articles=articles):
        found.extend(dependent for dependent in answer or [] if dependent.count)
    return found
