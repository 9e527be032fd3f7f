"""How hard an article is to read, as a hint for editors (never a block on saving)."""

# Health information for the public aims at about a US school grade 8 (age 13-14).
READING_GRADE_TARGET = 8


def reading_grade(text: str) -> float | None:
    """The Flesch-Kincaid grade of plain ``text``; None when there is nothing to grade."""
    if not text.strip():
        return None
    import textstat  # only where editors see grades: its ~60 modules stay out of web workers

    return round(textstat.flesch_kincaid_grade(text), 1)
