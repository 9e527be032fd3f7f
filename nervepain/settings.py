"""nervepain settings: one module, read from the environment.

Local defaults (``make run``) are SQLite, local-memory cache and console email. Production sets
``DJANGO_DEBUG=0`` and must provide a real ``DJANGO_SECRET_KEY``; docs/deploying.md lists every
variable.
"""

import ipaddress
import os
import socket
from email.utils import formataddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from nervepain.secret_key import read_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated environment variable."""
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG", False)

# A key that is missing, short, or Django's "insecure" placeholder is only tolerated in debug mode.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# Or a file holding it (`make serve`: .venv/secret_key), created once, atomically, if missing,
# so processes started together share one key.
if not SECRET_KEY and os.environ.get("DJANGO_SECRET_KEY_FILE", "").strip():
    SECRET_KEY = read_or_create_secret_key(Path(os.environ["DJANGO_SECRET_KEY_FILE"].strip()))
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters when "
        "DJANGO_DEBUG is off. Generate one with: python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'"
    )
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin, with a site that shows counts (pending comments) beside model names.
    "nervepain.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django.forms",  # Django's form templates, for FORM_RENDERER below
    "django_tasks",
    "django_tasks_db",
    "markdownx",
    "reversion",
    "articles",
    # django-comments-xtd before our app: CommentsConfig.ready() adjusts what xtd connects.
    "django_comments_xtd",
    "django_comments",
    "comments",
    "wordpress",
    "nervepain",  # project-wide management commands (wait_for_schema)
]
SITE_ID = 1

MIDDLEWARE = [
    "nervepain.middleware.RequestIdMiddleware",
    # Before anything reads the Host header or redirects to HTTPS: probes name a node's address.
    "nervepain.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "nervepain.middleware.SecurityHeadersMiddleware",
    "nervepain.middleware.ClientAddressMiddleware",
    # Outside the page cache: it watches for the database answering again during an outage.
    "nervepain.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nervepain.media.MediaMiddleware",
    "wordpress.middleware.OldPostIdMiddleware",
    "articles.pagecache.PageCacheMiddleware",
    "nervepain.middleware.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A page editors add under Pages (Articles) is served at its address (the shipped ones have
    # their own routes); tried only when nothing else answered, so only a 404 costs a query.
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

if env_bool("DJANGO_QUERY_COUNT_HEADER", False):
    MIDDLEWARE.insert(0, "nervepain.middleware.QueryCountMiddleware")

ROOT_URLCONF = "nervepain.urls"

# Widgets render through TEMPLATES, so templates/admin/widgets/ can mend one of Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nervepain.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "nervepain.wsgi.application"

# SQLite by default; PostgreSQL (through psycopg2) when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a comment is being written; IMMEDIATE avoids
    # "database is locked" when two writers upgrade their locks at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# Two caches. "default" holds pages and page parts: anything in it may be evicted at any time
# (in production a Redis with maxmemory and an allkeys-lru policy). "counters" holds the rate
# limits, failed logins and mail throttles, which must never be evicted to make room for pages:
# REDIS_COUNTERS_URL, a Redis that runs with maxmemory-policy noeviction; unset, REDIS_URL's
# (`manage.py check --deploy` says when that Redis may evict them).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_COUNTERS_URL = os.environ.get("REDIS_COUNTERS_URL", "") or REDIS_URL


def redis_cache(url: str) -> dict:
    return {
        # Redis down means cache misses, not errors (see nervepain/cache.py).
        "BACKEND": "nervepain.cache.TolerantRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "nervepain",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }


CACHES = {
    "default": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nervepain"}
    ),
    "counters": (
        redis_cache(REDIS_COUNTERS_URL)
        if REDIS_COUNTERS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "nervepain-counters",
            # Local memory culls a third of its keys when full: make that unreachable.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["nervepain.formats"]  # the admin's dates: "4 Dec 2026, 21:58"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Media on shared storage, for several web nodes: an S3-compatible bucket (django-storages),
# when DJANGO_MEDIA_S3_BUCKET is set. Credentials come from boto3's usual places
# (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role), never from here.
MEDIA_S3_BUCKET = os.environ.get("DJANGO_MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    _s3_endpoint = os.environ.get("DJANGO_MEDIA_S3_ENDPOINT_URL", "").rstrip("/")
    _s3_domain = os.environ.get("DJANGO_MEDIA_S3_CUSTOM_DOMAIN", "")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": _s3_endpoint or None,
            "region_name": os.environ.get("DJANGO_MEDIA_S3_REGION") or None,
            "custom_domain": _s3_domain or None,
            "location": "media",
            # Public, permanent addresses: images in articles are cached pages' content.
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
    if _s3_domain:
        MEDIA_URL = f"https://{_s3_domain}/media/"
    elif _s3_endpoint:
        MEDIA_URL = f"{_s3_endpoint}/{MEDIA_S3_BUCKET}/media/"
    else:
        MEDIA_URL = f"https://{MEDIA_S3_BUCKET}.s3.amazonaws.com/media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: console locally; SMTP when DJANGO_EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The Date header in TIME_ZONE ("+0000" for UTC): Django's default, "-0000", says the sender
# does not know its zone (RFC 5322), and mail apps show the time as it came.
EMAIL_USE_LOCALTIME = True

# How many proxies in front append to X-Forwarded-For (0: trust REMOTE_ADDR only), and the
# addresses (or networks) a request must come from for that header to be read at all: the
# variable gunicorn reads for the same trust, so its access log names the same client
# (nervepain/client_address.py).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXIES", 0)
TRUSTED_PROXY_ADDRESSES = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"])
# Strictly, as gunicorn reads it: "10.0.0.5/24" (host bits set) stops gunicorn at start, so
# Django refuses it too rather than trust a network gunicorn never would.
for _proxy in set(TRUSTED_PROXY_ADDRESSES) - {"*"}:
    try:
        ipaddress.ip_network(_proxy)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"FORWARDED_ALLOW_IPS: {_proxy!r} is no address or network (10.0.0.5, "
            f"10.0.0.0/24): {error}."
        ) from None

# Page cache for anonymous readers (articles.pagecache). 0 turns it off.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 300)
# Front caches purged by surrogate key after every change readers see (articles.frontcache),
# like Wagtail's frontend-cache settings: every Varnish in front (its address, for BAN), and a
# CDN's purge API.
FRONT_CACHES = {}
if env_list("DJANGO_FRONT_CACHE_VARNISH", []):
    FRONT_CACHES["varnish"] = {
        "BACKEND": "articles.frontcache.VarnishBackend",
        "LOCATIONS": env_list("DJANGO_FRONT_CACHE_VARNISH", []),
    }
if os.environ.get("DJANGO_FRONT_CACHE_FASTLY_SERVICE_ID"):
    FRONT_CACHES["fastly"] = {
        "BACKEND": "articles.frontcache.FastlyBackend",
        "SERVICE_ID": os.environ["DJANGO_FRONT_CACHE_FASTLY_SERVICE_ID"],
        "API_TOKEN": os.environ.get("DJANGO_FRONT_CACHE_FASTLY_TOKEN", ""),
    }
if os.environ.get("DJANGO_FRONT_CACHE_CLOUDFLARE_ZONE_ID"):
    FRONT_CACHES["cloudflare"] = {
        "BACKEND": "articles.frontcache.CloudflareBackend",
        "ZONE_ID": os.environ["DJANGO_FRONT_CACHE_CLOUDFLARE_ZONE_ID"],
        "API_TOKEN": os.environ.get("DJANGO_FRONT_CACHE_CLOUDFLARE_TOKEN", ""),
    }
# How long a CDN or proxy in front may keep an anonymous page (Cache-Control: s-maxage): a
# minute unless it is purged on change (FRONT_CACHES), then six hours.
PAGE_CACHE_SHARED_SECONDS = env_int(
    "DJANGO_PAGE_CACHE_SHARED_SECONDS", 6 * 3600 if FRONT_CACHES else 60
)
# Each web process also keeps the pages it served lately (checked against the shared version
# on every request): at most this many bytes of them.
PAGE_CACHE_LOCAL_BYTES = env_int("DJANGO_PAGE_CACHE_LOCAL_BYTES", 2 * 1024 * 1024)
PAGE_CACHE_BYPASS_COOKIES = {"sessionid", "csrftoken", "np_commenter", "np_remember"}
# The query parameters reader pages may carry (see articles.pagecache): the list's page, the
# reply link's comment, the sitemap's page, and old WordPress post ids (?p=, ?page_id=).
PAGE_CACHE_QUERY_PARAMETERS = {"page", "reply_to", "p", "page_id"}
PAGE_CACHE_INVALIDATED_BY = ["articles", "comments", "flatpages", "sites"]
PAGE_CACHE_RESPONSE_HOOKS = ["comments.forms.form_token_hook"]
# Parts of a page that are the same for everyone (the article, its structured data, the public
# comment tree) are also cached, under the same version, for the readers the page cache cannot
# serve (logged-in staff, commenters). 0 turns it off.
FRAGMENT_CACHE_SECONDS = env_int("DJANGO_FRAGMENT_CACHE_SECONDS", 300)

# The admin's address, so it is not where every bot looks first.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
# The admin's login is the site's only one; a login without a usable `next` goes to its index.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# Failed logins allowed per client address and user name, per window, before a 429.
LOGIN_ATTEMPTS_LIMIT = env_int("DJANGO_LOGIN_ATTEMPTS_LIMIT", 5)
LOGIN_ATTEMPTS_WINDOW = env_int("DJANGO_LOGIN_ATTEMPTS_WINDOW", 900)

# Content-Security-Policy: only this site's own files; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
if MEDIA_S3_BUCKET:  # images come from the bucket's address
    _media = urlsplit(MEDIA_URL)
    CONTENT_SECURITY_POLICY["img-src"] = ["'self'", f"{_media.scheme}://{_media.netloc}"]
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Security. Production sits behind a TLS proxy that sets X-Forwarded-Proto.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    if env_bool("DJANGO_BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# markdownx: previews go through the same sanitising renderer as saved articles, and
# uploads are raster images only (checked by decoding them in articles.uploads).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.markdown.render_markdown"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}

# The port a local server listens on (`make run PORT=8123` and `make serve PORT=8123` set it).
LOCAL_PORT = os.environ.get("DJANGO_PORT", "").strip() or "8000"
if not (LOCAL_PORT.isascii() and LOCAL_PORT.isdigit() and 0 < int(LOCAL_PORT) < 65536):
    raise ImproperlyConfigured(f"DJANGO_PORT must be a port number (1-65535), not {LOCAL_PORT!r}.")
# The public address of the site, for links in email (https in production). Unset, the local
# server's own address, so links follow `make run PORT=...`.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip() or f"http://127.0.0.1:{LOCAL_PORT}"
# This web node's name, for `manage.py refresh_pages` (the release it last ran is kept per node,
# so a rolling deploy refreshes the cache as each node moves on): unique per gunicorn.
NODE_NAME = os.environ.get("DJANGO_NODE_NAME", "").strip() or (
    f"{socket.gethostname()}:{os.environ.get('GUNICORN_BIND') or LOCAL_PORT}"
)
SITE_NAME = os.environ.get("DJANGO_SITE_NAME", "nervepain")
# The sender of the site's email: its name, at its own domain. "noreply@localhost" (what a
# production without DJANGO_DEFAULT_FROM_EMAIL sent from) is refused by mail services and filed
# as spam by readers' providers, and it named the site "nervepain" whatever DJANGO_SITE_NAME said.
_mail_host = urlsplit(SITE_URL).hostname or ""
if not _mail_host.strip("0123456789.") or ":" in _mail_host:  # an IP address: the local server
    _mail_host = "localhost"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip() or formataddr(
    (SITE_NAME, f"noreply@{_mail_host}")
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's one-line description: the home page's meta description and the feeds' subtitle.
SITE_DESCRIPTION = "Health information you can trust, and a kind place to talk about it."

# Site search on PostgreSQL: the text search configuration (language: stemming, stop words).
SEARCH_CONFIG = os.environ.get("DJANGO_SEARCH_CONFIG", "english")

# Articles: a medical review falls due this many days after the last sign-off.
ARTICLE_REVIEW_INTERVAL_DAYS = env_int("ARTICLE_REVIEW_INTERVAL_DAYS", 365)

# Background work (email). "immediate" runs a task right after the transaction commits, in the
# same process; "database" queues it for `manage.py db_worker` (django-tasks-db).
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[os.environ.get("DJANGO_TASKS_BACKEND", "immediate")],
        # Front-cache purges have their own queue (and worker), never behind a slow email.
        "QUEUES": ["default", "frontcache"],
    }
}

# The discussion: django-comments-xtd with our Comment model and form.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "comments.models.Comment"
COMMENTS_XTD_FORM_CLASS = "comments.forms.CommentForm"
COMMENTS_XTD_MAX_THREAD_LEVEL = 0
COMMENTS_XTD_MAX_THREAD_LEVEL_BY_APP_MODEL = {"articles.article": 2}  # three levels: 0, 1, 2
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_MIN_SECONDS = env_int("COMMENTS_MIN_SECONDS", 3)  # time trap
COMMENTS_FORM_MAX_AGE = 24 * 3600
COMMENTS_FORM_PAGES = {"articles:detail"}  # the pages with the form: they set its token cookie
COMMENTS_RATE_LIMIT = env_int("COMMENTS_RATE_LIMIT", 5)
COMMENTS_RATE_WINDOW = env_int("COMMENTS_RATE_WINDOW", 600)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0) or None
COMMENTS_MODERATOR_EMAILS_PER_MINUTE = 3
COMMENTS_RESERVED_NAMES = {SITE_NAME.casefold(), "admin", "administrator", "moderator"}
# The name readers see on replies moderators write "as the site" (each moderator may set their
# own public name instead, in the admin's queue).
COMMENTS_SITE_REPLY_NAME = os.environ.get("COMMENTS_SITE_REPLY_NAME", SITE_NAME)
# The queue's tabs count exactly up to this many comments per state, then show "10,000+"
# (Pending is always exact): counting a million published comments on every page view is slow.
COMMENTS_QUEUE_COUNT_CAP = env_int("COMMENTS_QUEUE_COUNT_CAP", 10000)
# Commenters' IP addresses are kept this many days, for moderation; `make clear-ips` (daily,
# from cron) clears older ones.
COMMENTS_IP_RETENTION_DAYS = env_int("COMMENTS_IP_RETENTION_DAYS", 30)
# Spam (and the spam list entries it taught) is deleted after this many days by
# `make clear-spam` (daily, from cron).
COMMENTS_SPAM_RETENTION_DAYS = env_int("COMMENTS_SPAM_RETENTION_DAYS", 30)
# Writers may edit or delete their own comment (same browser) this many minutes after posting.
COMMENTS_EDIT_MINUTES = env_int("COMMENTS_EDIT_MINUTES", 15)
# Reports from this many different browsers send a public comment back to the queue.
COMMENTS_REPORTS_TO_HOLD = env_int("COMMENTS_REPORTS_TO_HOLD", 3)
# A reader's worry about a comment's writer is recorded past the report limit above (it hides
# nothing, and the writer may be in danger): it has its own ceiling per IP, this many worried
# reports per this many seconds.
COMMENTS_WORRIED_REPORT_LIMIT = env_int("COMMENTS_WORRIED_REPORT_LIMIT", 10)
COMMENTS_WORRIED_REPORT_WINDOW = env_int("COMMENTS_WORRIED_REPORT_WINDOW", 3600)

# One line per event on stdout, key=value, with the request id: `grep request_id=abc`.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nervepain.middleware.RequestIdLogFilter"}},
    "formatters": {
        "keyvalue": {
            "format": (
                "time=%(asctime)s level=%(levelname)s logger=%(name)s "
                "request_id=%(request_id)s %(message)s"
            )
        },
        # runserver's own request lines (`make run`), as Django writes them.
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "keyvalue",
            "filters": ["request_id"],
            "stream": "ext://sys.stdout",
        },
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Without Django's own handlers (in debug mode a plain copy of each line on stderr;
        # mail to ADMINS, which we do not set), its events are the one line above, once.
        "django": {"handlers": []},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # gunicorn drops the body Django writes for HEAD (Django leaves that to the server) and
        # warned about it on every HEAD request; this logger says nothing else.
        "gunicorn.http.wsgi": {"level": "ERROR"},
    },
}
