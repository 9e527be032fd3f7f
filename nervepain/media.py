"""Uploaded images (MEDIA_ROOT), served by the site itself wherever no front proxy serves them.

Django serves media only in debug mode, so under gunicorn (`make serve`) every uploaded image was
a 404. A deployment's proxy normally answers ``MEDIA_URL`` from disk before Django sees the
request (the operator docs give the nginx block, with the same headers); this middleware serves
whatever still reaches the site, in debug mode too, so the two never differ.

It sits beside whitenoise, ahead of sessions, the page cache and gzip: an image costs no database
query and is never cached or compressed again. What it serves is narrow on purpose:

- only names made of letters, digits, ``_``, ``-`` and ``.`` (no segment starts with a dot, so
  no ``..`` and no hidden files), under MEDIA_ROOT once symbolic links are resolved;
- only the raster image types in ``IMAGE_TYPES``, by extension, and only when the file really
  starts like one (an HTML page renamed ``.png`` is not served);
- with a fixed ``Content-Type`` from that list (never ``text/html`` or ``image/svg+xml``),
  ``nosniff``, and a ``sandbox`` Content-Security-Policy that blocks any script even in a
  document the browser were to build from the bytes.

Everything else under ``MEDIA_URL`` is a plain-text 404. Names are never reused (uploads get a
random name), so a year's immutable caching is safe. A front cache keeps an image that long
(deploy/varnish/default.vcl): each carries a surrogate key of its own (``surrogate_key``), by
which its deletion purges it (``articles.frontcache.forget_files``).
"""

import hashlib
import logging
import os
import re
import stat
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
)
from django.utils.http import http_date
from django.views.static import was_modified_since

logger = logging.getLogger(__name__)


def _starts_with(*prefixes: bytes):
    return lambda head: head.startswith(prefixes)


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


# Extension -> (Content-Type, test of the file's first bytes). The formats articles.uploads stores.
IMAGE_TYPES = {
    "jpg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    "png": ("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    "gif": ("image/gif", _starts_with(b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", _is_webp),
}

_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}"
_NAME = re.compile(rf"(?:{_SEGMENT}/){{0,8}}{_SEGMENT}\.([A-Za-z0-9]+)", re.ASCII)

# On every response under MEDIA_URL, images and 404s alike. An image opened on its own is shown
# in a page the browser builds itself, which styles it inline (Chromium centres it so): allowing
# that lets nothing of ours run, since these responses are never HTML and scripts stay blocked.
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
    ),
}
IMAGE_CACHE_CONTROL = "public, max-age=31536000, immutable"
MEDIA_KEY = "media"  # every uploaded image, for a front cache


def surrogate_key(name: str) -> str:
    """A stored file's own surrogate key: its name (``uploads/…-480w.jpg``) hashed, since keys
    are letters, digits, ``:``, ``_`` and ``-`` only."""
    return f"{MEDIA_KEY}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"


class MediaMiddleware:
    """Answer requests under a local ``MEDIA_URL`` with ``serve_media``; pass the rest on."""

    def __init__(self, get_response):
        media_url = urlsplit(settings.MEDIA_URL)
        if media_url.scheme or media_url.netloc or not settings.MEDIA_ROOT:
            raise MiddlewareNotUsed  # media live elsewhere (a CDN, object storage)
        self.prefix = media_url.path
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.prefix) and request.path != self.prefix:
            return serve_media(request, request.path[len(self.prefix) :])
        return self.get_response(request)


def serve_media(request, name: str) -> HttpResponse:
    """The image stored as ``name`` under MEDIA_ROOT, or a plain 404; GET and HEAD only."""
    if request.method not in ("GET", "HEAD"):
        return _with_media_headers(HttpResponseNotAllowed(["GET", "HEAD"]))
    match = _NAME.fullmatch(name)
    image_type = IMAGE_TYPES.get(match.group(1).lower()) if match else None
    if image_type is None:
        return _not_found()
    content_type, looks_right = image_type
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    if root not in path.parents:  # a symbolic link out of MEDIA_ROOT
        return _not_found()
    try:
        file = path.open("rb")
    except OSError:  # missing, a directory, unreadable
        return _not_found()
    status = os.fstat(file.fileno())
    if not stat.S_ISREG(status.st_mode) or not looks_right(file.read(16)):
        file.close()
        if stat.S_ISREG(status.st_mode):
            logger.warning("media file not served: content is not %s name=%s", content_type, name)
        return _not_found()
    file.seek(0)
    if not was_modified_since(request.headers.get("If-Modified-Since"), status.st_mtime):
        file.close()
        response = HttpResponseNotModified()
    else:
        response = FileResponse(file, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{path.name}"'  # name is [\w.-]
    response["Last-Modified"] = http_date(status.st_mtime)
    response["Cache-Control"] = IMAGE_CACHE_CONTROL
    keys = f"{MEDIA_KEY} {surrogate_key(name)}"  # as articles.frontcache.tag() puts them
    response["Surrogate-Key"] = keys
    response["xkey"] = keys
    return _with_media_headers(response)


def _not_found() -> HttpResponse:
    return _with_media_headers(
        HttpResponseNotFound("Not found.\n", content_type="text/plain; charset=utf-8")
    )


def _with_media_headers(response: HttpResponse) -> HttpResponse:
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    return response
