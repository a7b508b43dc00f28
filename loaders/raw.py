"""A table as read from a file, before its cells are parsed, and the checks every cell's
text passes whatever file it came from (a CSV file or a workbook)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_model.errors import Problem, ValidationFailed
from graph_model.schema import TableSpec

#: The most characters a cell may hold: Excel's limit, for CSV and workbooks alike.
MAX_CELL_CHARS = 32_767


@dataclass
class RawTable:
    """One table as read: its header and its rows of text cells, each row with its line."""

    spec: TableSpec
    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    #: Cells that took their value from a merged range above them (workbooks only):
    #: (line, column index) → the merge's range, such as ``F3:F5``.
    fills: dict[tuple[int, int], str] = field(default_factory=dict)


def shown(text: str, limit: int = 40) -> str:
    """A cell's text as a problem shows it: long text cut short."""
    return text if len(text) <= limit else text[:limit] + "…"


def check_text(
    text: str, source: str, line: int, column: str | None, problems: list[Problem]
) -> None:
    """Cell text that would be stored wrong: too long, a NUL, a byte order mark inside."""
    if len(text) > MAX_CELL_CHARS:
        problems.append(
            Problem(
                source,
                line,
                column,
                shown(text),
                f"has {len(text):,} characters; a cell holds at most {MAX_CELL_CHARS:,}",
            )
        )
    if "\x00" in text:
        problems.append(
            Problem(
                source,
                line,
                column,
                shown(text),
                "holds a NUL character (a zero byte), which no text has: the file is damaged "
                "or in another encoding",
            )
        )
    if "\ufeff" in text:
        problems.append(
            Problem(
                source,
                line,
                column,
                shown(text),
                "holds a byte order mark (U+FEFF), an invisible character that belongs only "
                "at the very start of a file (was another file pasted in?); delete it",
            )
        )


def header_width(header: list[str]) -> int:
    """How many header cells count: up to the last one that names a column."""
    return max((i + 1 for i, h in enumerate(header) if h.strip()), default=0)


def raise_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ValidationFailed(errors)
