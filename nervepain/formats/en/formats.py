"""How the admin writes dates: "4 Dec 2026" and "4 Dec 2026, 21:58", as the comment queue and
the conversation on a comment's page already did, not Django's "Dec. 4, 2026, 9:58 p.m.".

Only these are replaced; everything else (the formats the date boxes accept, for one) is
Django's own for English (``FORMAT_MODULE_PATH``)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
