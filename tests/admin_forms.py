"""What the admin's forms send, for tests that post them as a browser would."""


def page_form(page=None, **fields):
    """A publisher page's form: ``fields``, and the page's footer link sent back unchanged (or
    none, for a page without one)."""
    link = getattr(page, "footer_link", None) if page is not None else None
    data = {
        "footer_link-TOTAL_FORMS": "1" if link else "0",
        "footer_link-INITIAL_FORMS": "1" if link else "0",
        "footer_link-MIN_NUM_FORMS": "0",
        "footer_link-MAX_NUM_FORMS": "1",
    }
    if link:
        data |= {
            "footer_link-0-id": str(link.pk),
            "footer_link-0-page": str(page.pk),
            "footer_link-0-label": link.label,
            "footer_link-0-position": str(link.position),
        }
    return data | fields
