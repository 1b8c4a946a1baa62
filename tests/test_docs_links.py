"""Every ``docs/*.md`` page named in a docstring, the README or the docs exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# "docs/page.md" anywhere (docstrings, comments, the README), and relative
# Markdown links between pages of docs/ ("](page.md#anchor)").
NAMED = re.compile(r"docs/([A-Za-z0-9_./-]+?\.md)")
RELATIVE = re.compile(r"\]\(((?!https?:|#|/)[^)#\s]+\.md)(?:#[^)]*)?\)")


def _links() -> list[tuple[str, str]]:
    files = [*sorted((ROOT / "src").rglob("*.py")), ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    files += sorted((ROOT / "examples").glob("*.py"))
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        found += [(rel, m) for m in NAMED.findall(text)]
        if path.parent == DOCS:
            found += [(rel, m) for m in RELATIVE.findall(text)]
    return sorted(set(found))


def test_links_are_found():
    assert len(_links()) > 10


@pytest.mark.parametrize("where, page", _links())
def test_linked_page_exists(where, page):
    assert (DOCS / page).is_file(), f"{where} links to docs/{page}, which does not exist"
