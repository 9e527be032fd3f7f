"""The admin login: rate-limited, and sending a signed-in user only to a page of the admin.

Failed attempts are counted per address and per account. The ``next`` address a login goes on
to is kept only if it names a page of the admin on this site; anything else (another host,
``//host``, ``javascript:``, a path that names no admin page) is dropped, and the login goes
to the admin index.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from nervepain import cache
from nervepain.cache import counters

# Named admin views a login must not go on to: signing out again, or the login itself.
_NOT_DESTINATIONS = {"login", "logout"}


def _keys(request, username: str) -> list[str]:
    address = getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR", "")
    return [f"login:fail:{address}", f"login:fail:{address}:{username.casefold()}"]


def _limits() -> list[int]:
    # One address may fail a few times on several accounts; one account only a few times.
    return [settings.LOGIN_ATTEMPTS_LIMIT * 4, settings.LOGIN_ATTEMPTS_LIMIT]


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    cache.count(_keys(request, credentials.get("username", "")), settings.LOGIN_ATTEMPTS_WINDOW)


def is_admin_destination(url: str) -> bool:
    """Whether a login may go on to ``url``: a path on this site (no scheme, no host) that
    names a page of the admin."""
    if not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return False
    try:
        match = resolve(unquote(urlsplit(url).path))
    except Resolver404:
        return False
    # The admin's catch-all view (unnamed) answers any path under it: a page that is not there.
    return match.namespace == admin.site.name and match.url_name not in {None, *_NOT_DESTINATIONS}


def _drop_unsafe_next(request) -> bool:
    """Forget a ``next`` the login may not go on to, so the admin sends the user to its index
    (and the form it shows carries the index, not the bad address). True if one was dropped."""
    dropped = False
    for method in ("GET", "POST"):
        params = getattr(request, method)
        if REDIRECT_FIELD_NAME in params and not is_admin_destination(params[REDIRECT_FIELD_NAME]):
            params = params.copy()
            del params[REDIRECT_FIELD_NAME]
            setattr(request, method, params)
            dropped = True
    return dropped


def admin_login(request, extra_context=None):
    """The admin's login view, answering 429 once an address or account failed too often,
    and going on only to a page of the admin."""
    if _drop_unsafe_next(request):
        # The form posts back to this address: without the dropped parameter.
        query = request.GET.urlencode()
        app_path = f"{request.path}?{query}" if query else request.path
        extra_context = {**(extra_context or {}), "app_path": app_path}
    if request.method == "POST":
        counts = counters.get_many(_keys(request, request.POST.get("username", "")))
        failures = [counts.get(key, 0) for key in _keys(request, request.POST.get("username", ""))]
        if any(failed >= limit for failed, limit in zip(failures, _limits(), strict=True)):
            minutes = settings.LOGIN_ATTEMPTS_WINDOW // 60
            return render(request, "login_locked.html", {"minutes": minutes}, status=429)
    return admin.site.login(request, extra_context)
