"""The editors' uploaded images (Articles, Images): where each is shown (the articles, pages
and calls-to-action whose Markdown holds its address, or a size copy's, and unsaved drafts),
which saved versions show it, and its files removed from storage once its row is deleted."""

import operator
import re
from functools import reduce

import reversion
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max, Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from reversion.models import Version

from articles import frontcache
from articles.models import Article, ArticleDraft, CallToAction, PublisherPage

# What may show an image: the model, its Markdown field, its name, and how the admin names it.
SHOWN_IN = [
    (Article, "body", "title", "Article", "admin:articles_article_change"),
    (PublisherPage, "content", "title", "Page", "admin:articles_publisherpage_change"),
    (CallToAction, "text", "name", "Call-to-action", "admin:articles_calltoaction_change"),
]

# A stored name as an upload makes it (``uploads/<random>-<w>x<h>.<ext>``, a copy ``…-480w.<ext>``).
STORED_NAME = re.compile(re.escape(settings.MARKDOWNX_MEDIA_PATH) + r"[\w.-]+")
COPY_SUFFIX = re.compile(r"-\d+w(\.\w+)$")
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")


def stem(image) -> str:
    """What every stored file of the image begins with, and nothing else's: its stored name
    without the extension (``uploads/<random>-<w>x<h>``). A text may hold any of them: the
    image, or a size copy (``…-480w.jpg``, the address a reader's "copy image address" gives).
    One LIKE on it finds them all, at the cost of one for the image alone."""
    return image.path.rpartition(".")[0]


def shows(text: str, image) -> bool:
    """Whether ``text`` holds the address of the image or of one of its size copies."""
    return any(name in text for name in image.stored_files())


def where_used(images) -> dict[int, list[dict]]:
    """For each image, what shows it: ``{"label", "url"}`` each (``url`` None for an unsaved
    draft). One query per kind of text, however many images."""
    images = list(images)
    found = {image.pk: [] for image in images}
    if not images:
        return found
    for model, field, name, kind, url_name in SHOWN_IN:
        holds_any = reduce(operator.or_, (Q(**{f"{field}__contains": stem(i)}) for i in images))
        rows = model.objects.filter(holds_any).order_by(name).values_list("pk", name, field)
        for pk, label, text in rows:
            for image in images:
                if shows(text, image):
                    url = reverse(url_name, args=[pk])
                    found[image.pk].append({"label": f"{kind}: {label}", "url": url})
    # An article's draft keeps its text as "body", a call-to-action's as "text". Only the drafts
    # whose stored form holds one of the names are read, as with the other texts: not them all.
    as_text = ArticleDraft.objects.annotate(as_text=Cast("data", TextField()))
    holds_any = reduce(operator.or_, (Q(as_text__contains=stem(i)) for i in images))
    drafts = [
        str(data.get("body", "")) + str(data.get("text", ""))
        for data in as_text.filter(holds_any).values_list("data", flat=True)
    ]
    for image in images:
        if any(shows(body, image) for body in drafts):
            found[image.pk].append({"label": "An unsaved draft in the editor", "url": None})
    return found


def unused(images):
    """The images no article, page, call-to-action or unsaved draft shows, for a list's filter.

    Each text is read once, for the stored names it holds (an image's, or a smaller copy's,
    taken back to the image's), and the database leaves those images out: linear in the
    texts, where asking the database to search every text for every image's name (a LIKE
    joined to the images) took 18 s for 2,000 images and 300 articles of 17,000 characters."""
    shown = set()
    for model, field, *_rest in SHOWN_IN:
        rows = model.objects.filter(**{f"{field}__contains": settings.MARKDOWNX_MEDIA_PATH})
        for text in rows.values_list(field, flat=True).iterator():
            shown.update(stored_names(text))
    for data in ArticleDraft.objects.values_list("data", flat=True).iterator():
        shown.update(stored_names(str(data.get("body", "")) + str(data.get("text", ""))))
    return images.exclude(path__in=shown)


def stored_names(text: str) -> set[str]:
    """The uploads' stored names the text holds, a smaller copy's given as its image's."""
    return {COPY_SUFFIX.sub(r"\1", name.rstrip(".")) for name in STORED_NAME.findall(text)}


def descriptions(images) -> dict[int, str]:
    """For each image a text shows, the description it is given there (``![this](…)``): what
    tells apart uploads of one file. The newest article's first, then pages', then calls-to-
    action's. One query per kind of text, however many images: for a list's page."""
    images = list(images)
    found = {}
    if not images:
        return found
    by_name = {name: image.pk for image in images for name in image.stored_files()}
    for model, field, *_rest in SHOWN_IN:
        holds_any = reduce(operator.or_, (Q(**{f"{field}__contains": stem(i)}) for i in images))
        texts = model.objects.filter(holds_any).order_by("-pk")
        for text in texts.values_list(field, flat=True):
            for alt, address in MARKDOWN_IMAGE.findall(text):
                for name in STORED_NAME.findall(address):
                    pk = by_name.get(name.rstrip("."))
                    if pk is not None and alt.strip():
                        found.setdefault(pk, alt.strip())
    return found


def described_with(words) -> dict[str, set[str]]:
    """For each word, the stored names of the images a text describes with it, any case
    (``![A bent knee](…)`` for "knee"): the editor's dialog finds an image by the words it
    shows under it, not only by its file's name. One query per kind of text, reading only
    the texts that hold an upload and one of the words."""
    words = [word.lower() for word in words]
    found = {word: set() for word in words}
    if not words:
        return found
    for model, field, *_rest in SHOWN_IN:
        any_word = reduce(operator.or_, (holds_any_case(field, word) for word in words))
        texts = model.objects.filter(
            any_word, **{f"{field}__contains": settings.MARKDOWNX_MEDIA_PATH}
        )
        for text in texts.values_list(field, flat=True).iterator():
            for alt, address in MARKDOWN_IMAGE.findall(text):
                alt = alt.lower()
                for word in words:
                    if word in alt:
                        found[word].update(stored_names(address))
    return found


def holds_any_case(field: str, text: str) -> Q:
    """``field`` holds ``text`` in any case, accented letters too ("élodie" finds "Élodie"):
    SQLite's LIKE, behind ``icontains``, folds only A to Z. A regular expression of the text
    as it is (``iregex``) is Python's ``re`` on SQLite and ``~*`` on PostgreSQL, which fold
    every letter."""
    return Q(**{f"{field}__iregex": re.escape(text)})


def found_by(images, query: str):
    """The images with every word of ``query`` (any case) in their file's name, their stored
    name or a description a text gives them: the Image dialog's search and the Images list's."""
    words = query.split()
    described = described_with(words)
    for word in words:
        images = images.filter(
            holds_any_case("original_name", word)
            | Q(path__icontains=word)
            | Q(path__in=described[word.lower()])
        )
    return images


def in_saved_versions(image) -> list[dict]:
    """The articles and pages whose saved versions show the image, deleted ones included:
    restored or recovered once the image is gone, such a version shows a broken image.
    ``{"label", "url", "versions"}`` each, ``url`` their History (or the deleted ones' list).
    It reads every version of those kinds: for one image's page, not for lists."""
    found = []
    for model, _field, _name, kind, url_name in SHOWN_IN:
        if not reversion.is_registered(model):
            continue
        rows = list(
            Version.objects.get_for_model(model)
            .filter(serialized_data__contains=stem(image))
            .values("object_id")
            .annotate(versions=Count("pk"), newest=Max("pk"))
            .order_by("-newest")
        )
        if not rows:
            continue
        names = dict(
            Version.objects.filter(pk__in=[row["newest"] for row in rows]).values_list(
                "object_id", "object_repr"
            )
        )
        ids = [row["object_id"] for row in rows]
        stored = model._base_manager.filter(pk__in=ids).values_list("pk", flat=True)
        there = {str(pk) for pk in stored}
        recover = reverse(url_name.replace("_change", "_recoverlist"))
        for row in rows:
            object_id = row["object_id"]
            label = f"{kind}: {names[object_id]}"
            if object_id in there:
                url = reverse(url_name.replace("_change", "_history"), args=[object_id])
            else:
                label, url = f"{label} (deleted)", recover
            found.append({"label": label, "url": url, "versions": row["versions"]})
    return found


def delete_files(sender, instance, **kwargs):
    """Signal receiver: an image's row is gone; its file and copies go once that commits, and
    then from the front caches too (they keep an image for a year)."""
    names = instance.stored_files()

    def delete():
        for name in names:
            default_storage.delete(name)
        frontcache.forget_files(names)

    transaction.on_commit(delete)
