"""Faults survived: the database, Redis or the mail server going away loses nothing."""

import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django_comments.models import Comment as ContribComment
from django_comments_xtd.models import XtdComment
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from tests.comments.conftest import form_data, send
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TEXT = "My story that must not be lost."


@pytest.fixture(autouse=True)
def _post_at_once(settings):
    settings.COMMENTS_MIN_SECONDS = 0


def fail_sql(monkeypatch, when):
    """Make every SQL statement for which ``when(sql)`` is true fail as if the server vanished."""
    real_execute = CursorWrapper.execute

    def execute(self, sql, params=None):
        if when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return real_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)


def test_database_down_at_the_start_of_a_post_gives_a_503_with_the_text(client, monkeypatch):
    article = ArticleFactory()
    data = form_data(article, comment=TEXT)
    fail_sql(monkeypatch, lambda sql: True)
    response = send(client, data)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert TEXT in response.content.decode()
    assert "database is unavailable" in response.content.decode()


def test_database_lost_mid_save_leaves_no_partial_rows(client, monkeypatch):
    """The comment spans three tables; losing the server after the first insert keeps none."""
    article = ArticleFactory()
    data = form_data(article, comment=TEXT)
    fail_sql(monkeypatch, lambda sql: sql.startswith('INSERT INTO "comments_comment"'))
    response = send(client, data)
    assert response.status_code == 503
    assert TEXT in response.content.decode()
    monkeypatch.undo()  # the server is back
    assert ContribComment.objects.count() == XtdComment.objects.count() == 0
    assert send(client, data).status_code == 303  # the same form now succeeds
    assert Comment.objects.count() == 1


@pytest.fixture
def redis_down(settings):
    """Point both caches (pages, counters) at a port where nothing listens."""
    unreachable = {
        "BACKEND": "nervepain.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
    }
    settings.CACHES = {"default": unreachable, "counters": unreachable}
    settings.PAGE_CACHE_SECONDS = 300


def test_redis_down_pages_still_render(client, redis_down, caplog):
    article = ArticleFactory()
    with caplog.at_level(logging.WARNING, logger="nervepain.cache"):
        assert client.get("/").status_code == 200
        assert client.get(article.get_absolute_url()).status_code == 200
    assert "cache unavailable" in caplog.text


def test_redis_down_rate_limit_fails_open_and_comments_are_still_moderated(client, redis_down):
    """Documented choice: without Redis the limit is not enforced, but nothing is auto-published."""
    article = ArticleFactory()
    for n in range(7):
        assert send(client, form_data(article, comment=f"{TEXT} {n}")).status_code == 303
    assert Comment.objects.filter(state=Comment.State.PENDING).count() == 7


class UnreachableSMTP(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


# The worker manages its own database connections (closing them between tasks), which needs
# real transactions rather than a test wrapped in one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_smtp_down_comments_are_saved_and_emails_retried_by_the_worker(
    client, settings, moderator, moderator_client, django_capture_on_commit_callbacks, caplog
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.test_faults.UnreachableSMTP"
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, form_data(article, comment=TEXT)).status_code == 303
    comment = Comment.objects.get()
    assert DBTaskResult.objects.count() == 1  # queued, not sent in the request

    with caplog.at_level(logging.ERROR):
        call_command("db_worker", "--batch", "--no-startup-delay")
    assert "email failed task=" in caplog.text
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now()  # backoff: not before a minute from now
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}

    # Moderators can still work while mail is down.
    moderator_client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]}
    )
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED

    # The mail server is back and the retry is due: the worker delivers... nothing stale:
    # the comment is no longer pending, so the moderators' email is no longer due.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert DBTaskResult.objects.get(pk=retry.pk).return_value == "no longer pending"
    assert mail.outbox == []


# The worker manages its own database connections (closing them between tasks), which needs
# real transactions rather than a test wrapped in one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_smtp_down_then_back_delivers_on_retry(
    client, settings, moderator, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.test_faults.UnreachableSMTP"
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form_data(ArticleFactory(), comment=TEXT))
    call_command("db_worker", "--batch", "--no-startup-delay")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert [m.to for m in mail.outbox] == [[moderator.email]]
