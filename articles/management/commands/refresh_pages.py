"""Make cached pages stale after a release or a configuration change (``make serve`` runs it
before gunicorn starts).

Pages rendered by the previous release, or with the previous ``DJANGO_SITE_URL``, stayed in
the page cache for up to ``DJANGO_PAGE_CACHE_SECONDS`` and in front caches for hours: old
links, old templates, static file names a new node may not have. Only when what pages are
rendered with changed (``articles.pagecache.release``), on the cache or on this node (a rolling
deploy: each node restarted on a new release refreshes again, so the pages the old nodes cached
meanwhile go too), or with ``--force``.
"""

from django.core.management.base import BaseCommand

from articles import pagecache


class Command(BaseCommand):
    help = "Make cached pages stale and purge front caches if the release or settings changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Even if unchanged (after restoring a backup: pages of data no longer there).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say whether the pages would be made stale."
        )

    def handle(self, *args, force=False, dry_run=False, **options):
        if dry_run:
            changed = force or pagecache.needs_refresh(pagecache.release())
            self.stdout.write(
                "Cached pages would be made stale." if changed else "Cached pages are current."
            )
            return
        if pagecache.refresh_for_release(force=force):
            self.stdout.write(
                self.style.SUCCESS("Cached pages made stale; front caches purged (if configured).")
            )
        else:
            self.stdout.write("Cached pages are from this release and configuration: kept.")
