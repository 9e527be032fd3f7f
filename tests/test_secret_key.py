"""Processes started together on a fresh checkout share one secret key.

`make serve` and `make worker` keep the key in a file (``DJANGO_SECRET_KEY_FILE``) that the
first of them to need it creates. Created with a plain write, two processes starting at once
each made their own key, so every confirm and unsubscribe link the worker mailed failed on the
site. These tests start real processes at the same moment on an empty directory.
"""

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from nervepain.secret_key import read_or_create_secret_key

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 8

# Each process imports Django first, then waits for the starting signal, so all of them reach
# the settings (and the missing key file) within the same few milliseconds.
READ_KEY = """
import os, sys, time
import django.conf, dj_database_url
while not os.path.exists(sys.argv[1]):
    time.sleep(0.001)
from django.conf import settings
print(settings.SECRET_KEY)
"""


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return {**env, "DJANGO_SETTINGS_MODULE": "nervepain.settings", "DJANGO_DEBUG": "0", **extra}


def start_together(commands, tmp_path, env):
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [*command, str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    time.sleep(1.5)  # let every process get to the starting line
    go.touch()
    results = [process.communicate(timeout=60) for process in processes]
    for process, (_, stderr) in zip(processes, results, strict=True):
        assert process.returncode == 0, stderr
    return [stdout.strip() for stdout, _ in results]


def test_processes_importing_settings_at_once_all_read_one_key(tmp_path):
    """Eight processes start on an empty directory: one key is created and all of them use it."""
    key_file = tmp_path / "fresh" / "secret_key"
    env = clean_env(DJANGO_SECRET_KEY_FILE=str(key_file))
    keys = start_together([[sys.executable, "-c", READ_KEY]] * PROCESSES, tmp_path, env)
    assert len(set(keys)) == 1
    assert len(keys[0]) >= 50
    assert key_file.read_text().strip() == keys[0]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [path.name for path in key_file.parent.iterdir()] == ["secret_key"]  # no leftovers


def test_make_serve_and_make_worker_environments_share_one_key(tmp_path):
    """scripts/serve-env.sh (sourced by `make serve` and `make worker`) gives both one key."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    command = [
        "bash",
        "-c",
        '. scripts/serve-env.sh && exec "$0" -c "$1" "$2"',
        sys.executable,
        READ_KEY,
    ]
    keys = start_together([command] * PROCESSES, tmp_path, clean_env(VENV=str(venv)))
    assert len(set(keys)) == 1
    assert (venv / "secret_key").read_text().strip() == keys[0]


def test_an_existing_key_file_is_read_as_it_is(tmp_path):
    """A key kept by an earlier version (with its trailing newline) stays the key."""
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 30 + "e" * 30 + "\n")
    assert read_or_create_secret_key(key_file) == "k" * 30 + "e" * 30
    assert key_file.read_text() == "k" * 30 + "e" * 30 + "\n"


def test_an_empty_key_file_stops_the_start_with_what_to_do(tmp_path):
    """An empty file is not silently replaced: links already mailed would stop working."""
    key_file = tmp_path / "secret_key"
    key_file.touch()
    with pytest.raises(ImproperlyConfigured, match=r"is empty\. Delete it"):
        read_or_create_secret_key(key_file)
