"""Browser tests flush the database after each test; what data migrations made (the
Moderators group) is put back before the next, whatever test opened the session."""

import pytest
from django.contrib.auth.models import Group
from django.db import connections

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_moderators_group_is_there_in_every_browser_test():
    assert hasattr(connections["default"], "_test_serialized_contents")
    assert Group.objects.filter(name="Moderators").exists()
