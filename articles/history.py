"""Comparing and restoring saved versions of an article or a publisher's page in the admin
(django-reversion keeps them: an article's body, details, references and review sign-off; a
page's text, details and header and footer links; with who saved and when).

The history page lists every version; an editor or moderator picks two and sees, field by
field, what changed between them (a line diff for the text), and restores one with a button.
Restoring an article is its own permission (``articles.restore_article_version``), so a
moderator can undo a bad edit without being able to edit articles; a page is restored by whoever
may change pages. A restore is recorded as a new version, so it can be undone in turn. A page
keeps its address when the site needs it there (``FIXED_PAGES``) or another page has the
version's address now; the message says so.

``FirstVersionKept`` (articles and the publisher's pages) records an object saved outside the
admin as it was, before its first change there.
"""

import datetime
import difflib
from dataclasses import dataclass, field

import reversion
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version

from articles.models import DERIVED_FIELDS, Article, FooterLink, HeaderLink, Reference
from articles.site_pages import fixed_address_reason

# Bookkeeping, not content: left out of the comparison.
SKIPPED_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    *DERIVED_FIELDS,
    # Derived too: the search names, and the featured image's size (its file is compared).
    "search_topics",
    "search_vector",
    "featured_image_width",
    "featured_image_height",
}
REFERENCES_LABEL = gettext_lazy("References")
HEADER_LINK_LABEL = gettext_lazy("Header link")
FOOTER_LINK_LABEL = gettext_lazy("Footer link")
RESTORE_PERMISSION = "articles.restore_article_version"


@dataclass
class FieldChange:
    """One field that differs between the two versions, as lines marked ' ', '-' or '+'."""

    label: str
    lines: list[tuple[str, str]] = field(default_factory=list)


def _display(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (deleted)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        # To the minute, as the admin's lists show it. Its time box drops the microseconds a
        # date set in code carries: no change to an editor.
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _kept_with(version: Version, model, key: str) -> list[tuple[int, dict]]:
    """The rows of ``model`` saved in the same revision as ``version`` and pointing at its
    object through ``key``, with their ids."""
    content_type = ContentType.objects.get_for_model(model)
    return [
        (int(related.object_id), data)
        for related in version.revision.version_set.filter(content_type=content_type)
        if (data := related.field_dict)[key] == int(version.object_id)
    ]


def _references(version: Version) -> str:
    rows = sorted(
        (data["position"], pk, data) for pk, data in _kept_with(version, Reference, "article_id")
    )
    return "\n".join(
        f"[@{data['key']}] {data['title']}. {data['publisher']}. {data['url']}"
        + (f" Accessed {data['accessed_on']}." if data["accessed_on"] else "")
        for _, _, data in rows
    )


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Changed lines with two lines of context; ' ' unchanged, '-' removed, '+' added."""
    lines = []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for group in difflib.SequenceMatcher(None, old_lines, new_lines).get_grouped_opcodes(2):
        if lines:
            lines.append(("…", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [(" ", line) for line in old_lines[i1:i2]]
                continue
            lines += [("-", line) for line in old_lines[i1:i2]]
            lines += [("+", line) for line in new_lines[j1:j2]]
    return lines


def _page_link(model):
    """What a page's version held of its link in ``model`` (the header's or the footer's)."""

    def link(version: Version) -> str:
        links = _kept_with(version, model, "page_id")
        return "\n".join(
            _("%(label)s (position %(position)s)") % data for _pk, data in sorted(links)
        )

    return link


# What else a version holds, shown after the object's own fields.
KEPT_WITH = {
    Article: [(REFERENCES_LABEL, _references)],
    FlatPage: [
        (HEADER_LINK_LABEL, _page_link(HeaderLink)),
        (FOOTER_LINK_LABEL, _page_link(FooterLink)),
    ],
}


def compare_versions(old: Version, new: Version) -> list[FieldChange]:
    """What changed from ``old`` to ``new``: every differing field, then what was kept with
    the object (an article's references, a page's header and footer links)."""
    changes = []
    model = old._model
    old_data, new_data = old.field_dict, new.field_dict
    for model_field in model._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS:
            continue
        before = _display(model_field, old_data.get(model_field.attname))
        after = _display(model_field, new_data.get(model_field.attname))
        # Line by line: versions saved before line breaks were kept as stored differ in them
        # alone (CRLF, a final line break), which is no change to an editor.
        if before != after and (lines := _diff(before, after)):
            changes.append(FieldChange(str(model_field.verbose_name), lines))
    for label, text in KEPT_WITH.get(model, []):
        before, after = text(old), text(new)
        if before != after:
            changes.append(FieldChange(str(label), _diff(before, after)))
    return changes


def versions_of(obj) -> list[Version]:
    """Every saved version of the object, newest first, with who saved it."""
    return list(Version.objects.get_for_object(obj).select_related("revision", "revision__user"))


def can_restore(request, model_admin) -> bool:
    """Whoever may change the object; for an article, moderators too (they hold the restore
    permission)."""
    if model_admin.model is Article and request.user.has_perm(RESTORE_PERMISSION):
        return True
    return model_admin.has_change_permission(request)


def _url(model_admin, name: str, *args) -> str:
    opts = model_admin.model._meta
    return reverse(
        f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
    )


def _restore_url(model_admin, obj, version) -> str:
    return _url(model_admin, "restore", quote(obj.pk), version.pk)


def history_rows(model_admin, obj) -> list[dict]:
    """The history page's rows: each version with its restore address and, for an article,
    its publication when it was saved."""
    return [
        {
            "version": version,
            "saved_on": saved_on(version),
            "restore_url": _restore_url(model_admin, obj, version),
            "publication": version_publication(version) if isinstance(obj, Article) else "",
        }
        for version in versions_of(obj)
    ]


def version_publication(version: Version) -> str:
    """What readers saw of an article when this version was saved: History's comments ("Changed
    Status and Publish date.") did not say which save published, scheduled or withdrew it."""
    fields = version.field_dict
    published_at = fields.get("published_at")
    if fields.get("status") != Article.Status.PUBLISHED or published_at is None:
        return _("Status then: Draft")
    # The revision's time is taken as it starts, before a save stamps an empty date with now.
    if published_at - version.revision.date_created > datetime.timedelta(minutes=1):
        when = formats.date_format(timezone.localtime(published_at), "DATETIME_FORMAT")
        return _("Status then: Scheduled for %(when)s") % {"when": when}
    return _("Status then: Published")


# The admin's DATETIME_FORMAT (nervepain.formats) to the second: two saves in the same minute
# (a Save, then a quick correction) were two rows of History, and a restore's message, that
# read the same.
SAVED_ON_FORMAT = "j M Y, H:i:s"


def saved_on(version: Version) -> str:
    """When the version was saved, to the second ("6 Dec 2026, 09:44:03")."""
    return formats.date_format(timezone.localtime(version.revision.date_created), SAVED_ON_FORMAT)


def version_name(version: Version) -> str:
    """How a restore's message names a version: by when it was saved, or the one recorded
    before the first change in the admin (``keep_first_version``) by that. Recorded in the
    same second as that change, both read "the version saved on 7 Dec 2026, 08:32:12"."""
    if version.revision.comment == str(FIRST_VERSION_COMMENT):
        return _("the version from before its first change in the admin")
    return _("the version saved on %(date)s") % {"date": saved_on(version)}


def restore_view(model_admin, request, object_id, version_id):
    """POST: put the object (and what was kept with it) back as it was in that version."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    if not can_restore(request, model_admin):
        raise PermissionDenied
    version = get_object_or_404(Version.objects.get_for_object(obj), pk=version_id)
    message = _("Restored %(version)s.") % {"version": version_name(version)}
    # The newest version is the object as it was before the restore, and the restore is
    # recorded as a version of its own: one click on Restore undid an edit with nothing saying
    # the edit could be had back.
    undo = _("To undo this, restore %(version)s: it stays in History.") % {
        "version": version_name(versions_of(obj)[0])
    }
    with transaction.atomic(), reversion.create_revision():
        address = obj.url if isinstance(obj, FlatPage) else None
        # An article's publication is what readers see, not part of what a version brings back
        # (as WordPress's and Ghost's revisions): restoring the first draft's text to undo a bad
        # edit took a live article off the site, and the message did not say so.
        publication = (obj.status, obj.published_at) if isinstance(obj, Article) else None
        review = _review(obj) if isinstance(obj, Article) else None
        shown = _shown(obj) if isinstance(obj, Article) else None
        version.revision.revert(delete=True)
        # Reverting writes the stored rows as they were; saving renders an article's body
        # again with the restored references and records the result as the newest version.
        obj = type(obj).objects.get(pk=obj.pk)
        if publication is not None:
            obj.status, obj.published_at = publication
        if address is not None and (kept := _keep_address(obj, address)):
            message = f"{message} {kept}"
        obj.save()
        reversion.set_user(request.user)
        reversion.set_comment(message)
        model_admin.log_change(request, obj, message)
    if shown is not None:
        message = f"{message} {restored_parts(obj, shown)}".rstrip()
    if publication is not None:
        message = f"{message} {restored_publication(obj)}"
    if review is not None and _review(obj) != review:
        message = f"{message} {restored_review(obj, review)}"
    messages.success(request, f"{message} {undo}")
    return HttpResponseRedirect(_url(model_admin, "history", quote(obj.pk)))


def _review(article: Article) -> tuple:
    return (article.last_reviewed, article.reviewed_by_id, article.featured_image.name or "")


def restored_review(article: Article, before: tuple) -> str:
    """The medical review and the featured image a restore brought back with the text, where
    they differ from ``before`` (``_review``): readers read "not medically reviewed yet" after
    one, or lost the image, and the message did not say so."""
    said = []
    if (article.last_reviewed, article.reviewed_by_id) != before[:2]:
        if article.last_reviewed is None:
            said.append(
                _(
                    "Its medical review went back too: readers now read that it has not been "
                    "medically reviewed yet (record a sign-off to review it again)."
                )
            )
        else:
            by = _(" by %(name)s") % {"name": article.reviewed_by} if article.reviewed_by else ""
            when = formats.date_format(article.last_reviewed, "DATE_FORMAT")
            said.append(
                _("Its medical review went back too: reviewed on %(when)s%(by)s.")
                % {"when": when, "by": by}
            )
    if (article.featured_image.name or "") != before[2]:
        said.append(
            _("Its featured image went back too.")
            if article.featured_image
            else _("It has no featured image in this version.")
        )
    return " ".join(str(part) for part in said)


# What readers see of an article that a version brings back, as the restore's message names it:
# changed, and (a related part) taken away.
SHOWN_PARTS = [
    ("title", gettext_lazy("the title"), ""),
    ("summary", gettext_lazy("the summary"), ""),
    ("body", gettext_lazy("the text"), ""),
    ("topic_id", gettext_lazy("the topic"), gettext_lazy("a topic")),
    ("byline_id", gettext_lazy("the byline"), gettext_lazy("a byline")),
    ("call_to_action_id", gettext_lazy("the call to action"), gettext_lazy("a call to action")),
]


def _shown(article: Article) -> dict:
    return {field: getattr(article, field) for field, _name, _gone in SHOWN_PARTS}


def restored_parts(article: Article, before: dict) -> str:
    """What of the article a restore changed for readers, and what it took away: restoring an
    early version took the topic, the byline and the call to action off a live article, and
    the message spoke of its medical review alone."""
    changed = [
        str(name) for field, name, _gone in SHOWN_PARTS if getattr(article, field) != before[field]
    ]
    gone = [
        str(lost)
        for field, _name, lost in SHOWN_PARTS
        if lost and before[field] and not getattr(article, field)
    ]
    if not changed:
        return _("Readers see no change.")
    said = _("It changed %(parts)s.") % {"parts": _join(changed)}
    if gone:
        said += " " + _("Readers now see it without %(parts)s.") % {"parts": _join(gone)}
    return said


def _join(names: list[str]) -> str:
    """ "the title, the text and the topic"."""
    if len(names) < 2:
        return "".join(names)
    return _("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def restored_publication(article: Article) -> str:
    """What a restore left readers seeing: the article's publication as it was before it."""
    if article.status == Article.Status.DRAFT or article.published_at is None:
        return _("It stays a draft: readers do not see it.")
    if article.is_scheduled:
        when = formats.date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
        return _("It stays scheduled for %(when)s: readers see it from then.") % {"when": when}
    return _("It stays published: readers see the restored version now.")


def _keep_address(page, address: str) -> str | None:
    """A page restored from a version that had another address keeps ``address`` (its own
    until now) when the site needs the page there (``FIXED_PAGES``: moved, a link or the
    disclaimer breaks) or another page has the old one now (two pages at one address: that
    address fails). Says so, or None if the restored address stands."""
    restored = page.url
    if restored == address:
        return None
    reason = fixed_address_reason(address)
    taken = FlatPage.objects.filter(url=restored).exclude(pk=page.pk).exists()
    if not (reason or taken):
        return None
    page.url = address
    why = reason or _("another page is at %(url)s now") % {"url": restored}
    return _(
        "The page keeps its address, %(address)s (the version restored had %(url)s): %(why)s."
    ) % {"address": address, "url": restored, "why": why}


def compare_view(model_admin, request, object_id):
    """``?from=<version>&to=<version>``: the differences between two versions of an object."""
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    listed = versions_of(obj)
    versions = {version.pk: version for version in listed}
    opts = model_admin.model._meta
    try:
        old, new = versions[int(request.GET["from"])], versions[int(request.GET["to"])]
    except (KeyError, ValueError):
        raise Http404(
            _("Choose two versions of this %(name)s to compare.") % {"name": opts.verbose_name}
        ) from None
    if old.pk > new.pk:
        old, new = new, old
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Compare versions of “%(name)s”") % {"name": obj},
        "subtitle": None,
        "opts": opts,
        "original": obj,
        "object": obj,
        "old": old,
        "new": new,
        "old_saved_on": saved_on(old),
        "new_saved_on": saved_on(new),
        "old_restore_url": _restore_url(model_admin, obj, old),
        "new_restore_url": _restore_url(model_admin, obj, new),
        # The newest version is what the object holds now: restoring it would change nothing.
        "new_is_current": new.pk == listed[0].pk,
        "changes": compare_versions(old, new),
        "can_restore": can_restore(request, model_admin),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/articles/article/compare.html", context)


def history_urls(model_admin) -> list:
    """The compare and restore URLs, to put before the admin's own (its catch-all is last)."""
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}"

    def compare(request, object_id):
        return compare_view(model_admin, request, object_id)

    def restore(request, object_id, version_id):
        return restore_view(model_admin, request, object_id, version_id)

    return [
        path(
            "<path:object_id>/history/compare/",
            model_admin.admin_site.admin_view(compare),
            name=f"{prefix}_compare",
        ),
        path(
            "<path:object_id>/history/<int:version_id>/restore/",
            model_admin.admin_site.admin_view(restore),
            name=f"{prefix}_restore",
        ),
    ]


class VersionsCompared:
    """For a ``VersionAdmin`` (listed before it): its History lists every version, to compare
    two or restore one (``history_intro`` says what a version holds)."""

    object_history_template = "admin/articles/article/object_history.html"
    history_intro = ""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = {
            "versions": history_rows(self, obj) if obj is not None else [],
            "can_restore": can_restore(request, self),
            "history_intro": self.history_intro,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def get_urls(self):
        return [*history_urls(self), *super().get_urls()]


class FirstVersionKept:
    """For a ``VersionAdmin`` (listed before it). An object saved outside the admin (an article
    imported from WordPress, a page a migration created) has no version of what it said, so
    its first edit in the admin kept only the new text, and deleting it kept nothing to
    recover. Before either, the object as stored is recorded as a version of its own, which
    can be compared, restored or recovered."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            stored = self.get_object(request, unquote(object_id))
            if stored is not None and self.has_change_permission(request, stored):
                keep_first_version(stored)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_model(self, request, obj):
        keep_first_version(obj)
        super().delete_model(request, obj)

    def changelist_view(self, request, extra_context=None):
        # The list's "Delete selected", confirmed. It runs inside django-reversion's revision
        # for the list, which keeps versions only of objects still there when it closes: the
        # first versions are recorded before it opens.
        post = request.POST if request.method == "POST" else {}
        if (
            post.get("action") == "delete_selected"
            and post.get("post")
            and self.has_delete_permission(request)
        ):
            for obj in self.get_queryset(request).filter(
                pk__in=post.getlist(helpers.ACTION_CHECKBOX_NAME)
            ):
                keep_first_version(obj)
        return super().changelist_view(request, extra_context)


FIRST_VERSION_COMMENT = _("As it was before it was first changed in the admin.")


def keep_first_version(obj) -> None:
    """Record ``obj`` as stored, in a revision of its own, if it has no version yet."""
    if Version.objects.get_for_object(obj).exists():
        return
    with transaction.atomic(), reversion.create_revision():
        reversion.add_to_revision(obj)
        reversion.set_comment(FIRST_VERSION_COMMENT)
        stored_at = getattr(obj, "updated_at", None)  # an article's; a page keeps no date
        if stored_at is not None:
            reversion.set_date_created(stored_at)
