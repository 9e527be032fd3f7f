"""How a commenter is recognised, without accounts and without trusting what they type.

When a browser posts its first comment it receives ``COMMENTER_COOKIE``: a random key, signed
with the site's secret, HttpOnly, for a year. The database stores only the key's SHA-256
(``Comment.commenter_key_hash``). When a moderator approves a comment, the pair (that key's
hash, that email) becomes a ``TrustedCommenter``; a later comment is published at once only if
it comes with the same key *and* the same email. Someone typing a trusted commenter's name and
email in another browser has no key (or another one) and is held. The same key lets the browser
that wrote a held comment see it, marked "awaiting moderation", when nobody else can.

``REMEMBER_COOKIE`` is separate and only set when the commenter ticks "remember me": it holds
their name, email and website to fill the form in again.
"""

import json
import secrets

from django.conf import settings
from django.core import signing

from comments.models import hash_commenter_key

COMMENTER_COOKIE = "np_commenter"
REMEMBER_COOKIE = "np_remember"
_COMMENTER_SALT = "comments.commenter"
_REMEMBER_SALT = "comments.remember"
_YEAR = 365 * 24 * 3600


def commenter_key(request) -> str:
    return request.get_signed_cookie(COMMENTER_COOKIE, default="", salt=_COMMENTER_SALT)


def commenter_key_hash(request) -> str:
    return hash_commenter_key(commenter_key(request))


def new_commenter_key() -> str:
    return secrets.token_urlsafe(32)


def set_commenter_key(response, key: str) -> None:
    """Give (or renew for a year) this browser's commenter key."""
    _set_cookie(response, COMMENTER_COOKIE, key, _COMMENTER_SALT)


def remembered(request) -> dict:
    raw = request.get_signed_cookie(REMEMBER_COOKIE, default="", salt=_REMEMBER_SALT)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if k in {"name", "email", "url"}}


def remember(response, name: str, email: str, url: str) -> None:
    value = json.dumps({"name": name, "email": email, "url": url})
    _set_cookie(response, REMEMBER_COOKIE, value, _REMEMBER_SALT)


def forget(response) -> None:
    response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


def _set_cookie(response, name, value, salt):
    response.set_signed_cookie(
        name,
        value,
        salt=salt,
        max_age=_YEAR,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


# A link to confirm an address works this long (the email and the expired page say so).
CONFIRM_MAX_AGE = 7 * 24 * 3600


def sign_comment(comment_id: int, purpose: str) -> str:
    """A token for links in email (confirm an address, unsubscribe): signed and timestamped."""
    return signing.TimestampSigner(salt=f"comments.{purpose}").sign(str(comment_id))


def unsign_comment(token: str, purpose: str, max_age: int) -> int | None:
    try:
        value = signing.TimestampSigner(salt=f"comments.{purpose}").unsign(token, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return int(value)
