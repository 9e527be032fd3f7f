"""Pages, "Header and footer links": every link of the header and the footer on one screen, in
the order readers see them, to reorder, rename or remove (what WordPress's Menus screen does).

A page whose link changes here gets a version (its History compares and restores it) and a line
in its admin history, as the same change made on the page's own form would.
"""

from collections import defaultdict

import reversion
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import BaseModelFormSet, modelformset_factory
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.history import keep_first_version
from articles.models import FooterLink, HeaderLink, PublisherPage

# (model, formset prefix, heading, where (for "Remove About from the header"), the fixed link
# readers see before these, if any)
GROUPS = [
    (HeaderLink, "header", gettext_lazy("In the header"), gettext_lazy("the header"), "Topics"),
    (FooterLink, "footer", gettext_lazy("In the footer"), gettext_lazy("the footer"), None),
]


class PageLinkFormSet(BaseModelFormSet):
    """A row per link; its boxes named by the page's link text, for screen readers (the
    table's column headings name them for everyone else)."""

    where = ""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        link = form.instance
        names = {"label": link.label, "where": self.where}
        form.fields["label"].widget.attrs["aria-label"] = _("Link text of %(label)s") % names
        form.fields["position"].widget.attrs["aria-label"] = _("Position of %(label)s") % names
        form.fields["position"].widget.attrs["class"] = "vSmallField"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove %(label)s from %(where)s") % names


def _formsets(request, data=None):
    groups = []
    for model, prefix, heading, where, first in GROUPS:
        name = model._meta.model_name
        formset_class = modelformset_factory(
            model,
            formset=PageLinkFormSet,
            fields=["label", "position"],
            widgets={"label": forms.TextInput(attrs={"class": "vTextField"})},
            extra=0,
            can_delete=request.user.has_perm(f"articles.delete_{name}"),
        )
        formset_class.where = where
        queryset = model.objects.select_related("page").order_by("position", "label", "pk")
        formset = formset_class(data, prefix=prefix, queryset=queryset)
        groups.append({"heading": heading, "first": first, "formset": formset, "rows": formset})
    return groups


def _as_sent(formset) -> list:
    """The rows in the order the editor left them, by the positions sent (the screen's script
    renumbers them 10, 20, 30... as rows move); one whose position is not a number stays where
    it was stored. Shown in stored order, the next move undid the earlier ones."""

    def sent_position(numbered):
        index, form = numbered
        try:
            return int(form["position"].value()), index
        except (TypeError, ValueError):
            return form.instance.position, index

    return [form for _index, form in sorted(enumerate(formset.forms), key=sent_position)]


def arrange(model_admin, request):
    """The screen: the two lists, saved together."""
    may_change = model_admin.has_change_permission(request) and request.user.has_perms(
        ["articles.change_headerlink", "articles.change_footerlink"]
    )
    if not may_change:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    groups = _formsets(request, data)
    formsets = [group["formset"] for group in groups]
    if data is not None and all(formset.is_valid() for formset in formsets):
        if _save(model_admin, request, formsets):
            messages.success(request, _("The header and footer links were saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect(request.path)
    errors = 0
    if data is not None:  # back with an error: the rows as the editor arranged them
        for group in groups:
            group["rows"] = _as_sent(group["formset"])
        # Said over the form, as the admin's own forms do (it was only beside each box, out
        # of sight on a long list); admin-form-errors.js puts the caret in the first.
        errors = sum(len(form.errors) for formset in formsets for form in formset.forms) + sum(
            len(formset.non_form_errors()) for formset in formsets
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Header and footer links"),
        "opts": model_admin.model._meta,
        "groups": groups,
        "errors": errors,
    }
    return TemplateResponse(request, "admin/articles/publisherpage/links.html", context)


def _save(model_admin, request, formsets) -> bool:
    """Save what changed; each page concerned gets a version and a history line."""
    changes = defaultdict(list)  # page id -> its change message, as Django's admin writes them
    for formset in formsets:
        for form in formset.initial_forms:
            link = form.instance
            kind = {"name": str(link._meta.verbose_name), "object": str(link)}
            if formset.can_delete and form.cleaned_data.get("DELETE"):
                changes[link.page_id].append({"deleted": kind})
            elif form.has_changed():
                fields = [str(form.fields[name].label) for name in form.changed_data]
                changes[link.page_id].append({"changed": {**kind, "fields": fields}})
    if not changes:
        return False
    # As the Pages admin knows them: their history lists what is logged for this model.
    pages = PublisherPage.objects.in_bulk(changes)
    changes = {pages[pk]: message for pk, message in changes.items()}
    with transaction.atomic():
        for page in changes:
            keep_first_version(page)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_("Header and footer links arranged."))
            for formset in formsets:
                formset.save()
            for page in changes:  # the page as it is now, with whichever links it keeps
                reversion.add_to_revision(page)
                for model, *_rest in GROUPS:
                    for link in model.objects.filter(page=page):
                        reversion.add_to_revision(link)
        for page, message in changes.items():
            model_admin.log_change(request, page, message)
    return True
