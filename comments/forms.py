import secrets
import time

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_comments.forms import CommentForm as BaseCommentForm

from comments.text import clean_comment_text, clean_display_name


class CommentForm(BaseCommentForm):
    """The "Leave a Reply" form.

    On top of django-comments' signed timestamp and honeypot, the signed token carries a
    one-time nonce (a form can create at most one comment) and the timestamp doubles as a
    time trap: a form sent back faster than a person can type is refused.
    """

    url = forms.URLField(required=False, assume_scheme="https")
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=32)
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    followup = forms.BooleanField(
        label=_("Email me when someone replies to me"),
        required=False,
        help_text=_("We first send you a link to confirm the address. Unsubscribe in one click."),
    )
    remember = forms.BooleanField(
        label=_("Remember my name and email in this browser"),
        required=False,
        help_text=_("Sets a cookie with your name, email and website; untick to forget them."),
    )

    # Fields in the order the page shows them; security fields are hidden.
    field_order = ["name", "email", "url", "comment", "followup", "remember", "honeypot"]

    def __init__(self, target_object, data=None, initial=None, **kwargs):
        self._nonce = secrets.token_hex(16)
        super().__init__(target_object, data=data, initial=initial, **kwargs)
        self.fields["name"].label = _("Name")
        self.fields["name"].help_text = _("Shown with your comment.")
        self.fields["email"].label = _("Email")
        self.fields["email"].help_text = _("Required, never shown to anyone but moderators.")
        self.fields["url"].label = _("Website")
        self.fields["url"].help_text = _("Optional.")
        self.fields["url"].validators = [URLValidator(schemes=["http", "https"])]
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

    # -- security data: the token signs the target, the time and a one-time nonce --------

    def generate_security_data(self):
        timestamp = int(time.time())
        return {
            "content_type": str(self.target_object._meta),
            "object_pk": str(self.target_object._get_pk_val()),
            "timestamp": str(timestamp),
            "nonce": self._nonce,
            "security_hash": self.initial_security_hash(timestamp),
        }

    def initial_security_hash(self, timestamp):
        return self.generate_security_hash(
            str(self.target_object._meta),
            str(self.target_object._get_pk_val()),
            str(timestamp),
            self._nonce,
        )

    def generate_security_hash(self, content_type, object_pk, timestamp, nonce=""):
        value = "-".join((content_type, object_pk, timestamp, nonce))
        return salted_hmac("comments.CommentForm", value).hexdigest()

    def clean_security_hash(self):
        expected = self.generate_security_hash(
            self.data.get("content_type", ""),
            self.data.get("object_pk", ""),
            self.data.get("timestamp", ""),
            self.data.get("nonce", ""),
        )
        actual = self.cleaned_data["security_hash"]
        if not constant_time_compare(expected, actual):
            raise forms.ValidationError(
                _("This form could not be checked. Please send it again."), code="tampered"
            )
        return actual

    def clean_timestamp(self):
        timestamp = self.cleaned_data["timestamp"]
        age = time.time() - timestamp
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
        return timestamp

    def refresh_security(self):
        """Give a bound form a fresh token, keeping what the reader typed."""
        data = self.data.copy()
        data.update(self.generate_security_data())
        self.data = data

    # -- reader input -------------------------------------------------------------------

    def clean_name(self):
        return clean_display_name(self.cleaned_data["name"], settings.COMMENTS_RESERVED_NAMES)

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_comment(self):
        comment = clean_comment_text(super().clean_comment())
        if not comment:
            raise forms.ValidationError(_("Please write a comment."), code="required")
        return comment

    def get_comment_create_data(self, site_id=None):
        data = super().get_comment_create_data(site_id=site_id)
        data.update(
            followup=self.cleaned_data["followup"],
            form_nonce=self.cleaned_data["nonce"],
        )
        return data

    def check_for_duplicate_comment(self, new):
        # Duplicates are caught by the one-time nonce (a unique column), not by this
        # per-day scan of every comment on the page.
        return new

    def is_security_failure(self) -> bool:
        return any(field in self.errors for field in ("security_hash", "content_type", "object_pk"))

    def has_error_code(self, code: str) -> bool:
        return any(self.has_error(field, code) for field in ("timestamp", "honeypot"))
