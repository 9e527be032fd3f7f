"""The restore steps in docs/deploying.md do what they say: after a restore, no cached page
from before it is served, by Django's page cache or by a front cache."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks import default_task_backend

from articles import pagecache

DOCS = Path(__file__).resolve().parents[1] / "docs" / "deploying.md"
DUMMY = "django_tasks.backends.dummy.DummyBackend"


def restore_steps() -> str:
    section = DOCS.read_text().split("## Backups", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1]


def test_the_restore_steps_restore_then_migrate_then_invalidate():
    steps = restore_steps().splitlines()
    assert steps[0].startswith("pg_restore --clean --if-exists --no-owner")
    assert "manage.py migrate" in steps[1]
    assert "manage.py refresh_pages --force" in steps[2]


@pytest.mark.django_db
def test_the_documented_invalidation_makes_every_cached_page_stale_and_purges_them_all(
    settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRONT_CACHES = {
        "varnish": {
            "BACKEND": "articles.frontcache.VarnishBackend",
            "LOCATIONS": ["http://127.0.0.1:1"],
        }
    }
    settings.TASKS = {"default": {"BACKEND": DUMMY, "QUEUES": ["default", "frontcache"]}}
    default_task_backend.clear()
    command = re.search(r"manage\.py (refresh_pages.*)", restore_steps())[1].split()
    before = pagecache.current_version()

    with django_capture_on_commit_callbacks(execute=True):
        call_command(*command, stdout=io.StringIO())

    assert pagecache.current_version() != before
    purged = [set(r.args[0]) for r in default_task_backend.results if r.task.name == "purge"]
    assert purged == [{"site"}]
