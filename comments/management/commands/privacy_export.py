"""Export everything the site holds about one commenter, as JSON.

Usage: ``manage.py privacy_export EMAIL [--output FILE]`` (standard output without ``--output``).
The address is matched ignoring case. The export is logged (``comments.privacy``).
"""

import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from comments.privacy import export_commenter, log_export


class Command(BaseCommand):
    help = "Export a commenter's data (comments, dates, articles, IPs, subscriptions) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's email address.")
        parser.add_argument("--output", "-o", default="-", help="File to write (default: stdout).")

    def handle(self, *args, email, output="-", **options):
        data = export_commenter(email)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output == "-":
            self.stdout.write(text)
        else:
            try:
                with open(output, "w", encoding="utf-8") as out:
                    out.write(text + "\n")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from error
            self.stderr.write(
                self.style.SUCCESS(f"Wrote {len(data['comments'])} comment(s) to {output}.")
            )
        log_export(email, len(data["comments"]), by=f"command:{getpass.getuser()}")
