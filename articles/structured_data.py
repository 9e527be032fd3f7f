"""schema.org JSON-LD for an article page: one ``@graph`` search engines can read.

``MedicalWebPage`` (the page: review, dates, breadcrumb, subject) has as ``mainEntity`` the
``Article`` (headline, author, publisher, citations, counts); the reviewer ``Person``, the
publisher ``Organization`` and the ``BreadcrumbList`` are nodes of their own, referred to by
``@id``. The call-to-action is promotion, not information: nothing of it appears here.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SHARE_IMAGE = "img/share.png"
LOGO_IMAGE = "img/logo.png"
HOME_NAME = "Home"


def absolute(path: str) -> str:
    """The public address of a path on this site (from ``SITE_URL``)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _without_empty(node: dict) -> dict:
    return {key: value for key, value in node.items() if value not in (None, "", [])}


def article_graph(article, *, comment_count: int) -> dict:
    """The page's JSON-LD as a dict; ``comment_count`` is the number of public comments."""
    page_url = absolute(article.get_absolute_url())
    home_url = absolute(reverse("articles:list"))
    organization_id = f"{home_url}#organization"
    webpage_id = f"{page_url}#webpage"
    article_id = f"{page_url}#article"
    breadcrumb_id = f"{page_url}#breadcrumb"
    image = absolute(article.featured_image.url if article.featured_image else static(SHARE_IMAGE))
    language = settings.LANGUAGE_CODE

    reviewer = article.reviewed_by if article.last_reviewed else None
    reviewer_id = f"{home_url}#reviewer-{reviewer.pk}" if reviewer else None
    author_name = article.author.get_full_name() if article.author else ""
    author = {"@type": "Person", "name": author_name} if author_name else {"@id": organization_id}

    webpage = _without_empty(
        {
            "@type": "MedicalWebPage",
            "@id": webpage_id,
            "url": page_url,
            "name": article.title,
            "description": article.summary,
            "inLanguage": language,
            "datePublished": _iso(article.published_at),
            "dateModified": _iso(article.updated_at),
            "lastReviewed": _iso(article.last_reviewed),
            "reviewedBy": {"@id": reviewer_id} if reviewer else None,
            "breadcrumb": {"@id": breadcrumb_id},
            "about": (
                {"@type": "MedicalCondition", "name": article.topic}
                if article.topic
                else {"@type": "Thing", "name": article.title}
            ),
            "mainEntity": {"@id": article_id},
            "publisher": {"@id": organization_id},
            "primaryImageOfPage": {"@type": "ImageObject", "url": image},
        }
    )
    article_node = _without_empty(
        {
            "@type": "Article",
            "@id": article_id,
            "headline": article.title[:110],  # search engines cut longer headlines
            "description": article.summary,
            "author": author,
            "publisher": {"@id": organization_id},
            "datePublished": _iso(article.published_at),
            "dateModified": _iso(article.updated_at),
            "inLanguage": language,
            "image": image,
            "mainEntityOfPage": {"@id": webpage_id},
            "wordCount": article.word_count,
            "timeRequired": f"PT{article.reading_time}M",
            "commentCount": comment_count,
            "citation": [
                _without_empty(
                    {
                        "@type": "CreativeWork",
                        "name": reference.title,
                        "url": reference.link,
                        "publisher": {"@type": "Organization", "name": reference.publisher},
                    }
                )
                for reference in article.reference_list
            ],
        }
    )
    organization = {
        "@type": "Organization",
        "@id": organization_id,
        "name": settings.SITE_NAME,
        "url": home_url,
        "logo": {"@type": "ImageObject", "url": absolute(static(LOGO_IMAGE))},
    }
    breadcrumb = {
        "@type": "BreadcrumbList",
        "@id": breadcrumb_id,
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": HOME_NAME, "item": home_url},
            {"@type": "ListItem", "position": 2, "name": article.title, "item": page_url},
        ],
    }
    graph = [webpage, article_node]
    if reviewer:
        graph.append(
            _without_empty(
                {
                    "@type": "Person",
                    "@id": reviewer_id,
                    "name": reviewer.name,
                    "honorificSuffix": reviewer.credentials,
                    "jobTitle": reviewer.job_title,
                    "url": reviewer.profile_link,
                }
            )
        )
    graph += [organization, breadcrumb]
    return {"@context": "https://schema.org", "@graph": graph}


# The characters that could end the script element or open a comment in it, as JSON escapes
# (the same table as Django's json_script).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """``<script type="application/ld+json">`` holding ``data``; data, not code, so it needs
    no Content-Security-Policy allowance."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Safe: with <, > and & escaped, no text in the JSON can close the element.
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),
    )
