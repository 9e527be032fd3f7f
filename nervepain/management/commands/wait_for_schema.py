"""Wait until the database answers and every migration is applied; give up after a bound.

`make worker` runs this before django-tasks-db's ``db_worker``. Started together with
`make serve` on a fresh checkout (or beside a deploy that has not migrated yet), the worker
would otherwise query its tasks table before it exists and die; now it logs that it is waiting,
once per reason, and starts the moment the schema is there.
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger("nervepain.worker")


def schema_not_ready(alias: str = DEFAULT_DB_ALIAS) -> tuple[str, str] | None:
    """Why the database cannot be used yet, as (kind, details), or None when it can.

    The kind is "unreachable" (no connection, or no such database) or "unmigrated".
    """
    connection = connections[alias]
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        connection.close()  # the next try opens a fresh connection
        first_line = (str(error).strip().splitlines() or [""])[0]
        return "unreachable", f"database unreachable ({type(error).__name__}: {first_line})"
    if plan:
        return "unmigrated", f"{len(plan)} migrations not applied yet"
    return None


class Command(BaseCommand):
    help = "Wait until the database answers and is fully migrated (for the background worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=300,
            help="Give up (exit status 1) after this many seconds. Default: 300.",
        )
        parser.add_argument(
            "--interval", type=float, default=1, help="Seconds between checks. Default: 1."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, timeout, interval, database, **options):
        started = time.monotonic()
        said = None  # the kind of reason last logged: one line per kind, not one per check
        while (reason := schema_not_ready(database)) is not None:
            kind, details = reason
            if time.monotonic() - started >= timeout:
                raise CommandError(
                    f"The database schema is not ready after {timeout:g} s: {details}. "
                    "Run `manage.py migrate` (`make serve` does), then start the worker again."
                )
            if kind != said:
                logger.warning(
                    "waiting for the database schema: %s; checking every %g s for up to %g s",
                    details,
                    interval,
                    timeout,
                )
                said = kind
            time.sleep(interval)
        if said is not None:
            logger.info("database schema ready after %.1f s", time.monotonic() - started)
