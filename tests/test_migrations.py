import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    """Model changes always ship with their migration."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
