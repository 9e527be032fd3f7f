"""Delete spam older than the retention period, with its personal data.

Usage: ``manage.py delete_old_spam [--days N] [--dry-run]`` (``make clear-spam``); run it daily
from cron, like ``clear_old_ips``. Comments marked as spam (by a moderator or by the local spam
list) and submitted more than ``COMMENTS_SPAM_RETENTION_DAYS`` days ago (30 unless set) are
deleted, with the spam list entries they taught. Comments removed (by their writer or a
moderator) that long ago are emptied of their writer's data and text (the row stays, for the
threads' shape). Each run is logged.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments.privacy import empty_old_removed
from comments.spam import delete_old_spam


class Command(BaseCommand):
    help = (
        "Delete spam older than COMMENTS_SPAM_RETENTION_DAYS (30), with its personal data, and "
        "empty comments removed that long ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep spam this many days (default: the COMMENTS_SPAM_RETENTION_DAYS setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.COMMENTS_SPAM_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days cannot be negative.")
        count = delete_old_spam(days, dry_run=dry_run)
        removed = empty_old_removed(days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"Dry run: would delete {count} spam comment(s) older than {days} days and "
                f"empty {removed} comment(s) removed before then."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Deleted {count} spam comment(s) older than {days} days; emptied "
                    f"{removed} comment(s) removed before then."
                )
            )
