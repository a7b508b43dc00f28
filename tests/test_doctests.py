"""The examples in docstrings run, so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = (
    "loaders.credit_code",
    "api.problems_zh",
    "loaders.safe_cells",
    "graph_model.audit",
    "api.error_text",
    "api.downloads",
    "queries.notes",
    "tests.lang_check",
    "viz.geo",
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
