"""The editors' uploaded images (Articles, Images): where each is shown (the articles, pages
and calls-to-action whose Markdown holds its address, and unsaved drafts), and its files
removed from storage once its row is deleted."""

import operator
from functools import reduce

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from articles.models import Article, ArticleDraft, CallToAction, PublisherPage

# What may show an image: the model, its Markdown field, its name, and how the admin names it.
SHOWN_IN = [
    (Article, "body", "title", "Article", "admin:articles_article_change"),
    (PublisherPage, "content", "title", "Page", "admin:articles_publisherpage_change"),
    (CallToAction, "text", "name", "Call-to-action", "admin:articles_calltoaction_change"),
]


def where_used(images) -> dict[int, list[dict]]:
    """For each image, what shows it: ``{"label", "url"}`` each (``url`` None for an unsaved
    draft). One query per kind of text, however many images."""
    images = list(images)
    found = {image.pk: [] for image in images}
    if not images:
        return found
    for model, field, name, kind, url_name in SHOWN_IN:
        holds_any = reduce(operator.or_, (Q(**{f"{field}__contains": i.path}) for i in images))
        rows = model.objects.filter(holds_any).order_by(name).values_list("pk", name, field)
        for pk, label, text in rows:
            for image in images:
                if image.path in text:
                    url = reverse(url_name, args=[pk])
                    found[image.pk].append({"label": f"{kind}: {label}", "url": url})
    drafts = [
        str(data.get("body", "")) for data in ArticleDraft.objects.values_list("data", flat=True)
    ]
    for image in images:
        if any(image.path in body for body in drafts):
            found[image.pk].append({"label": "An unsaved draft in the editor", "url": None})
    return found


def delete_files(sender, instance, **kwargs):
    """Signal receiver: an image's row is gone; its file and copies go once that commits."""
    names = instance.stored_files()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
