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
    reviewer_id = person_id(reviewer) if reviewer else None
    writer = article.writer
    author_name = article.author.get_full_name() if article.author else ""
    if writer is not None:
        author = {"@id": person_id(writer)}
    elif author_name:
        author = {"@type": "Person", "name": author_name}
    else:
        author = {"@id": organization_id}

    webpage = _without_empty(
        {
            "@type": "MedicalWebPage",
            "@id": webpage_id,
            "url": page_url,
            "name": article.title,
            "description": article.summary,
            "inLanguage": language,
            "datePublished": _iso(article.published_at),
            "dateModified": _iso(article.modified_at),
            "lastReviewed": _iso(article.last_reviewed),
            "reviewedBy": {"@id": reviewer_id} if reviewer else None,
            "breadcrumb": {"@id": breadcrumb_id},
            "about": (
                {"@type": "MedicalCondition", "name": article.topic.name}
                if article.topic
                else {"@type": "Thing", "name": article.title}
            ),
            "keywords": ", ".join(tag.name for tag in article.tag_list),
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
            "dateModified": _iso(article.modified_at),
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
    organization = organization_node()
    breadcrumb = breadcrumb_list(breadcrumb_id, article.topic_trail, article.title, page_url)
    graph = [webpage, article_node]
    if writer is not None:
        graph.append(person_node(writer))
    if reviewer and reviewer != writer:
        graph.append(person_node(reviewer))
    graph += [organization, breadcrumb]
    return {"@context": "https://schema.org", "@graph": graph}


def organization_node() -> dict:
    """The publisher: name, home page and logo (``static/img/logo.png``, from the SVG mark)."""
    home_url = absolute(reverse("articles:list"))
    return {
        "@type": "Organization",
        "@id": f"{home_url}#organization",
        "name": settings.SITE_NAME,
        "url": home_url,
        "logo": {"@type": "ImageObject", "url": absolute(static(LOGO_IMAGE))},
    }


def site_graph() -> dict:
    """The home page's JSON-LD: the ``WebSite`` (with its search) and its publisher."""
    home_url = absolute(reverse("articles:list"))
    search_url = absolute(reverse("search"))
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": f"{home_url}#website",
                "url": home_url,
                "name": settings.SITE_NAME,
                "description": settings.SITE_DESCRIPTION,
                "inLanguage": settings.LANGUAGE_CODE,
                "publisher": {"@id": f"{home_url}#organization"},
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": f"{search_url}?q={{search_term_string}}",
                    },
                    "query-input": "required name=search_term_string",
                },
            },
            organization_node(),
        ],
    }


def breadcrumb_list(node_id: str, crumbs, name: str, url: str) -> dict:
    """``BreadcrumbList``: Home, then ``crumbs`` (objects with a name and an address), then
    the page itself; the same trail the page shows."""
    trail = [(HOME_NAME, absolute(reverse("articles:list")))]
    trail += [(crumb.name, absolute(crumb.get_absolute_url())) for crumb in crumbs]
    trail.append((name, url))
    return {
        "@type": "BreadcrumbList",
        "@id": node_id,
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb_name, "item": crumb_url}
            for position, (crumb_name, crumb_url) in enumerate(trail, start=1)
        ],
    }


def collection_graph(obj, *, crumbs, description: str) -> dict:
    """A topic's or tag's page: a ``CollectionPage`` with its breadcrumb trail."""
    url = absolute(obj.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@graph": [
            _without_empty(
                {
                    "@type": "CollectionPage",
                    "@id": f"{url}#webpage",
                    "url": url,
                    "name": obj.name,
                    "description": description,
                    "inLanguage": settings.LANGUAGE_CODE,
                    "breadcrumb": {"@id": f"{url}#breadcrumb"},
                    "isPartOf": {"@id": f"{absolute(reverse('articles:list'))}#website"},
                }
            ),
            breadcrumb_list(f"{url}#breadcrumb", crumbs, obj.name, url),
        ],
    }


def person_id(person) -> str:
    """A person's ``@id``: on their profile page when they have one, else on the home page."""
    if person.is_public:
        return f"{absolute(person.get_absolute_url())}#person"
    return f"{absolute(reverse('articles:list'))}#person-{person.pk}"


def person_node(person) -> dict:
    """schema.org ``Person`` (an ``Organization`` for a team) with what the profile shows."""
    return _without_empty(
        {
            "@type": "Organization" if person.is_team else "Person",
            "@id": person_id(person),
            "name": person.name,
            "honorificSuffix": person.credentials,
            "jobTitle": None if person.is_team else person.job_title,
            "description": person.bio,
            "url": absolute(person.get_absolute_url()) if person.is_public else None,
            "image": absolute(person.photo.url) if person.photo else None,
            "sameAs": person.links,
        }
    )


def profile_graph(person) -> dict:
    """A profile page's JSON-LD: a ``ProfilePage`` whose main entity is the person."""
    url = absolute(person.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "ProfilePage",
                "@id": f"{url}#webpage",
                "url": url,
                "name": person.name,
                "inLanguage": settings.LANGUAGE_CODE,
                "mainEntity": {"@id": person_id(person)},
            },
            person_node(person),
        ],
    }


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
