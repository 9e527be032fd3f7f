"""The README and docs/ stay true: their links resolve, and the make targets and environment
variables they name exist."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
# The names of settings read from the environment and other configuration words (DJANGO_DEBUG,
# REDIS_URL, WEB_CONCURRENCY...): upper case with at least one underscore.
NAME = re.compile(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
SOURCES = [
    *ROOT.glob("*/**/*.py"),
    *(ROOT / "scripts").glob("*.sh"),
    ROOT / "Makefile",
    ROOT / ".ci" / "run",
]


def github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.DOTALL)
    return {github_anchor(m) for m in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}


def make_targets(page: Path) -> set[str]:
    """Targets named as code: `make bench` in the text, or ``make bench`` in a shell block."""
    text = page.read_text()
    named = set(re.findall(r"`make ([a-z][a-z-]*)", text))
    for block in re.findall(r"```.*?```", text, flags=re.DOTALL):
        named.update(re.findall(r"\bmake ([a-z][a-z-]*)", block))
    return named


def relative_links(page: Path):
    for target in LINK.findall(CODE.sub("", page.read_text())):
        if not re.match(r"[a-z]+:", target):
            yield target


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page):
    """Every relative link (and image) points at a file that exists, and at a heading in it."""
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        missing_heading = anchor and linked.suffix == ".md" and anchor not in anchors(linked)
        if not linked.exists() or missing_heading:
            broken.append(target)
    assert broken == []


def test_the_docs_are_linked_from_the_readme():
    """A newcomer finds every page from the README."""
    linked = {
        (ROOT / target.partition("#")[0]).resolve() for target in relative_links(ROOT / "README.md")
    }
    assert {page.resolve() for page in PAGES[1:]} <= linked


PROJECT_PATH = re.compile(
    r"`((?:articles|comments|wordpress|nervepain|tests|templates|static|scripts|docs|deploy|\.ci)"
    r"/[\w./-]*)`"
)


def test_named_files_exist():
    """Files and folders of the project the docs name in code (`comments/trust.py`) exist."""
    named = {path for page in PAGES for path in PROJECT_PATH.findall(page.read_text())}
    assert "comments/trust.py" in named
    assert {path for path in named if not (ROOT / path).exists()} == set()


def test_named_make_targets_exist():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    named = set().union(*(make_targets(page) for page in PAGES))
    assert named, "the docs name no make target at all"
    assert named - targets == set()


def test_named_variables_exist():
    """Environment variables and settings the docs name are read somewhere in the code."""
    code = "\n".join(path.read_text() for path in SOURCES if ".venv" not in path.parts)
    named = {name for page in PAGES for name in NAME.findall(page.read_text())}
    assert "DJANGO_SECRET_KEY" in named
    assert {name for name in named if not re.search(rf"\b{name}\b", code)} == set()


def test_the_readme_is_a_first_screen():
    """What a newcomer needs, not everything: details live in docs/."""
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    assert "make run" in readme
    assert "make test" in readme


# Where the site reads its environment: the settings, gunicorn's, and the scripts `make serve`,
# `make worker` and `make serve-front` run (`${NAME:-default}`).
CONFIGURATION = [ROOT / "nervepain" / "settings.py", ROOT / "nervepain" / "gunicorn_conf.py"]
SERVE_SCRIPTS = [ROOT / "scripts" / name for name in ("serve-env.sh", "serve.sh", "serve-front.sh")]
READ = re.compile(
    r"(?:os\.environ(?:\.get)?\s*[\[(]\s*|env_(?:int|bool|list)\(\s*)\"([A-Z][A-Z0-9_]+)\""
)
# Not the site's: the folder of the Makefile's virtualenv, and the system's temporary folder.
NOT_SETTINGS = {"VENV", "TMPDIR"}


def test_every_variable_the_site_reads_is_documented():
    """An operator finds every variable in docs/deploying.md, not by reading the code."""
    read = {name for path in CONFIGURATION for name in READ.findall(path.read_text())}
    for script in SERVE_SCRIPTS:
        read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+):?-", script.read_text()))
    assert {"DJANGO_DEBUG", "WEB_CONCURRENCY", "WORKER_SCHEMA_TIMEOUT"} <= read
    documented = set(
        re.findall(r"`([A-Z][A-Z0-9_]+)", (ROOT / "docs" / "deploying.md").read_text())
    )
    # "`DJANGO_LOGIN_ATTEMPTS_LIMIT` / `_WINDOW`": the second is the first's prefix and _WINDOW.
    for line in (ROOT / "docs" / "deploying.md").read_text().splitlines():
        for first, suffix in re.findall(r"`([A-Z][A-Z0-9_]+)` / `(_[A-Z0-9_]+)`", line):
            documented.add(first.rsplit("_", suffix.count("_"))[0] + suffix)
    assert read - NOT_SETTINGS - documented == set()


def test_commands_in_the_docs_run_manage_py_with_the_virtualenv():
    """A command block an operator copies runs ``.venv/bin/python manage.py``: ``manage.py``
    alone is no command (not on PATH; ``./manage.py`` names the system's Python, without the
    site's packages). The worker services' ``sh -c 'manage.py wait_for_schema && ...'``
    failed with "manage.py: not found"."""
    bare = [
        line.strip()
        for page in PAGES
        for block in re.findall(r"```.*?```", page.read_text(), flags=re.DOTALL)
        for line in block.splitlines()
        if re.search(r"(?<!python )(?<!\S)\S*manage\.py\b", line)
    ]
    assert bare == []
