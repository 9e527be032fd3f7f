"""Fingerprints already on the spam list are computed again when their hash changes, and
indexed by their minimums when the index came."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from comments.spam import fingerprint, match, minimum_keys, similarity
from tests.factories import CommentFactory

migration = importlib.import_module("comments.migrations.0020_spam_fingerprints_one_hash_per_pair")

BEFORE = [("comments", "0019_reasons_for_health_rules_and_renamed_trust")]
AFTER = [("comments", "0020_spam_fingerprints_one_hash_per_pair")]
INDEXED = [("comments", "0021_spam_fingerprint_minimums")]
LATEST = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
SPAM = "Best cheap replica watches and designer bags at my shop, my friends love them all"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_migration_computes_what_the_code_computes():
    assert migration.fingerprint_new(SPAM) == fingerprint(SPAM)
    assert migration.fingerprint_new("Thanks!") == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fingerprints_on_the_list_are_recomputed_and_still_match():
    comment = CommentFactory(comment=SPAM)  # with today's columns, then back in time
    apps = migrate(BEFORE)
    SpamSignature = apps.get_model("comments", "SpamSignature")
    SpamSignature.objects.create(
        comment_id=comment.pk, kind="text", value=migration.fingerprint_old(SPAM)
    )
    SpamSignature.objects.create(comment_id=comment.pk, kind="email", value="spam@example.org")

    apps = migrate(AFTER)
    SpamSignature = apps.get_model("comments", "SpamSignature")
    text = SpamSignature.objects.get(kind="text").value
    assert text == fingerprint(SPAM)
    assert similarity(text, fingerprint("Hello! " + SPAM)) >= 0.4
    assert SpamSignature.objects.get(kind="email").value == "spam@example.org"

    apps = migrate(BEFORE)  # and back
    SpamSignature = apps.get_model("comments", "SpamSignature")
    assert SpamSignature.objects.get(kind="text").value == migration.fingerprint_old(SPAM)
    migrate(LATEST)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fingerprints_on_the_list_are_indexed_by_their_minimums():
    indexed = importlib.import_module("comments.migrations.0021_spam_fingerprint_minimums")
    assert indexed.minimum_keys(fingerprint(SPAM)) == minimum_keys(fingerprint(SPAM))
    comment = CommentFactory(comment=SPAM)  # with today's columns, then back in time
    apps = migrate(AFTER)
    SpamSignature = apps.get_model("comments", "SpamSignature")
    SpamSignature.objects.create(comment_id=comment.pk, kind="text", value=fingerprint(SPAM))
    SpamSignature.objects.create(comment_id=comment.pk, kind="email", value="spam@example.org")

    apps = migrate(INDEXED)
    minimums = apps.get_model("comments", "SpamFingerprintMinimum").objects
    assert sorted(minimums.values_list("key", flat=True)) == sorted(minimum_keys(fingerprint(SPAM)))
    migrate(AFTER)  # and back: the index goes with its table
    migrate(LATEST)
    similar = CommentFactory.build(comment="Hello! " + SPAM, user_email="", ip_address=None)
    assert match(similar) == "similar text"
