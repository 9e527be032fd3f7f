"""A secret key kept in a file: read it, or create it once, atomically, when it is not there.

Processes started together on a fresh checkout (the web server and the worker) each find no
file. Each writes a new key to a private temporary file and then hard-links it to the final
name: ``link`` fails when the name exists, so exactly one key is ever published, and it is
complete the moment it appears. Every process then reads the winner; the losers' keys are thrown
away. Writing the file directly would let one process read another's half-written key, or
overwrite a key another process already uses, and links the worker mails would then fail.
"""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def read_or_create_secret_key(path: Path) -> str:
    """The key stored at ``path``; a new random one, shared by every caller, if none is."""
    key = _read(path)
    if key is not None:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as file:  # mkstemp: readable by this user only
            file.write(secrets.token_urlsafe(50) + "\n")
            file.flush()
            os.fsync(file.fileno())
        # Another process may have published its key first: then that one is the key.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    key = _read(path)
    if key is None:
        raise ImproperlyConfigured(f"The secret key file {path} could not be created.")
    return key


def _read(path: Path) -> str | None:
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        return None
    if not key:
        # Only an older version of this project or an operator leaves an empty file; guessing a
        # new key would silently break every link already sent.
        raise ImproperlyConfigured(
            f"The secret key file {path} is empty. Delete it to have a new key created, or put "
            "the site's key in it."
        )
    return key
