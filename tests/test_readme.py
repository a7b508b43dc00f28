"""The README's generated tables are current (regenerate with `python -m tests.test_readme`)."""

from __future__ import annotations

import re
from pathlib import Path

from graph_model.docs import contract_markdown, graph_markdown
from queries.catalog import catalog_markdown

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = {"contract": contract_markdown, "graph": graph_markdown, "queries": catalog_markdown}


def rendered(text: str) -> str:
    for name, make in BLOCKS.items():
        text = re.sub(
            rf"<!-- {name}:start -->.*?<!-- {name}:end -->",
            lambda _, n=name, m=make: f"<!-- {n}:start -->\n{m()}\n<!-- {n}:end -->",
            text,
            flags=re.S,
        )
    return text


def test_readme_tables_match_the_schema_and_catalog() -> None:
    text = README.read_text(encoding="utf-8")
    assert text == rendered(text), "README is stale: run `python -m tests.test_readme`"


if __name__ == "__main__":
    README.write_text(rendered(README.read_text(encoding="utf-8")), encoding="utf-8")
