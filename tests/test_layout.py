"""The apps depend on each other one way only, so each can be read and changed on its own."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(app: str) -> set[str]:
    """Top-level packages that any module of ``app`` imports, at module level or inside a
    function (lazy imports count: they are dependencies all the same)."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("app", "must_not_import"),
    [
        ("articles", {"comments", "wordpress"}),
        ("comments", {"wordpress"}),
    ],
)
def test_dependencies_go_one_way(app, must_not_import):
    """Articles know nothing of the discussion; neither knows of the WordPress move."""
    assert not imported_packages(app) & must_not_import


def test_the_wordpress_code_lives_in_one_app():
    """Moving in and out of WordPress is one concern, in the ``wordpress`` app."""
    assert {"articles", "comments"} <= imported_packages("wordpress")
    strays = [
        str(path.relative_to(ROOT))
        for app in ("articles", "comments")
        for path in (ROOT / app).rglob("*.py")
        if "wordpress" in path.name or "wxr" in path.name
    ]
    assert strays == []
