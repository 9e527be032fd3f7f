import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator, URLValidator
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from django_comments.forms import COMMENT_MAX_LENGTH
from django_comments.forms import CommentForm as BaseCommentForm

from articles import pagecache
from comments.converters import MAX_COMMENT_ID
from comments.models import Comment
from comments.text import (
    NO_VISIBLE_TEXT,
    ReaderMaxLengthValidator,
    clean_comment_text,
    clean_display_name,
    has_visible_text,
    too_long,
)

# The form's one-time token travels in a cookie, not in the page: reader pages are cached and
# shared, so nothing in their HTML may belong to one reader. Every page with the form sets a
# fresh token (see ``form_token_hook``); it holds a random nonce and the time the page was served.
FORM_COOKIE = "np_form"
_FORM_SALT = "comments.form-token"


def new_form_token(served_at: float | None = None) -> str:
    served_at = time.time() if served_at is None else served_at
    return signing.dumps({"n": secrets.token_hex(16), "t": int(served_at)}, salt=_FORM_SALT)


def issue_form_token(request, response, served_at: float | None = None) -> None:
    """Give this response a fresh form token.

    ``served_at`` backdates it: the form shown again with a reader's text has been in front of
    them since the page that first served it (``CommentForm.served_at``)."""
    response.set_cookie(
        FORM_COOKIE,
        new_form_token(served_at),
        max_age=settings.COMMENTS_FORM_MAX_AGE,
        path="/",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def form_token_hook(request, response) -> None:
    """The page cache's hook for reader pages, cached or not (``PAGE_CACHE_RESPONSE_HOOKS``):
    a token for the pages that show the comment form (an article's); no cookie for a reader
    who only browses the home page, topics, feeds or the sitemap."""
    if response.status_code != 200:
        return
    page = pagecache.view_name(request.path_info, getattr(request, "urlconf", None))
    if page in settings.COMMENTS_FORM_PAGES:
        issue_form_token(request, response)


class CommentTextField(forms.CharField):
    """The comment box: its text as it is stored (``clean_comment_text``), so its length is
    counted as stored: each line break one character (browsers send two, which made a
    3,000-character text with 40 line breaks 3,040 long)."""

    def to_python(self, value):
        return clean_comment_text(super().to_python(value))


class WebsiteField(forms.URLField):
    """A commenter's website: a web address, never ``ftp:`` or another scheme."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class CommentForm(BaseCommentForm):
    """The "Leave a Reply" form.

    django-comments gives the fields and the honeypot. Its signed timestamp is replaced by the
    form token cookie (see ``FORM_COOKIE``): the nonce lets one page view create at most one
    comment, and the time it was served is the time trap (a form sent back faster than a person
    can type is refused) and the expiry.
    """

    # No maxlength in the page: a browser cuts a longer pasted text short without a word. The
    # page counts what is left (comments.js) and the server refuses more, the text kept.
    comment = CommentTextField(
        widget=forms.Textarea,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": too_long("Your comment")},
    )
    # As long as the columns they are saved in: a longer address reached the database and
    # failed there (a 500 on PostgreSQL), where the reader now gets the form back.
    email = forms.EmailField(max_length=Comment._meta.get_field("user_email").max_length)
    url = WebsiteField(
        required=False,
        assume_scheme="https",
        max_length=Comment._meta.get_field("user_url").max_length,
    )
    reply_to = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_COMMENT_ID
    )
    followup = forms.BooleanField(
        label=_("Email me when someone replies to me"),
        required=False,
        # Not "in one click": the link in each email opens a page with a button (only a mail
        # app's own Unsubscribe, from the List-Unsubscribe header, takes one click).
        help_text=_(
            "We first send you a link to confirm the address. Each email has a link to stop them."
        ),
    )
    remember = forms.BooleanField(
        label=_("Remember my name and email in this browser"),
        required=False,
        help_text=_("Sets a cookie with your name, email and website; untick to forget them."),
    )

    # Fields in the order the page shows them; security fields are hidden.
    field_order = ["name", "email", "url", "comment", "followup", "remember", "honeypot"]

    def __init__(self, target_object, data=None, initial=None, token="", **kwargs):
        self.token = token
        self.nonce = ""
        self.served_at = None  # when the page with this form was served, once the token is read
        super().__init__(target_object, data=data, initial=initial, **kwargs)
        del self.fields["timestamp"], self.fields["security_hash"]
        self.fields["name"].label = _("Name")
        self.fields["name"].help_text = _("Shown with your comment.")
        self.fields["email"].label = _("Email")
        self.fields["email"].help_text = _("Required, never shown to anyone but moderators.")
        self.fields["url"].label = _("Website")
        self.fields["url"].help_text = _("Optional.")
        self.fields["comment"].label = _("Comment")
        self.fields["comment"].help_text = _(
            "Plain text. Please don't share details you would not want to be public."
        )
        self.fields["comment"].widget.attrs.update({"rows": 8, "cols": 60})
        self.fields["honeypot"].label = _("Leave this field empty")
        for name, message in (
            ("name", _("Please enter your name.")),
            ("email", _("Please enter your email address (it is never shown).")),
            ("comment", _("Please write a comment.")),
        ):
            self.fields[name].error_messages["required"] = message
        # In the form's own voice, with an example to follow (Django's "Enter a valid email
        # address." said neither what was wrong nor what would do).
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address like name@example.com."
        )
        self.fields["url"].error_messages["invalid"] = _(
            "Enter a web address like https://example.com, or leave it empty."
        )
        for name in ("name", "email", "url"):
            self.fields[name].error_messages["max_length"] = _(
                "This is %(show_value)s characters long; the limit is %(limit_value)s."
            )
        # Their lengths written as the page writes its numbers ("3,149", as "up to 3,000").
        for field in self.fields.values():
            field.validators = [
                ReaderMaxLengthValidator(v.limit_value) if type(v) is MaxLengthValidator else v
                for v in field.validators
            ]

    def generate_security_data(self):
        # Only the target: the same for every reader, so the page can be cached.
        return {
            "content_type": str(self.target_object._meta),
            "object_pk": str(self.target_object._get_pk_val()),
        }

    def clean(self):
        cleaned_data = super().clean()
        try:
            token = signing.loads(self.token, salt=_FORM_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form could not be checked. Please send it again."), code="tampered"
            ) from None
        self.served_at = token["t"]
        age = time.time() - self.served_at
        if age > settings.COMMENTS_FORM_MAX_AGE:
            raise forms.ValidationError(
                _("This form has expired. Your text is kept below: please send it again."),
                code="expired",
            )
        if age < settings.COMMENTS_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was faster than we allow. Please wait a few seconds and send it again."),
                code="too_fast",
            )
        self.nonce = token["n"]
        return cleaned_data

    # -- reader input -------------------------------------------------------------------

    def clean_name(self):
        return clean_display_name(self.cleaned_data["name"], settings.COMMENTS_RESERVED_NAMES)

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_comment(self):
        comment = super().clean_comment()  # as stored: CommentTextField
        if not comment:
            raise forms.ValidationError(_("Please write a comment."), code="required")
        if not has_visible_text(comment):
            raise forms.ValidationError(_(NO_VISIBLE_TEXT), code="invisible")
        return comment

    def get_comment_create_data(self, site_id=None):
        data = super().get_comment_create_data(site_id=site_id)
        data.update(followup=self.cleaned_data["followup"], form_nonce=self.nonce)
        return data

    def check_for_duplicate_comment(self, new):
        # Duplicates are found by the view: the one-time nonce (a unique column) for requests
        # sent together, and the same text from the same address for a form sent again later.
        return new

    def has_token_error(self, code: str) -> bool:
        return self.has_error(NON_FIELD_ERRORS, code)

    def next_served_at(self) -> float | None:
        """The time for the token of this form shown again (a refused post): the reader may
        send it at once, as the time trap of the page they first had allows (never sooner),
        and it expires a full lifetime from now. None: a token as new."""
        if self.served_at is None:
            return None
        return max(self.served_at, time.time() - settings.COMMENTS_MIN_SECONDS)
