"""How hard an article is to read, as a hint for editors (never a block on saving)."""

# Health information for the public aims at about a US school grade 8 (age 13-14).
READING_GRADE_TARGET = 8


def reading_grade(text: str) -> float | None:
    """The Flesch-Kincaid grade of plain ``text``; None when there is nothing to grade."""
    if not text.strip():
        return None
    import textstat  # only where editors see grades: its ~60 modules stay out of web workers

    return round(textstat.flesch_kincaid_grade(text), 1)


def grade_hint(grade: float | None) -> str:
    """What the editor is told about a grade: the number, the target and a verdict."""
    from django.utils.translation import gettext as _

    if grade is None:
        return _("Reading grade: shown once the body has text.")
    if grade <= READING_GRADE_TARGET:
        verdict = _("within the target")
    else:
        verdict = _("above the target: shorter sentences and everyday words help")
    return _(
        "Grade %(grade).1f (Flesch-Kincaid) · target: grade %(target)s or below, %(verdict)s. "
        "A hint, not a rule."
    ) % {"grade": grade, "target": READING_GRADE_TARGET, "verdict": verdict}
