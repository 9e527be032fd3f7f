"""Erase a commenter's personal data at their request.

Usage: ``manage.py privacy_erase EMAIL [--keep-text] [--dry-run]``

From every comment with this address (matched ignoring case): the name becomes "Anonymous";
email, website, IP address and browser key are removed; reply emails stop. The text is
replaced by "[removed at the author's request]" unless ``--keep-text``. The address is also
forgotten as trusted and as verified. One transaction; logged (``comments.privacy``).
"""

import getpass

from django.core.management.base import BaseCommand, CommandError

from comments.privacy import ERASED_TEXT, erase_commenter


class Command(BaseCommand):
    help = "Erase a commenter's name, email, website, IPs and subscriptions (and text)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's email address.")
        parser.add_argument(
            "--keep-text",
            action="store_true",
            help=f"Keep the comments' text, anonymous (default: replace it by {ERASED_TEXT!r}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased; change nothing."
        )

    def handle(self, *args, email, keep_text=False, dry_run=False, **options):
        if not email.strip():
            raise CommandError("Give the commenter's email address.")
        result = erase_commenter(
            email, keep_text=keep_text, by=f"command:{getpass.getuser()}", dry_run=dry_run
        )
        text = "kept, anonymous" if keep_text else "replaced"
        summary = (
            f"{len(result.comments)} comment(s) (text {text}), {result.trusted} trusted "
            f"browser(s), {result.verified} verified address(es)"
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run: would erase {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Erased {summary}."))
