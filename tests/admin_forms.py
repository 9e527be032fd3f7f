"""What the admin's forms send, for tests that post them as a browser would."""


def page_form(page=None, **fields):
    """A publisher page's form: ``fields``, and the page's header and footer links sent back
    unchanged (or none, for a page without them)."""
    data = {}
    for prefix in ("header_link", "footer_link"):
        link = getattr(page, prefix, None) if page is not None else None
        data |= {
            f"{prefix}-TOTAL_FORMS": "1" if link else "0",
            f"{prefix}-INITIAL_FORMS": "1" if link else "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1",
        }
        if link:
            data |= {
                f"{prefix}-0-id": str(link.pk),
                f"{prefix}-0-page": str(page.pk),
                f"{prefix}-0-label": link.label,
                f"{prefix}-0-position": str(link.position),
            }
    return data | fields
