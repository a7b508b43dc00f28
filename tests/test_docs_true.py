"""The docs say what is: every repository file they name exists, and none promises what
"comes next" or points outside the repository.

Issue 11 found the README saying the API and pages "come next" long after they shipped, and
two docstrings citing files that were never in this repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP = ("api", "docs", "graph_model", "loaders", "queries", "tests", "tools", "viz")
#: Text files people read: the README, docs, and every module, template, script and style.
SOURCES = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    + [
        p
        for top in TOP
        if top != "docs"
        for ext in ("py", "html", "js", "css")
        for p in (ROOT / top).rglob(f"*.{ext}")
        if "node_modules" not in p.parts and "vendor" not in p.parts
    ]
)
#: A repository path: one of the top-level folders, then a file with an extension.
PATH = re.compile(rf"\b(?:{'|'.join(TOP)})/[\w./-]*\w\.(?:py|md|html|js|css|json|toml)\b")
PROMISES = re.compile(
    r"\bcomes? next\b|\bin a (?:later|future) (?:issue|version)\b|\.\./shared|seed/article", re.I
)
HERE = Path(__file__).name


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_named_files_exist_and_nothing_is_promised(path: Path) -> None:
    text = _text(path)
    missing = sorted(
        {m for m in PATH.findall(text) if "*" not in m and not (ROOT / m).exists()}
        - {"tests/test_x.py"}  # a placeholder in examples of how to run one module
    )
    assert not missing, f"{path.relative_to(ROOT)} names files not in the repository: {missing}"
    if path.name != HERE:
        promised = sorted({m.group(0) for m in PROMISES.finditer(text)})
        assert not promised, f"{path.relative_to(ROOT)} says {promised}"


def test_the_domain_facts_the_code_cites_are_in_the_repository() -> None:
    domain = _text(ROOT / "docs" / "domain.md")
    # What the rule checks and rates rely on, stated in the repository's own docs.
    for fact in ("组织覆盖率", "两个覆盖率", "three or more full party members", "1+1+5", "1+2+N"):
        assert fact in domain
