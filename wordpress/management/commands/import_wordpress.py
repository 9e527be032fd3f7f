"""Import a WordPress export (WXR) file: posts become articles, with their comments.

Usage: ``manage.py import_wordpress export.xml [--dry-run] [--post-type page]``

Runs in one transaction: a file that breaks halfway changes nothing, and the error says where.
Reads the file as a stream, so its size does not decide the memory needed. Running it again
with the same file adds nothing (posts and comments are keyed on their WordPress ids); with a
newer export it adds only what is new. See ``wordpress.transfer`` for what is kept and how.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wordpress.transfer import ImportReport, import_wxr
from wordpress.wxr import WxrError


class Command(BaseCommand):
    help = (
        "Import posts (published, scheduled and drafts) and their comments from a WordPress "
        "export file (Tools > Export, WXR 1.0 to 1.2). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The WXR file WordPress exported.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and report what would be imported; save nothing.",
        )
        parser.add_argument(
            "--post-type",
            action="append",
            dest="post_types",
            metavar="TYPE",
            help="A WordPress post type to import; repeat for several (default: post). "
            "Use --post-type post --post-type page to import pages as articles too.",
        )

    def handle(self, *args, file, dry_run=False, post_types=None, **options):
        post_types = set(post_types or ["post"])
        try:
            with open(file, "rb") as stream, transaction.atomic():
                report = import_wxr(stream, post_types)
                if dry_run:
                    transaction.set_rollback(True)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        except WxrError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from error
        self._report(report, dry_run)

    def _report(self, report: ImportReport, dry_run: bool) -> None:
        verb = "would be" if dry_run else "were"
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
        skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(report.posts_skipped.items()))
        self.stdout.write(
            f"Articles: {report.articles_created} {verb} created, "
            f"{report.articles_existing} already imported"
            + (f"; posts skipped: {skipped}" if skipped else "")
            + "."
        )
        states = ", ".join(f"{n} {state}" for state, n in sorted(report.comments_by_state.items()))
        skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(report.comments_skipped.items()))
        self.stdout.write(
            f"Comments: {report.comments_created} {verb} created"
            + (f" ({states})" if states else "")
            + f", {report.comments_existing} already imported"
            + (f"; skipped: {skipped}" if skipped else "")
            + "."
        )
        if report.replies_moved_up:
            self.stdout.write(
                f"{report.replies_moved_up} replies nested deeper than this site allows "
                f"{verb} attached to the deepest allowed level."
            )
        if report.users_created:
            self.stdout.write(
                f"{report.users_created} author account(s) {verb} created, inactive and "
                "without a password."
            )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("Import finished."))
