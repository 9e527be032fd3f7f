import datetime
import json
import re
from contextlib import nullcontext
from urllib.parse import unquote as url_unquote
from urllib.parse import urlsplit

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget, AdminTextareaWidget
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin

from articles import arrange_links, deletion, editor, history
from articles.images import descriptions, found_by, in_saved_versions, unused, where_used
from articles.markdown import CITATION_PATTERN, analyse, images_and_links, link_problem
from articles.models import (
    Article,
    BodyImage,
    CallToAction,
    FooterLink,
    HeaderLink,
    Person,
    PublisherPage,
    Reference,
    SiteSettings,
    Tag,
    Topic,
)
from articles.readability import grade_hint, reading_grade
from articles.site_pages import fixed_page_reason
from articles.uploads import PROFILE_PHOTO_SIZE, RasterImageForm
from nervepain.admin_site import LinksItMayOpen, TextAsStored, TextField, without_listed

# A browser cannot send a file again from a form that comes back with an error: said where the
# file was chosen, or the next save goes without it, silently.
FILE_NOT_KEPT = _(
    "Choose the image again before you save: a browser does not keep a file chosen in a form "
    "that comes back to be corrected."
)


def ask_for_file_again(form, field: str) -> None:
    """Call from ``_post_clean``: a file chosen in ``field`` of a form with errors elsewhere
    gets ``FILE_NOT_KEPT``, so the editor knows to choose it again."""
    if form.files.get(form.add_prefix(field)) and form.errors and field not in form.errors:
        form.add_error(field, FILE_NOT_KEPT)


# Each problem a link of an editor's text may have (``articles.markdown.link_problem``), in
# the order they are said.
LINK_PROBLEMS = {
    "broken_link": _(
        "Finish each link's address, as https://www.nhs.uk/…: these lead nowhere: %(names)s."
    ),
    "link_without_scheme": _(
        "Begin a link to another site with https:// (and an email address with mailto:): "
        "without it, readers land on this site's “Page not found”. Without it: %(names)s."
    ),
    "unsafe_link": _(
        "Links may begin only with https://, http://, mailto: or tel:. The site takes any "
        "other address out, leaving words that lead nowhere: %(names)s."
    ),
    "relative_link": _(
        "Begin a link to a page of this site with / (as /editorial-policy/), or to a part of "
        "the page with # (as #respond): without it, the address is read from the page's own "
        "and leads to “Page not found”. Without it: %(names)s."
    ),
}


def _stored_media(src: str) -> bool:
    """Whether an address of this site's that names an uploaded file (under MEDIA_URL) names
    one that is stored; any other address of the site is taken as it is."""
    path = urlsplit(src).path
    if not path.startswith(settings.MEDIA_URL):
        return True
    try:
        return default_storage.exists(url_unquote(path.removeprefix(settings.MEDIA_URL)))
    except SuspiciousFileOperation:  # "/media/../manage.py": no upload, and a 400 lost the text
        return False


def check_images_and_links(text: str) -> str:
    """A text field's ``clean_<field>``: Markdown (or HTML) is refused, with every problem
    said at once and each image or link named, when it shows an image with no description
    (markdownx's box inserts a dropped image as ``![](…)``: readers who cannot see it got
    nothing), an image from another site (the page loads nothing from other sites, so it
    vanished without a word), or links to another site without ``https://`` (readers got
    this site's "Page not found")."""
    media = images_and_links(text or "")  # the Markdown read once, for every check
    links = {code: [] for code in LINK_PROBLEMS}
    for link in media.links:
        if code := link_problem(link):
            links[code].append(link or _("an empty link"))
    problems = [
        (
            [src for src, _alt, local in media.images if src and not local],
            "image_elsewhere",
            _(
                "Images are shown only from this site, which loads nothing from other sites: "
                "download the image, then drop it into the text (or add it under Articles, "
                "Images) and use that copy. From another site: %(names)s."
            ),
        ),
        (
            [src for src, _alt, local in media.images if local and not _stored_media(src)]
            + [_("an image with no address") for src, _alt, _local in media.images if not src],
            "missing_image",
            _(
                "These images are not on this site (deleted, or the address mistyped), so "
                "readers would see none: drop the image into the text again, or copy its "
                "address from Articles, Images. Not found: %(names)s."
            ),
        ),
        (
            [src or _("an image with no address") for src, alt, _local in media.images if not alt],
            "undescribed_image",
            _(
                "Describe every image, between the square brackets: ![what it shows](…). "
                "People who cannot see an image read that instead. Without one: %(names)s."
            ),
        ),
        *((links[code], code, message) for code, message in LINK_PROBLEMS.items()),
    ]
    errors = [
        # Each named once ("www.nhs.uk, www.nhs.uk" for a link written twice).
        forms.ValidationError(
            message, code=code, params={"names": ", ".join(dict.fromkeys(map(str, names)))}
        )
        for names, code, message in problems
        if names
    ]
    if errors:
        raise forms.ValidationError(errors)
    return text


class ImageWithThumbnail(AdminFileWidget):
    """An image field that shows the stored image (Django's shows only its file's name:
    "Currently: featured/1798de7f….png")."""

    template_name = "articles/widgets/image_with_thumbnail.html"


class MarkdownBox(AdminMarkdownxWidget):
    """markdownx's box with its live preview, where Tab moves on to the next field as in every
    other box (markdownx indents with it: a keyboard could not leave the box)."""

    class Media:
        js = ["js/markdown-box.js"]


class CallToActionTextWidget(AdminTextareaWidget):
    """The call-to-action's text, and below it the whole box as readers see it after an
    article (heading, text, button), drawn by the public template in the public stylesheet
    (``static/js/article-editor.js``, which also takes a dropped or pasted image). Not
    markdownx's box: its own preview of the text alone went to the server at every pause in
    the typing, to be hidden."""

    template_name = "articles/widgets/call_to_action_text.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["frame_url"] = reverse("admin:articles_calltoaction_preview_frame")
        return context


class CallToActionForm(forms.ModelForm):
    def clean_text(self):
        return check_images_and_links(self.cleaned_data.get("text", ""))


@admin.register(CallToAction)
class CallToActionAdmin(editor.EditorForm, TextAsStored, admin.ModelAdmin):
    """Each row says how many articles show it; deleting one names the articles that lose it
    (they keep their text and stay published, with no call-to-action). Its form previews the
    box and keeps unsaved changes as the article editor does (``articles.editor``)."""

    form = CallToActionForm
    list_display = ["name", "heading", "button_label", "button_url", "used_by"]
    search_fields = ["name", "heading", "text"]
    formfield_overrides = {models.TextField: {"widget": CallToActionTextWidget}}
    actions = ["delete_selected"]  # Django's, with the articles that lose them named

    class Media:
        css = {"all": ["css/admin-editor.css"]}  # the preview, framed

    def get_queryset(self, request):
        # Counted in the list's one query, not one per row.
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("used by"), ordering="article_count")
    def used_by(self, cta):
        count = cta.article_count
        if not count:
            return _("No article")
        return ngettext("%(count)d article", "%(count)d articles", count) % {"count": count}

    @staticmethod
    def losing(ctas) -> list[dict]:
        """The articles that lose each call-to-action deleted (``name``, ``articles``): one
        query, in name and title order."""
        articles = Article.objects.filter(call_to_action__in=ctas).select_related("call_to_action")
        groups = {}
        for article in articles.order_by("call_to_action__name", "title"):
            name = article.call_to_action.name
            groups.setdefault(name, {"name": name, "articles": []})["articles"].append(article)
        return list(groups.values())

    def render_delete_form(self, request, context):
        context["losing"] = self.losing([context["object"]])
        return super().render_delete_form(request, context)

    @admin.action(
        permissions=["delete"], description=admin_actions.delete_selected.short_description
    )
    def delete_selected(self, request, queryset):
        response = admin_actions.delete_selected(self, request, queryset)
        if response is not None:  # the confirmation page: not rendered yet
            response.context_data["losing"] = self.losing(queryset)
        return response


# The publisher's pages (About, Editorial policy, Contact, Privacy, Medical disclaimer) are
# flatpages, written like an article: Markdown with markdownx's live preview, sanitised by the
# same function when shown (HTML written before still renders as it did). Editors find them as
# "Pages", under Articles (the proxy ``PublisherPage``), not under "Flat Pages".
admin.site.unregister(FlatPage)


class PublisherPageForm(FlatpageForm):
    """The site has one ``Site``: a page is on it, with no "Sites" box naming that record
    ("example.com"), and one page per address. A page the site links to or reads keeps its
    address (``FIXED_PAGES``); its title and text still change."""

    class Meta(FlatpageForm.Meta):
        fields = ["url", "title", "content", "registration_required", "template_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_reason = fixed_page_reason(self.instance)
        if self.fixed_reason and "url" in self.fields:
            self.fields["url"].widget.attrs["readonly"] = True
            self.fields["url"].help_text = _(
                "This address cannot change, and the page cannot be deleted: %(reason)s. The "
                "title and text can."
            ) % {"reason": self.fixed_reason}

    def clean_url(self):
        url = super().clean_url()
        # The stored address: the instance takes the form's values only after clean().
        if self.fixed_reason and url != self.instance.url:
            # The box (read-only) shows the stored address again: Save then keeps the rest.
            self.data = self.data.copy()
            self.data[self.add_prefix("url")] = self.instance.url
            raise forms.ValidationError(
                _(
                    "This address cannot change: %(reason)s. It is back to %(url)s: save again "
                    "to keep your other changes."
                ),
                code="fixed_address",
                params={"reason": self.fixed_reason, "url": self.instance.url},
            )
        return url

    def clean_content(self):
        return check_images_and_links(self.cleaned_data.get("content", ""))

    def clean(self):
        url = self.cleaned_data.get("url")
        if url and FlatPage.objects.filter(url=url).exclude(pk=self.instance.pk).exists():
            self.add_error("url", _("There is already a page at this address."))
        return super().clean()


class PageLinkInline(admin.StackedInline):
    """Whether the page is linked from every page's header or footer, in which words and
    place: ``heading``, ``intro`` and ``remove_label`` say which."""

    fields = ["label", "position"]
    max_num = 1
    extra = 1
    template = "admin/articles/publisherpage/page_link_inline.html"


class HeaderLinkInline(PageLinkInline):
    model = HeaderLink
    heading = _("In the header")
    intro = _(
        "Every page's header links to Topics, then to the pages given a link text here. Short "
        "texts read best: on a phone, past two links they take a row of their own under the "
        "site's name, and wrap. About is 10."
    )
    remove_label = _("Remove from the header (the page stays)")


class FooterLinkInline(PageLinkInline):
    model = FooterLink
    heading = _("In the footer")
    intro = _(
        "Every page ends with links to the pages given a link text here: the pages the site "
        "came with are 10, 20, 30, 40 and 50. A page linked from neither header nor footer is "
        "reached only from links in the text."
    )
    remove_label = _("Remove from the footer (the page stays)")


@admin.register(PublisherPage)
class PublisherPageAdmin(
    TextAsStored, history.VersionsCompared, history.FirstVersionKept, VersionAdmin, FlatPageAdmin
):
    """Each save is kept as a version (django-reversion): History lists them, to compare two or
    bring one back; "Recover deleted pages" brings back a deleted page."""

    history_intro = _(
        "Every saved version of this page: its text, its details and its header and footer links."
    )

    form = PublisherPageForm
    inlines = [HeaderLinkInline, FooterLinkInline]
    # django-reversion's ("Recover deleted pages"), with "Header and footer links" beside it.
    change_list_template = "admin/articles/publisherpage/change_list.html"
    list_display = ["title", "url", "in_header", "in_footer"]
    list_select_related = ["header_link", "footer_link"]
    fieldsets = (
        (None, {"fields": ("url", "title", "content")}),
        *FlatPageAdmin.fieldsets[1:],
    )
    list_filter = ["registration_required"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.sites.add(settings.SITE_ID)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A page the site needs has no Delete button: its delete page can only refuse."""
        page = self.get_object(request, object_id)
        if page is not None and fixed_page_reason(page):
            extra_context = {**(extra_context or {}), "show_delete": False}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_deleted_objects(self, objs, request):
        """A page the site links to or reads is protected, with the reason: its delete page
        (and the list's "Delete selected") refuse, saying what would break."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        needed = [
            _("Page “%(title)s”: %(reason)s") % {"title": page.title, "reason": reason}
            for page in objs
            if (reason := fixed_page_reason(page))
        ]
        # Not the rows of the hidden table joining a page to its site ("Flatpage-site
        # relationship: FlatPage_sites object (7)"): nothing an editor knows or chooses.
        joins = FlatPage.sites.through._meta
        inner = f"{capfirst(joins.verbose_name)}: "
        deleted = without_listed(deleted, inner)
        model_count = {n: c for n, c in model_count.items() if n != joins.verbose_name_plural}
        return deleted, model_count, perms_needed, [*protected, *needed]

    def get_urls(self):
        links = self.admin_site.admin_view(self.links_view)
        return [path("links/", links, name="articles_publisherpage_links"), *super().get_urls()]

    def links_view(self, request):
        """Every header and footer link on one screen, in order (``arrange_links``)."""
        return arrange_links.arrange(self, request)

    @admin.display(description=_("In the header"), ordering="header_link__position")
    def in_header(self, page):
        return self._link_text(page, "header_link")

    @admin.display(description=_("In the footer"), ordering="footer_link__position")
    def in_footer(self, page):
        return self._link_text(page, "footer_link")

    @staticmethod
    def _link_text(page, link):
        link = getattr(page, link, None)
        return link.label if link else None

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "content":
            kwargs["widget"] = MarkdownBox
            kwargs["help_text"] = _(
                "Markdown, like an article's text (HTML also works). Links to other pages of "
                "the site start with /, for example /editorial-policy/. {ip_days} shows how "
                "long IP addresses are kept, {deleted_days} how long a deleted comment is, "
                'as the site is set up (for example "30 days").'
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    class Media:
        css = {"all": ["css/admin-editor.css"]}  # the preview, framed


@admin.register(SiteSettings)
class SiteSettingsAdmin(TextAsStored, admin.ModelAdmin):
    """One row: editing it is the only thing to do (no adding a second, no deleting)."""

    list_display = ["__str__", "contact_email"]

    def changelist_view(self, request, extra_context=None):
        """Straight to the one record's form, as WordPress's Settings open: a list of "1 site
        settings" was one click more to the only thing there is to do."""
        settings_row = SiteSettings.objects.first()
        if settings_row is not None and request.method == "GET":
            return HttpResponseRedirect(
                reverse("admin:articles_sitesettings_change", args=[settings_row.pk])
            )
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


def related_filter(empty_label, base=admin.RelatedFieldListFilter, title=None):
    """A filter by a related object whose "none" choice says what it means, not "-"; ``title``
    in place of the field's name ("By reviewer", not "By medically reviewed by")."""

    class Filter(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.empty_value_display = empty_label
            if title is not None:
                self.title = title

    return Filter


def articles_link(count: int, lookup: str, pk) -> str:
    """ "n articles", linked to the articles list showing just those (``lookup``, a relation
    of the article's, is ``pk``), as WordPress's Tags and Users screens link their counts."""
    if not count:
        return _("No article")
    text = ngettext("%(count)d article", "%(count)d articles", count) % {"count": count}
    url = reverse("admin:articles_article_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode({f"{lookup}__id__exact": pk}), text)


class NamedOnceForm(forms.ModelForm):
    """A topic's or a tag's form: a name another one has in other capitals is refused, naming
    it ("Diabetes" beside "diabetes" made two that readers and editors could not tell apart);
    the description says it is plain text (its asterisks showed as typed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].help_text = _(
                "Plain text, no Markdown: a sentence or two for its page and its description "
                "in search results."
            )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        model = type(self.instance)
        other = model.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise forms.ValidationError(
                _("“%(other)s” exists already: use it, or rename it."),
                code="unique",
                params={"other": other.name},
            )
        return name

    def _get_validation_exclusions(self):
        # A name another one has is said once, on the name: "Tag with this Slug already
        # exists." beside it was the same clash (the address is made from the name), and
        # stayed alone once the name was corrected, the address still the old one.
        exclude = super()._get_validation_exclusions()
        if "name" in self._errors:
            exclude.add("slug")
        return exclude


class TopicListForm(forms.ModelForm):
    """A row of the Topics list: its position box is named by its topic (it has no label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = {"name": self.instance.name}
        self.fields["position"].widget.attrs["aria-label"] = _("Position of %(name)s") % name


@admin.register(Topic)
class TopicAdmin(TextAsStored, admin.ModelAdmin):
    # Deleting one that articles use: what to do instead (protected_note.html).
    delete_confirmation_template = "admin/articles/in_use_delete.html"
    delete_selected_confirmation_template = "admin/articles/in_use_delete_selected.html"

    form = NamedOnceForm
    list_display = ["name", "parent", "position", "article_count"]
    list_filter = [("parent", related_filter(_("None (a main topic)")))]
    list_select_related = ["parent"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", TopicListForm)
        return super().get_changelist_form(request, **kwargs)

    def get_queryset(self, request):
        # Counted in the list's one query, not one per row.
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, topic):
        return articles_link(topic.article_count, "topic", topic.pk)


class BodyImageForm(forms.ModelForm):
    """Adding an image to Articles, Images without an article: checked, re-encoded and stored
    with its copies as the editor's upload is (``RasterImageForm``)."""

    image = forms.FileField(
        label=_("Image file (JPEG, PNG, GIF or WebP)"),
        help_text=_(
            "Up to 5 MB. It is re-encoded (location data and anything hidden in the file are "
            "dropped) and smaller copies are made for phones."
        ),
        widget=forms.FileInput(attrs={"accept": ",".join(settings.MARKDOWNX_UPLOAD_CONTENT_TYPES)}),
    )

    class Meta:
        model = BodyImage
        fields = []

    uploaded_by = None  # BodyImageAdmin.save_form sets who

    def clean_image(self):
        self.raster = RasterImageForm(files={"image": self.cleaned_data["image"]})
        if not self.raster.is_valid():
            raise forms.ValidationError(self.raster.errors["image"])
        return self.cleaned_data["image"]

    def save(self, commit=True):
        self.raster.save(uploaded_by=self.uploaded_by)
        self.save_m2m = lambda: None  # the admin calls it after save(commit=False); none here
        return self.raster.body_image


class ImageUseFilter(admin.SimpleListFilter):
    """WordPress's "Unattached": the images nothing shows, which can be deleted. The database
    searches the texts (one query), where "Shown in" reads those of the page's images."""

    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("Unused: nothing shows it"))]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return unused(queryset)
        return queryset


# The random part of a stored name (32 hex digits) and how long a piece of it stays whole.
HEX_RUN = re.compile(r"[0-9a-f]{16,}")
HEX_PIECE = 16


def _breakable_name(name):
    """A file's name that wraps after the "_", "-" or "." of its stem and keeps its extension
    with the last part: a phone's card broke "IMG_20260412_093412.png" before its last letter
    ("…093412.pn", then "g"), anywhere being the only place it could.

    A stored name's random hex part is kept in pieces of 16 that break only if a line cannot
    hold one (``.name-run``), with a place to break between them: the cell may break anywhere
    (else a name without a place to break widened the table past its area), and the hex broke
    wherever the line ended ("a1b2c3d4e5f6071829" | "3a4b…"), a different cut on every row."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    # <wbr> is a place to break, nothing more; every piece is escaped by _hex_in_pieces.
    pieces = mark_safe("<wbr>".join(_hex_in_pieces(p) for p in re.split(r"(?<=[_.-])", stem)))
    return format_html("{}{}{}", pieces, dot, extension)


def _hex_in_pieces(text):
    """``text`` escaped, each long run of hex digits in it as whole pieces (``.name-run``)."""
    out, at = [], 0
    for run in HEX_RUN.finditer(text):
        out.append(format_html("{}", text[at : run.start()]))
        digits = run.group()
        out.append(
            format_html_join(
                mark_safe("<wbr>"),
                '<span class="name-run">{}</span>',
                ((digits[i : i + HEX_PIECE],) for i in range(0, len(digits), HEX_PIECE)),
            )
        )
        at = run.end()
    out.append(format_html("{}", text[at:]))
    return mark_safe("".join(out))


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    """The images uploaded in the editors (like WordPress's Media screen): each with where it is
    shown and the Markdown that shows it; one no text shows can be deleted, with its copies.
    Images are added from the editor's "Image" button, or here ("Add image")."""

    SEARCH_MAX = 200  # characters of a search used (its words are each a clause of the query)
    list_display = ["thumbnail", "name", "size", "uploaded_at", "uploaded_by", "shown_in"]
    list_display_links = ["name"]  # the thumbnail has no words of its own to name a link
    list_select_related = ["uploaded_by"]
    list_filter = [ImageUseFilter]
    search_fields = ["original_name", "path"]
    date_hierarchy = "uploaded_at"
    fields = [
        "preview",
        "markdown",
        "original_name",
        "size",
        "uploaded_at",
        "uploaded_by",
        "shown_in",
        "in_versions",
    ]
    readonly_fields = fields
    actions = None  # one at a time, from its page, where "Delete" shows only for unused ones
    delete_confirmation_template = "admin/articles/bodyimage/delete_confirmation.html"

    class Media:
        css = {"all": ["css/admin-editor.css"]}

    def get_search_results(self, request, queryset, search_term):
        """By file name or by the words a text describes the image with (shown under the
        name), as the editor's Image dialog finds them. Only the first 200 characters, each
        word being a clause of the query (a pasted paragraph made hundreds), and it says so."""
        if len(search_term) > self.SEARCH_MAX:
            search_term = search_term[: self.SEARCH_MAX]
            messages.warning(
                request,
                _("Only the first %(count)d characters of the search were used.")
                % {"count": self.SEARCH_MAX},
            )
        return found_by(queryset, search_term.replace("\x00", "")), False

    def get_fields(self, request, obj=None):
        return ["image"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = BodyImageForm
        return super().get_form(request, obj, change, **kwargs)

    def save_form(self, request, form, change):
        form.uploaded_by = request.user
        return form.save(commit=False)

    def has_change_permission(self, request, obj=None):
        return False  # nothing to edit: its page shows it, with "Delete" when unused

    def render_delete_form(self, request, context):
        context["in_versions"] = self._versions(context["object"])
        return super().render_delete_form(request, context)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._used(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        """An image put into a text since its delete page was opened (or a delete address
        typed): back to its page, which lists where it is shown, saying why; it answered "You
        cannot open this page"."""
        image = self.get_object(request, unquote(object_id))
        if image is not None and self._used(image) and super().has_delete_permission(request):
            places = ", ".join(place["label"] for place in image.used_in)
            message = _("Not deleted: it is shown in %(places)s. Take it out of the text first.")
            self.message_user(request, message % {"places": places}, messages.ERROR)
            return redirect("admin:articles_bodyimage_change", image.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.query = changelist.query[: self.SEARCH_MAX]  # the box shows what was searched
        images = list(changelist.result_list)
        for image, places in zip(images, where_used(images).values(), strict=True):
            image.used_in = places
        described = descriptions(images)
        for image in images:
            image.described_as = described.get(image.pk, "")
        return changelist

    @staticmethod
    def _used(image) -> list[dict]:
        if not hasattr(image, "used_in"):
            image.used_in = where_used([image])[image.pk]
        return image.used_in

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        return format_html(
            '<img class="image-thumb" src="{}" alt="" width="96" height="{}" loading="lazy">',
            image.thumb_url,
            round(96 * image.height / image.width),
        )

    @admin.display(description=_("preview"))
    def preview(self, image):
        return format_html(
            '<img class="image-preview" src="{}" alt="" width="{}" height="{}">',
            image.url,
            image.width,
            image.height,
        )

    @admin.display(description=_("file"), ordering="original_name")
    def name(self, image):
        # Uploads of one file bear its name; the words a text describes it with tell them apart.
        described = getattr(image, "described_as", "")
        if described:
            described = format_html(
                '<div class="image-described">\N{LEFT DOUBLE QUOTATION MARK}{}'
                "\N{RIGHT DOUBLE QUOTATION MARK}</div>",
                described,
            )
        if not image.original_name:
            return format_html("{}{}", _breakable_name(image.stored_name), described)
        stored = format_html(_("stored as %s") % "{}", _breakable_name(image.stored_name))
        return format_html(
            '{}{}<div class="help">{}</div>',
            _breakable_name(image.original_name),
            described,
            stored,
        )

    @admin.display(description=_("size"))
    def size(self, image):
        # The width and its sign kept together: in a narrow column the height wraps, alone.
        return f"{image.width}\N{NO-BREAK SPACE}\N{MULTIPLICATION SIGN} {image.height}"

    @admin.display(description=_("Markdown"))
    def markdown(self, image):
        return format_html(
            '<code class="image-markdown">![{}]({})</code><div class="help">{}</div>',
            _("describe the image"),
            image.url,
            _("Paste it into an article's text, with words that say what the image shows."),
        )

    @staticmethod
    def _versions(image) -> list[dict]:
        if not hasattr(image, "saved_versions"):
            image.saved_versions = in_saved_versions(image)
        return image.saved_versions

    @admin.display(description=_("in saved versions"))
    def in_versions(self, image):
        places = self._versions(image)
        if not places:
            return _("None: no restored version will miss it.")
        lines = format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({})',
            (
                (
                    place["url"],
                    place["label"],
                    ngettext("%d version", "%d versions", place["versions"]) % place["versions"],
                )
                for place in places
            ),
        )
        note = _(
            "Restored or recovered once this image is deleted, these versions would show a "
            "broken image."
        )
        return format_html('{}<div class="help">{}</div>', lines, note)

    @admin.display(description=_("shown in"))
    def shown_in(self, image):
        places = self._used(image)
        if not places:
            return _("Nothing: it can be deleted.")
        lines = [
            format_html('<a href="{}">{}</a>', place["url"], place["label"])
            if place["url"]
            else place["label"]
            for place in places
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))


@admin.register(Tag)
class TagAdmin(TextAsStored, admin.ModelAdmin):
    form = NamedOnceForm
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, tag):
        return articles_link(tag.article_count, "tags", tag.pk)

    def get_deleted_objects(self, objs, request):
        """The articles that lose the tags, named and linked, each said to stay (under Django's
        "will be deleted" they read as going too), where Django listed each one's row of the
        hidden join table, "Article_tags object (4)"."""
        _listed, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        through = Article.tags.through
        rows = through.objects.filter(tag__in=objs).select_related("article", "tag")
        losing = {}
        for row in rows.order_by("article__title"):
            losing.setdefault(row.tag_id, []).append(row.article)
        named = []
        for tag in objs:
            named.append(
                format_html(
                    '{}: <a href="{}">{}</a>',
                    capfirst(Tag._meta.verbose_name),
                    reverse("admin:articles_tag_change", args=[tag.pk]),
                    tag,
                )
            )
            if tag.pk in losing:
                named.append(
                    [
                        format_html(
                            '{}: <a href="{}">{}</a> ({})',
                            _("Stays, without this tag"),
                            reverse("admin:articles_article_change", args=[article.pk]),
                            article.title,
                            article.publication_state,
                        )
                        for article in losing[tag.pk]
                    ]
                )
        joins = str(through._meta.verbose_name_plural)
        counts = {name: n for name, n in counts.items() if str(name) != joins}
        if losing:
            articles = len({article.pk for tagged in losing.values() for article in tagged})
            counts[_("Articles that lose the tag (the articles stay)")] = articles
        return named, counts, perms_needed, protected


def checked_image(image, **options):
    """A new image checked and re-encoded like the body's uploads (raster formats only,
    metadata such as GPS positions dropped, a name the server chooses); one already stored
    as it is. ``options``: ``RasterImageForm.as_stored_file``'s."""
    if not isinstance(image, UploadedFile):
        return image
    checked = RasterImageForm(files={"image": image})
    if not checked.is_valid():
        raise forms.ValidationError(checked.errors["image"])
    return checked.as_stored_file(**options)


class PersonAdminForm(forms.ModelForm):
    def clean_photo(self):
        """Stored as readers see it, a small square: not the camera's file with its GPS
        position."""
        return checked_image(self.cleaned_data.get("photo"), square=PROFILE_PHOTO_SIZE)

    def _post_clean(self):
        super()._post_clean()
        ask_for_file_again(self, "photo")


@admin.register(Person)
class PersonAdmin(LinksItMayOpen, TextAsStored, admin.ModelAdmin):
    """Authors, medical reviewers and the editorial team: who readers see named."""

    # Deleting one that articles use: what to do instead (protected_note.html).
    delete_confirmation_template = "admin/articles/in_use_delete.html"
    delete_selected_confirmation_template = "admin/articles/in_use_delete_selected.html"

    form = PersonAdminForm
    formfield_overrides = {models.ImageField: {"widget": ImageWithThumbnail}}
    readonly_fields = ["photo_preview"]
    list_display = [
        "name_and_login",
        "credentials",
        "job_title",
        "kind",
        "is_public",
        "articles",
    ]
    list_select_related = ["user"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "credentials", "job_title", "user__username"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fields = [
        "name",
        "slug",
        "kind",
        "credentials",
        "job_title",
        "bio",
        "photo",
        "photo_preview",
        "same_as",
        "is_public",
        "user",
    ]

    def get_queryset(self, request):
        # Both counted in the list's one query: distinct, as two joins multiply the rows.
        return (
            super()
            .get_queryset(request)
            .annotate(
                written_count=Count("articles", distinct=True),
                reviewed_count=Count("reviewed_articles", distinct=True),
            )
        )

    @admin.display(description=_("articles"))
    def articles(self, person):
        """The articles with their byline, and those they reviewed: one column, so that the
        list still fits beside its filters at 1,280 px."""
        return format_html(
            # One block: on a phone's card the cell's grid puts each child in its own place.
            '<div><div class="person-byline">{}: {}</div><div class="person-reviewed">{}: {}</div>'
            "</div>",
            _("Byline"),
            articles_link(person.written_count, "byline", person.pk),
            _("Reviewed"),
            articles_link(person.reviewed_count, "reviewed_by", person.pk),
        )

    @admin.display(description=_("name"), ordering="name")
    def name_and_login(self, person):
        """The login under the name, as the Images list puts the stored name under the file's:
        a column of its own left "Articles" out of sight beside the filters at 1,280 px."""
        if person.user is None:
            return person.name
        login = _("login: %s") % person.user.get_username()
        return format_html('{}<div class="help">{}</div>', person.name, login)

    def get_view_on_site_url(self, obj=None):
        """Only a public person has a page to view: for anyone else the link led to a 404."""
        if obj is not None and not obj.is_public:
            return None
        return super().get_view_on_site_url(obj)

    @admin.display(description=_("stored photo"))
    def photo_preview(self, person):
        # A photo sent with a form that came back with errors is not stored: no file to show.
        if not person.photo or not person.photo._committed:
            return "-"
        return format_html('<img src="{}" alt="" width="96" height="96">', person.photo.url)


class ReviewStatusFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue or never reviewed")), ("current", _("Up to date"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "current":
            return queryset.exclude(pk__in=Article.objects.review_overdue().values("pk"))
        return queryset


class PublicationFilter(admin.SimpleListFilter):
    """Draft, scheduled (published with a date to come) or published (readers see it)."""

    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.drafts()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "published":
            return queryset.published()
        return queryset


class ArticleEditorWidget(forms.Textarea):
    """The body's editor: the Markdown text beside a preview drawn by the public page's own
    templates (``static/js/article-editor.js`` and ``articles.editor``). Without script it is
    a plain text area."""

    template_name = "articles/widgets/editor.html"  # app templates: the form renderer finds it

    def __init__(self, attrs=None):
        super().__init__({"rows": 30, "class": "editor-input", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["frame_url"] = reverse("admin:articles_article_preview_frame")
        context["widget"]["reader_url"] = reverse("admin:articles_article_reader_preview")
        return context


def _last_saved_by(article, saved) -> str:
    """Who saved the article at ``saved``, as the editors know them: the user of the version
    recorded then (a save outside the admin records none: "Someone")."""
    versions = reversion.models.Version.objects.get_for_object(article)
    newest = versions.select_related("revision__user").first()
    if newest is None or abs(newest.revision.date_created - saved).total_seconds() > 60:
        return _("Someone")
    user = newest.revision.user
    return (user.get_full_name() or user.get_username()) if user else _("Someone")


def _saved_at(when) -> str:
    when = timezone.localtime(when)
    if when.date() == timezone.localdate():
        return date_format(when, "TIME_FORMAT")
    return date_format(when, "DATETIME_FORMAT")


def publish_time(article) -> str:
    """The article's publish date and time as the admin writes them ("10 Dec 2026, 09:30")."""
    return date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")


def scheduled(article) -> str:
    """ "Scheduled for" the article's publish date and time."""
    return _("Scheduled for %(when)s") % {"when": publish_time(article)}


def publication_outcome(article, was_published: bool = False) -> str:
    """What saving did for readers, for the message after a save: published now (or since a
    date), scheduled for a date and time, or kept as a draft. An edit of an article readers
    could already read says that they read the edit now: there is no separate "update" step,
    and "Published now" read as if it had only just gone live."""
    if article.status == Article.Status.DRAFT or article.published_at is None:
        return _("Saved as a draft: readers do not see it.")
    when = publish_time(article)
    if article.is_scheduled:
        return _("%(scheduled)s: readers see it from then.") % {"scheduled": scheduled(article)}
    if was_published:
        return _("Published since %(when)s: readers see this version now.") % {"when": when}
    if timezone.now() - article.published_at < datetime.timedelta(minutes=1):
        return _("Published now: readers see it.")
    return _("Published since %(when)s: readers see it.") % {"when": when}


def _self_reviewed(article) -> bool:
    """Whether the article's medical reviewer is the person its byline names."""
    writer = article.writer
    return (
        article.reviewed_by_id is not None
        and writer is not None
        and (writer.pk == article.reviewed_by_id)
    )


def _publication(article) -> tuple[str, object]:
    """("draft" | "scheduled" | "published", its publish date if scheduled)."""
    if article.status == Article.Status.DRAFT:
        return "draft", None
    if article.published_at is not None and article.published_at > timezone.now():
        return "scheduled", article.published_at
    return "published", None


def publication_change(before, after) -> str:
    """What a save did to an article's publication, for History: "" if nothing readers see
    (a published article's date moved back, say: Django's own words say that)."""
    (was, was_at), (now, now_at) = _publication(before), _publication(after)
    if (was, was_at) == (now, now_at):
        return ""
    then = {"when": publish_time(before)} if was == "scheduled" else {}
    if now == "published":
        if was == "scheduled":
            return _("Published now (it was scheduled for %(when)s).") % then
        return _("Published.")
    if now == "scheduled":
        when = {"when": publish_time(after)}
        if was == "scheduled":
            return _("Scheduled for %(when)s (it was for %(then)s).") % {
                **when,
                "then": then["when"],
            }
        if was == "published":
            return _("Taken off the site until %(when)s: scheduled.") % when
        return _("Scheduled for %(when)s.") % when
    if was == "scheduled":
        return _("Its schedule (%(when)s) cancelled: a draft.") % then
    return _("Unpublished: a draft, readers no longer see it.")


class ArticleAdminForm(forms.ModelForm):
    # Declared: markdownx's form field would put its own widget back in place of the editor.
    body = TextField(
        label=_("Body"),
        widget=ArticleEditorWidget,
        help_text=Article._meta.get_field("body").help_text,
    )
    sign_off_by = forms.ModelChoiceField(
        Person.objects.filter(kind=Person.Kind.PERSON),
        required=False,
        label=_("Record a review sign-off by"),
        help_text=_(
            "Only when this reviewer has reviewed the text you are saving: today becomes "
            "its last-reviewed date. Leave empty for an ordinary edit, which never changes the "
            "review date."
        ),
    )

    # The version the editor opened (its "updated" time). Saving over a newer one, another
    # editor's save since (or this editor's, in another tab), is refused once with everything
    # typed kept; Save again replaces it knowingly. WordPress locks a post being edited instead.
    edited_from = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "edited_from" in self.fields:
            self.fields["edited_from"].initial = self.instance.updated_at.isoformat()
        # The admin's date and time boxes carry no label of their own.
        field = self.fields.get("published_at")  # absent for those who may only view
        widget = field.widget if field is not None else None
        if hasattr(widget, "widgets"):
            field.fields[0].error_messages["invalid"] = _(
                "Enter the date as 2027-03-01 or 1 Mar 2027. A date with slashes is not read: "
                "10/12/2026 may mean 10 December or 12 October."
            )
            widget.widgets[0].attrs["aria-label"] = _("Publish date: day (YYYY-MM-DD)")
            widget.widgets[1].attrs["aria-label"] = _("Publish date: time (HH:MM:SS)")
            # Said under the boxes (article-editor.js) while they hold what the save refuses.
            widget.widgets[0].attrs["data-unread"] = _(
                "“%(text)s” is not a date the save reads: write it as 2027-03-01 or "
                "1 Mar 2027, or pick it from the calendar."
            )
            widget.widgets[0].attrs["data-unread-time"] = _(
                "“%(text)s” is not a time the save reads: write it as 09:30 or 09:30:00, "
                "or pick it from the clock."
            )
            # In the site's zone, the hour the clocks change; the save refuses both (Django
            # cannot tell which moment is meant).
            zone = timezone.get_current_timezone_name()
            widget.widgets[0].attrs["data-twice"] = _(
                "%(when)s comes twice in %(zone)s, as the clocks go back, and the save cannot "
                "tell which you mean: give a time outside that hour."
            ).replace("%(zone)s", zone)
            widget.widgets[0].attrs["data-never"] = _(
                "%(when)s never comes in %(zone)s: the clocks go forward over it, and the save "
                "refuses it. Give a time outside that hour."
            ).replace("%(zone)s", zone)
            widget.widgets[0].attrs["data-no-time"] = _(
                "Give a time too, or leave both boxes empty to publish on saving."
            )
            widget.widgets[0].attrs["data-no-date"] = _(
                "Give a date too, or leave both boxes empty to publish on saving."
            )
        # A title of emoji or other signs alone gives no address: "This field is required."
        # under Slug did not say why it was empty, nor what to type.
        slug = self.fields.get("slug")
        if slug is not None:
            slug.error_messages["required"] = _(
                "Type the article's address, in letters, numbers and hyphens (as "
                "nerve-pain-after-physio): its title gives none."
            )
        # The summary's count (static/js/article-editor.js) says how many characters are left or
        # too many; a maxlength cut a pasted summary short without a word. The server refuses a
        # longer one, with the text kept.
        summary = self.fields.get("summary")
        if summary is not None and summary.max_length:
            summary.widget.attrs.pop("maxlength", None)
            summary.widget.attrs["data-maxlength"] = summary.max_length
        # "Published" with a publish date to come is scheduled: the choice says so, as the
        # message after saving does (it said "Published" of an article readers cannot see).
        status = self.fields.get("status")
        if status is not None:
            # The editor's script (article-editor.js) words the choice as the publish date is
            # edited, with these; the server decides again on save.
            status.widget.attrs["data-published"] = Article.Status.PUBLISHED.label
            status.widget.attrs["data-scheduled"] = _("Scheduled for %(when)s")
        if status is not None and self.instance.pk is not None and self.instance.is_scheduled:
            status.choices = [
                (
                    value,
                    scheduled(self.instance) if value == Article.Status.PUBLISHED else label,
                )
                for value, label in status.choices
            ]

    def clean_slug(self):
        """Another article's address is refused naming that article and offering a free one
        (Ghost adds "-2" itself): "Article with this Slug already exists." left the writer to
        guess an address that was not taken."""
        slug = self.cleaned_data.get("slug")
        others = Article.objects.exclude(pk=self.instance.pk)
        other = others.filter(slug=slug).first() if slug else None
        if other is None:
            return slug
        number = 2
        while others.filter(slug=f"{slug[:130]}-{number}").exists():
            number += 1
        raise forms.ValidationError(
            _(
                "The article “%(title)s” (%(state)s) has this address already. Choose another, "
                "such as %(free)s."
            ),
            code="unique",
            params={
                "title": other.title,
                "state": other.publication_state.lower(),
                "free": f"{slug[:130]}-{number}",
            },
        )

    def clean_body(self):
        body = check_images_and_links(self.cleaned_data.get("body", ""))
        unknown = self._unknown_citations(body)
        if unknown:
            raise forms.ValidationError(
                _(
                    "Cite only this article's references: no reference below has the key of "
                    "%(names)s. Add the reference under References, or correct the key."
                ),
                code="unknown_citation",
                params={"names": ", ".join(f"[@{key}]" for key in unknown)},
            )
        return body

    def _unknown_citations(self, body: str) -> list[str]:
        """The keys ``body`` cites that no reference row of the form has (not deleted), in the
        order cited: a typo ("[@nice-ng139]" for "[@nice-ng193]") was saved, and readers saw
        the marker as typed. The rows as posted: the references are saved with the form."""
        prefix = "references"
        if f"{prefix}-TOTAL_FORMS" not in self.data:
            return []  # no references table in this form (one who may not change them)
        try:
            rows = min(int(self.data[f"{prefix}-TOTAL_FORMS"]), 1000)
        except ValueError:
            return []  # the formset says so itself
        known = {
            self.data.get(f"{prefix}-{row}-key", "").strip()
            for row in range(rows)
            if not self.data.get(f"{prefix}-{row}-DELETE")
        }
        cited = dict.fromkeys(re.findall(CITATION_PATTERN, body or ""))
        return [key for key in cited if key not in known]

    def clean_featured_image(self):
        """Checked and re-encoded like the body's uploads."""
        return checked_image(self.cleaned_data.get("featured_image"))

    @cached_property
    def changed_data(self):
        # Not the article's: a change of edited_from is no change to record in its history.
        return [name for name in super().changed_data if name != "edited_from"]

    def _post_clean(self):
        super()._post_clean()  # the model's checks: the featured image's description
        ask_for_file_again(self, "featured_image")

    def clean(self):
        cleaned_data = super().clean()
        self._check_next_review(cleaned_data)
        opened = cleaned_data.get("edited_from")
        saved = self.instance.updated_at if self.instance.pk is not None else None
        if opened and saved is not None and opened != saved.isoformat():
            # This page now stands on the saved version: a second Save replaces it.
            self.data = self.data.copy()
            self.data[self.add_prefix("edited_from")] = saved.isoformat()
            message = _(
                "%(who)s saved this article at %(when)s, after you opened it. Nothing you "
                "changed is saved yet: it is all below. To keep their changes, compare the "
                "versions in History and copy yours into the newest one; to replace their "
                "version with yours, press Save again (theirs stays in History)."
            )
            who, when = _last_saved_by(self.instance, saved), _saved_at(saved)
            self.add_error(
                None,
                forms.ValidationError(
                    message, code="newer_version", params={"who": who, "when": when}
                ),
            )
        return cleaned_data

    def _check_next_review(self, cleaned_data):
        """The next review comes after the review it follows: today's sign-off, else the last
        one. A date before it was saved and shown to readers ("Medically reviewed on 7
        December 2026 ... Next review due: 1 January 2020")."""
        due = cleaned_data.get("next_review_due")
        if cleaned_data.get("sign_off_by") is not None:
            reviewed, which = timezone.localdate(), _("today's sign-off")
        else:
            reviewed, which = self.instance.last_reviewed, _("the last review")
        if due is not None and reviewed is not None and due <= reviewed:
            self.add_error(
                "next_review_due",
                forms.ValidationError(
                    _("The next review must come after %(which)s (%(reviewed)s)."),
                    code="review_due_before_review",
                    params={"which": which, "reviewed": date_format(reviewed)},
                ),
            )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "topic",
            "tags",
            "body",
            "featured_image",
            "featured_image_alt",
            "next_review_due",
            "status",
            "published_at",
            "author",
            "byline",
            "allow_comments",
            "moderate_all_comments",
            "call_to_action",
        ]


class ReferenceForm(forms.ModelForm):
    class Meta:
        # The number readers see before it, as a phone's card already labels the box.
        labels = {"position": _("number")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_position = self.instance.position if self.instance.pk else None

    @property
    def changed_data(self):
        """A saved reference shows its place in the list, the number readers see; where its
        stored number differs (2, 3 and 4 once the first was deleted) the new one is saved,
        and the article's history names it ("Changed number"), not an empty list of fields."""
        changed = super().changed_data
        position = getattr(self, "cleaned_data", {}).get("position")
        renumbered = self.stored_position is not None and position not in (
            None,
            self.stored_position,
        )
        return [*changed, "position"] if renumbered and "position" not in changed else changed


class ReferenceFormSet(BaseInlineFormSet):
    def get_form_kwargs(self, index):
        """Every row is numbered by its place, as readers see the list: the saved references
        1, 2, 3 whatever numbers they were stored with, the blank row after them. The row
        "Add another" copies gets its number in ``static/js/article-editor.js`` (the next
        after the rows above it), so two added rows are never numbered alike."""
        kwargs = super().get_form_kwargs(index)
        place = self.total_form_count() if index is None else index
        kwargs["initial"] = {**kwargs.get("initial", {}), "position": place + 1}
        return kwargs

    def add_fields(self, form, index):
        """A table cell's box has no label of its own: name it by its column and row."""
        super().add_fields(form, index)
        row = f" {index + 1}" if index is not None else ""
        for field in form.fields.values():
            label = capfirst(str(field.label or ""))
            field.widget.attrs["aria-label"] = _("%(label)s, reference%(row)s") % {
                "label": label,
                "row": row,
            }


class ReferenceInline(admin.TabularInline):
    """Numbered by position: drag a row by its handle (or move it with the arrow keys), or type
    its number; ``static/js/article-editor.js`` keeps the numbers and the rows in step."""

    model = Reference
    form = ReferenceForm
    formset = ReferenceFormSet
    template = "admin/articles/article/reference_inline.html"  # its first heading named
    extra = 1
    view_on_site = False  # a row's link would sit above its fields and widen the table
    fields = ["position", "key", "title", "publisher", "url", "accessed_on"]
    # A plain address box: the admin's "Currently: <link> Change:" does not fit a table cell.
    formfield_overrides = {models.URLField: {"assume_scheme": "https", "widget": forms.URLInput}}


@admin.register(Article)
class ArticleAdmin(
    LinksItMayOpen,  # a moderator's read-only page links no topic they may not open
    editor.EditorForm,  # the editor's previews; autosave's drafts offered back
    TextAsStored,
    history.VersionsCompared,
    history.FirstVersionKept,
    VersionAdmin,
):
    form = ArticleAdminForm
    formfield_overrides = {models.ImageField: {"widget": ImageWithThumbnail}}
    history_intro = _(
        "Every saved version of this article: its body, its details and its medical review "
        "sign-off. Restoring one keeps the article as readers see it now: published, "
        "scheduled or a draft."
    )
    inlines = [ReferenceInline]
    # Few columns, as WordPress's Posts list keeps: seven (publish date, last reviewed, next
    # review due and overdue apart) left the title one word a line at 1,280 px. "Updated" shows
    # the day alone and the title keeps 12rem, so that "Comments" (added by the comments app's
    # admin, for those who may see them) fits beside the filters.
    list_display = ["title", "publication", "medical_review", "updated"]
    list_filter = [
        PublicationFilter,
        ReviewStatusFilter,
        ("topic", related_filter(_("No topic"))),
        # Only those some article has: the Tags and People lists link here with them chosen.
        ("tags", related_filter(_("No tag"), admin.RelatedOnlyFieldListFilter, _("tag"))),
        ("byline", related_filter(_("No byline"), admin.RelatedOnlyFieldListFilter)),
        (
            "reviewed_by",
            related_filter(_("No reviewer"), admin.RelatedOnlyFieldListFilter, _("reviewer")),
        ),
        "published_at",
        "allow_comments",
    ]
    list_select_related = ["author", "byline", "reviewed_by"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    # Tags stay a plain multiple select: the autocomplete widget's search box has no label.
    autocomplete_fields = ["author"]
    readonly_fields = ["reading_grade", "reviewed_by", "last_reviewed", "publication"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "edited_from",  # hidden
                    "title",
                    "slug",
                    "summary",
                    "topic",
                    "tags",
                    "body",
                    "reading_grade",
                ]
            },
        ),
        # Right after the text, as WordPress keeps its Publish box at the top of its sidebar:
        # under the image and the review, an editor scrolled past both to publish, schedule or
        # unpublish. Its class gives it the id "publishing" (change_form.html), the Save bar's
        # "Change" link's target.
        (
            _("Publishing"),
            {
                "fields": ["publication", "status", "published_at", "author", "byline"],
                "classes": ["publishing"],
            },
        ),
        (_("Featured image"), {"fields": ["featured_image", "featured_image_alt"]}),
        (
            _("Medical review"),
            {"fields": ["reviewed_by", "last_reviewed", "sign_off_by", "next_review_due"]},
        ),
        (_("Discussion"), {"fields": ["allow_comments", "moderate_all_comments"]}),
        (_("Call-to-action"), {"fields": ["call_to_action"]}),
    ]
    # Ours (its styles), on django-reversion's ("Recover deleted articles"), which VersionAdmin
    # names in place of the app's own: the list's styles had not been loaded since.
    change_list_template = "admin/articles/article/change_list.html"
    actions = ["unpublish_selected"]

    @admin.display(description=_("publication"), ordering="published_at")
    def publication(self, obj):
        """Draft, Scheduled for or Published (with its date and time): what readers can see."""
        if obj is None or obj.pk is None:
            # A new article's line follows Status and the date (article-editor.js).
            return format_html(
                '<span class="publication draft" data-new>{}</span>',
                _("Draft until it is saved as published."),
            )
        if obj.status == Article.Status.DRAFT or obj.published_at is None:
            return format_html('<span class="publication draft">{}</span>', obj.publication_state)
        when = timezone.localtime(obj.published_at)
        return format_html(
            '<span class="publication {}">{} <time datetime="{}">{}</time></span>',
            "scheduled" if obj.is_scheduled else "published",
            _("Scheduled for") if obj.is_scheduled else _("Published"),
            when.isoformat(),
            date_format(when, "DATETIME_FORMAT"),
        )

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, obj):
        """The day, the time on hover: a narrow column leaves the title room."""
        when = timezone.localtime(obj.updated_at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            when.isoformat(),
            date_format(when, "DATETIME_FORMAT"),
            date_format(when, "j M Y"),
        )

    @admin.display(description=_("medical review"), ordering="next_review_due")
    def medical_review(self, obj):
        """When a reviewer last signed it off and when the next review is due; overdue (or
        never reviewed) stands out."""
        if obj.last_reviewed is None:
            return format_html('<span class="review-state overdue">{}</span>', _("Never reviewed"))
        reviewed = _("Reviewed %(date)s") % {"date": date_format(obj.last_reviewed)}
        due = obj.next_review_due
        if due is None:
            return format_html('<span class="review-state">{}</span>', reviewed)
        if obj.review_is_overdue:
            late = _("overdue since %(date)s") % {"date": date_format(due)}
            return format_html('<span class="review-state overdue">{} · {}</span>', reviewed, late)
        next_due = _("next due %(date)s") % {"date": date_format(due)}
        return format_html('<span class="review-state">{} · {}</span>', reviewed, next_due)

    @admin.display(description=_("reading grade"))
    def reading_grade(self, obj):
        if not (obj and obj.body_html):
            return _("Shown once the body is saved.")
        return grade_hint(reading_grade(analyse(obj.body_html).text))

    def publication_bar(self, obj):
        """The saved publication, in the Save bar at the window's foot: Publishing is out of
        sight while one writes, and a writer at the text did not know whether Save changed
        what readers see (Ghost keeps "Published" or "Draft" beside its Update button)."""
        if obj.status == Article.Status.DRAFT or obj.published_at is None:
            return _("Draft: readers do not see it.")
        if obj.is_scheduled:
            return _("%(scheduled)s: readers do not see it yet.") % {"scheduled": scheduled(obj)}
        return _("Published: readers see each save at once.")

    def publication_bar_short(self, obj):
        """The bar's line on a phone, one line at 375 px above the buttons and its "Change": a
        scheduled article's whole sentence ran past the window's width, and "Scheduled for
        <date>: not live yet." lost its last word to "Change"."""
        live = obj.status != Article.Status.DRAFT and obj.published_at is not None
        if live and obj.is_scheduled:
            return _("Goes live %(when)s.") % {"when": publish_time(obj)}
        return self.publication_bar(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Not on a page that saves nothing (a moderator's view): its Change led to Publishing
        # shown read-only, and "readers see each save" spoke of saves they cannot make.
        if obj is not None and obj.pk is not None and self.has_change_permission(request, obj):
            context["publication_bar"] = self.publication_bar(obj)
            context["publication_bar_short"] = self.publication_bar_short(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_changeform_initial_data(self, request):
        """A new article is written by the person writing it, unless they choose otherwise."""
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        reviewer = form.cleaned_data.get("sign_off_by")
        if reviewer is not None:
            # An explicit next-review date typed with the sign-off wins over the default.
            next_due = None
            if "next_review_due" in form.changed_data:
                next_due = form.cleaned_data.get("next_review_due")
            obj.sign_off_review(reviewer, on=timezone.localdate(), next_due=next_due)
        request.was_published = change and Article.objects.published().filter(pk=obj.pk).exists()
        before = Article.objects.filter(pk=obj.pk).first() if change else None
        request.was_self_reviewed = before is not None and _self_reviewed(before)
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add):
        """History's line names what a save did to the publication ("Published now (it was
        scheduled for 10 Dec 2026, 09:30).") where Django's said "Changed Status and Publish
        date.", or only "Changed Publish date." for a scheduled article published now; and a
        sign-off by its reviewer ("Medical review signed off by Dr Ann Lee.") where it said
        "Changed Record a review sign-off by."."""
        message = super().construct_change_message(request, form, formsets, add)
        if add:  # "Added.", and what readers see of it: published, scheduled, or nothing
            published = publication_change(Article(status=Article.Status.DRAFT), form.instance)
            added = LogEntry(change_message=json.dumps(message)).get_change_message()
            return f"{added} {published}".strip() if published else message
        said, replaced = [], []
        if {"status", "published_at"} & set(form.changed_data):
            # As the form was opened (the row is saved already).
            before = Article(
                status=form.initial.get("status", form.instance.status),
                published_at=form.initial.get("published_at", form.instance.published_at),
            )
            if publication := publication_change(before, form.instance):
                said.append(publication)
                replaced += [
                    f.label for n, f in form.fields.items() if n in ("status", "published_at")
                ]
        reviewer = form.cleaned_data.get("sign_off_by")
        if reviewer is not None:
            said.append(_("Medical review signed off by %(name)s.") % {"name": reviewer.name})
            replaced += [form.fields["sign_off_by"].label]
        if not said:
            return message
        for entry in message:  # the rest of the save, as Django says it
            changed = entry.get("changed")
            if changed and "object" not in changed:  # the article's own fields
                changed["fields"] = [name for name in changed["fields"] if name not in replaced]
        message = [entry for entry in message if entry.get("changed", {"fields": 1})["fields"]]
        rest = LogEntry(change_message=json.dumps(message)).get_change_message() if message else ""
        return " ".join([*map(str, said), rest]).strip()

    # The message after a save says what it did for readers, not only "changed successfully":
    # a publish date to come schedules the article, which the message did not tell.
    def response_add(self, request, obj, post_url_continue=None):
        request.publication_outcome = publication_outcome(obj)
        response = super().response_add(request, obj, post_url_continue)
        self._warn_without_topic(request, obj)
        self._warn_without_writer(request, obj)
        self._warn_self_review(request, obj)
        self._warn_button_to_closed_comments(request, obj)
        return response

    def response_change(self, request, obj):
        was_published = getattr(request, "was_published", False)
        request.publication_outcome = publication_outcome(obj, was_published)
        response = super().response_change(request, obj)
        self._warn_without_topic(request, obj)
        self._warn_without_writer(request, obj)
        self._warn_self_review(request, obj)
        self._warn_button_to_closed_comments(request, obj)
        return response

    def _warn_button_to_closed_comments(self, request, obj):
        """Its call to action's button leads to the comment form ("Share your story": #respond,
        #comments), and the article takes no comments: readers pressing it landed on
        "Comments are closed". Said after the save, as the other warnings."""
        cta = obj.call_to_action
        if obj.allow_comments or cta is None:
            return
        if not cta.button_url.startswith(("#respond", "#comments", "#reply")):
            return
        self.message_user(
            request,
            _(
                "Its call to action's button leads to the comment form (%(link)s), and this "
                "article takes no comments: readers pressing it find “Comments are closed”. "
                "Choose another call to action, or allow comments."
            )
            % {"link": cta.button_url},
            messages.WARNING,
        )

    def _warn_without_topic(self, request, obj):
        """Published (or scheduled) without a topic, the article has no breadcrumb and is on
        no topic's page nor under "Browse by topic": said after the save, as WordPress files
        such a post under "Uncategorized" for all to see."""
        if obj.status == Article.Status.PUBLISHED and obj.topic_id is None:
            self.message_user(
                request,
                _(
                    "This article has no topic: readers find it only on the home page and in "
                    "search, not under a topic. Choose one under Topic and save."
                ),
                messages.WARNING,
            )

    def _warn_without_writer(self, request, obj):
        """Published (or scheduled) naming no writer: no byline chosen, and an author with
        neither a profile nor a full name (an editor's new account). The page had no "By"
        line and the feed no author, on a site that names who wrote each article."""
        if obj.status != Article.Status.PUBLISHED or obj.writer is not None:
            return
        if obj.author is not None and obj.author.get_full_name():
            return  # the byline shows the author's name (includes/byline.html)
        self.message_user(
            request,
            _(
                "This article names no writer: readers see no “By” line. Choose who wrote it "
                "under Byline (a person or the editorial team) and save."
            ),
            messages.WARNING,
        )

    def _warn_self_review(self, request, obj):
        """Reviewed by its own writer: readers read "By Dr Jane Sole … Medically reviewed by
        Dr Jane Sole", a review no one else made. Said after the save, not refused (a small
        site may have one clinician)."""
        if not _self_reviewed(obj) or getattr(request, "was_self_reviewed", False):
            return  # said once, at the save that made it so (not at every later save)
        writer = obj.writer
        self.message_user(
            request,
            _(
                "%(name)s is both the writer and the medical reviewer: readers read that it "
                "was reviewed by the person who wrote it. A sign-off by another reviewer says more."
            )
            % {"name": writer.name},
            messages.WARNING,
        )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        outcome = getattr(request, "publication_outcome", None)
        if outcome and level == messages.SUCCESS:
            message = format_html("{} {}", message, outcome)
        return super().message_user(request, message, level, *args, **kwargs)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        unpublish = path(
            "<path:object_id>/unpublish/",
            self.admin_site.admin_view(self.unpublish_view),
            name=f"{prefix}_unpublish",
        )
        return [unpublish, *super().get_urls()]

    # -- unpublishing, and deleting what other apps keep about an article ---------------------
    # An article that readers' data depends on (its comments) cannot be deleted unless the
    # person deleting ticks ERASE_FIELD to erase that data with it; the delete page says why
    # and offers to unpublish instead (see articles.deletion). The delete pages' templates
    # (templates/admin/articles/article/) send ERASE_FIELD.

    ERASE_FIELD = "erase_dependents"

    def _erase_requested(self, request) -> bool:
        return request.method == "POST" and request.POST.get(self.ERASE_FIELD) == "yes"

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Not the rows of the hidden table joining an article to its tags ("Article-tag
        # relationship: Article_tags object (4)"): the tags stay, and the editor chose no row.
        joins = Article.tags.through._meta
        deleted = without_listed(deleted, f"{capfirst(joins.verbose_name)}: ")
        model_count = {n: c for n, c in model_count.items() if n != joins.verbose_name_plural}
        dependents = deletion.dependents_of(objs)
        if dependents and self._erase_requested(request):
            deleted = [*deleted, *(dependent.description for dependent in dependents)]
            perms_needed = set(perms_needed) | {
                dependent.name
                for dependent in dependents
                if not request.user.has_perm(dependent.permission)
            }
        elif dependents:
            protected = [*protected, *(dependent.description for dependent in dependents)]
        return deleted, model_count, perms_needed, protected

    def _erasing(self, request):
        if self._erase_requested(request):
            return deletion.erasing_dependents(request.user)
        return nullcontext()

    def log_deletions(self, request, queryset):
        """One entry per article; it says what was erased with it."""
        if not self._erase_requested(request):
            return super().log_deletions(request, queryset)
        content_type = ContentType.objects.get_for_model(self.model)
        entries = []
        for article in queryset:
            erased = "; ".join(d.description for d in deletion.dependents_of([article]))
            entries.append(
                LogEntry(
                    user_id=request.user.pk,
                    content_type=content_type,
                    object_id=str(article.pk),
                    object_repr=str(article)[:200],
                    action_flag=DELETION,
                    change_message=f"Erased with it: {erased}." if erased else "",
                )
            )
        return LogEntry.objects.bulk_create(entries)

    def delete_model(self, request, obj):
        with self._erasing(request):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(), self._erasing(request):
            super().delete_queryset(request, queryset)

    def response_action(self, request, queryset):
        # Bulk deletion logs, erases and deletes in one transaction, as the delete page does.
        with transaction.atomic():
            return super().response_action(request, queryset)

    def _unpublish(self, request, article) -> bool:
        if article.status != Article.Status.PUBLISHED:
            return False
        before = Article(status=article.status, published_at=article.published_at)
        with reversion.create_revision():
            article.status = Article.Status.DRAFT
            article.save()
            reversion.set_user(request.user)
            reversion.set_comment(_("Unpublished."))
        # As a save's line says it ("Changed Status." said neither what nor whether it was
        # live or scheduled).
        self.log_change(request, article, str(publication_change(before, article)))
        return True

    @admin.action(description=_("Unpublish selected articles"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        count = sum(self._unpublish(request, article) for article in queryset)
        message = ngettext(
            "%(count)d article unpublished: readers no longer see it.",
            "%(count)d articles unpublished: readers no longer see them.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def unpublish_view(self, request, object_id):
        """POST: take the article off the site (back to draft), keeping its discussion."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        with transaction.atomic():
            changed = self._unpublish(request, article)
        if changed:
            self.message_user(
                request,
                _("“%(title)s” is unpublished: readers no longer see it.") % {"title": article},
                messages.SUCCESS,
            )
        url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[article.pk],
        )
        return HttpResponseRedirect(url)
