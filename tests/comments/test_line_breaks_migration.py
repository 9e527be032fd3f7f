"""Comments stored with the browser's CRLF before readers' text was cleaned to LF are turned
to LF, so that their writer's unchanged text is no edit."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from comments import controls
from comments.models import Comment, CommentVersion
from tests.factories import CommentFactory

BEFORE = [("comments", "0021_spam_fingerprint_minimums")]
AFTER = [("comments", "0022_comment_text_line_breaks")]
LATEST = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stored_crlf_becomes_lf_and_the_unchanged_text_is_no_edit():
    # Made with today's columns, then back in time (a factory knows only today's model).
    crlf = CommentFactory(comment="Ice helped.\r\n\r\nHeat did not.\rThanks.")
    lf = CommentFactory(comment="One line.\nAnother.")
    migrate(BEFORE)
    migrate(AFTER)
    migrate(LATEST)  # later migrations add columns; the text is as AFTER left it
    crlf.refresh_from_db()
    lf.refresh_from_db()
    assert crlf.comment == "Ice helped.\n\nHeat did not.\nThanks."
    assert lf.comment == "One line.\nAnother."
    assert Comment.objects.get(pk=crlf.pk).state == Comment.State.PUBLISHED

    controls.edit(crlf, "Ice helped.\r\n\r\nHeat did not.\r\nThanks.")
    assert not CommentVersion.objects.filter(comment=crlf).exists()
