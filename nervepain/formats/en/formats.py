"""How the admin writes dates: "4 Dec 2026" and "4 Dec 2026, 21:58", as the comment queue and
the conversation on a comment's page already did, not Django's "Dec. 4, 2026, 9:58 p.m.".

And the dates its boxes read: Django's for English, less the ones with slashes, which it reads
month first (10/12/2026 was 12 October, where this site writes the day first and an editor
meant 10 December: a publish date to come became one past, live at once). The first of each
is what the calendar writes."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-10
    "%d %b %Y",  # 10 Dec 2026
    "%d %b, %Y",
    "%d %B %Y",  # 10 December 2026
    "%d %B, %Y",
    "%b %d %Y",  # Dec 10 2026
    "%b %d, %Y",
    "%B %d %Y",  # December 10, 2026
    "%B %d, %Y",
]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M"]
