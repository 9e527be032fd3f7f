"""Rate-limited admin login: failed attempts are counted per address and per account."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render


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
    for key in _keys(request, credentials.get("username", "")):
        cache.add(key, 0, timeout=settings.LOGIN_ATTEMPTS_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, 1, timeout=settings.LOGIN_ATTEMPTS_WINDOW)


def admin_login(request, extra_context=None):
    """The admin's login view, answering 429 once an address or account failed too often."""
    if request.method == "POST":
        counts = cache.get_many(_keys(request, request.POST.get("username", "")))
        failures = [counts.get(key, 0) for key in _keys(request, request.POST.get("username", ""))]
        if any(failed >= limit for failed, limit in zip(failures, _limits(), strict=True)):
            minutes = settings.LOGIN_ATTEMPTS_WINDOW // 60
            return render(request, "login_locked.html", {"minutes": minutes}, status=429)
    return admin.site.login(request, extra_context)
