"""Real-browser journeys: pytest-playwright driving Debian's chromium against a live server.

Run with the rest of the suite by `make test`, or alone with `pytest -m e2e`. Without a chromium
at CHROMIUM_PATH they are skipped, and the skip says so. A failing test leaves a screenshot in
test-results/.
"""

import os
import shutil
import threading

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
HAVE_CHROMIUM = shutil.which(CHROMIUM) is not None

# Playwright's sync API runs an event loop in this thread; the live server's database work
# happens in its own thread, so Django's async-safety guard does not apply to these tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _is_journey(item) -> bool:
    return "tests/e2e/" in str(item.fspath).replace(os.sep, "/")


def pytest_collection_modifyitems(config, items):
    """Mark the journeys ``e2e`` (before ``-m`` selects by it)."""
    for item in items:
        if _is_journey(item):
            item.add_marker(pytest.mark.e2e)
            if not HAVE_CHROMIUM:
                item.add_marker(
                    pytest.mark.skip(reason=f"no chromium at {CHROMIUM}: browser journeys skipped")
                )


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """The journeys run in a session of their own (``make test`` runs two): among the other
    tests, which set up the test database before Playwright starts, they got Django
    connections without the serialized copy of the data migrations (the Moderators group,
    the shipped pages) and failed by the hundred. A session that selected both says so and
    skips the journeys."""
    journeys = [item for item in session.items if _is_journey(item)]
    if journeys and len(journeys) < len(session.items):
        reason = (
            "browser journeys run in a session of their own: pytest -m e2e (make test runs both)"
        )
        for item in journeys:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session", autouse=True)
def _browser_around_the_database(browser, django_db_setup, live_server):
    """Start the browser before the test database, and close it before the live server stops.

    Started first, whatever test comes first: when the first test asked for the database
    before the browser (the editor tests' autouse fixture does), Django's connection objects
    set up before Playwright started were not the ones later tests got: those had no
    serialized copy of the data migrations, so on PostgreSQL every later test lost the
    Moderators group and failed at setup.

    Closed here, not last: its keep-alive connections to the live server kept the server's
    request threads, and each thread its database connection, while PostgreSQL was asked to
    drop the database ("being accessed by other users"). Closing it lets those threads end
    (closing their connections) before the live server stops sharing SQLite's in-memory
    connection with them; they are joined by the name Python gives a thread of that target.
    """
    yield
    browser.close()
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(autouse=True)
def _like_production(settings):
    """The page cache on, as in production; a short but real time trap."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.COMMENTS_MIN_SECONDS = 1


@pytest.fixture
def console_errors(page):
    """Collect console errors (a Content-Security-Policy violation shows up here)."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors
