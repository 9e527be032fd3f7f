"""Forget commenters' IP addresses once moderation no longer needs them.

Usage: ``manage.py clear_old_ips [--days N] [--dry-run]`` (``make clear-ips``); run it daily
from cron. Comments submitted more than ``COMMENTS_IP_RETENTION_DAYS`` days ago (30 unless
set) lose their IP address; nothing else changes.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments.privacy import clear_old_ips


class Command(BaseCommand):
    help = "Clear the IP address of comments older than COMMENTS_IP_RETENTION_DAYS (30)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep IPs this many days (default: the COMMENTS_IP_RETENTION_DAYS setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be cleared; clear nothing."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days cannot be negative.")
        count = clear_old_ips(days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"Dry run: would clear {count} IP address(es) older than {days} days."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Cleared {count} IP address(es) older than {days} days.")
            )
