"""A session that selects the browser journeys with the other tests skips the journeys and says
how to run them (tests/e2e/conftest.py); a session of journeys alone runs them."""

from types import SimpleNamespace

import pytest

from tests.e2e import conftest as journeys


def item(path):
    markers = []
    return SimpleNamespace(fspath=path, markers=markers, add_marker=markers.append)


def test_journeys_among_other_tests_are_skipped_with_the_command_to_run_them():
    journey, other = item("/repo/tests/e2e/test_site.py"), item("/repo/tests/test_faults.py")
    journeys.pytest_collection_finish(SimpleNamespace(items=[journey, other]))
    [skip] = journey.markers
    assert skip.mark.name == "skip"
    assert "pytest -m e2e" in skip.mark.kwargs["reason"]
    assert other.markers == []


@pytest.mark.parametrize(
    "paths", [["/repo/tests/e2e/test_site.py"], ["/repo/tests/test_faults.py"]]
)
def test_a_session_of_one_kind_runs_it(paths):
    items = [item(path) for path in paths]
    journeys.pytest_collection_finish(SimpleNamespace(items=items))
    assert all(i.markers == [] for i in items)
