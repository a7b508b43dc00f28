"""Blank workbooks to fill in: the contract's tables, and the one-sheet ledger.

Each has Chinese headers the loaders recognise, a note on every header cell (what the column
holds, whether it is required, its values), a dropdown for every enumeration and a frozen
header; each loads back without error (a test holds them to it).
"""

from __future__ import annotations

from pathlib import Path

from graph_model.schema import CHOICE_ALIASES, TABLES, Prop, PropType, TableSpec
from loaders.ledger_write import write_ledger_template
from loaders.workbook_out import Column, SheetSpec, add_sheet, new_book

_TYPE_WORDS = {
    PropType.STRING: "文本",
    PropType.INT: "整数",
    PropType.FLOAT: "数字",
    PropType.BOOL: "是/否",
}


def header(prop: Prop) -> str:
    """The header a template writes for a column: its first Chinese alias, else its name."""
    chinese = [a for a in prop.aliases if not a.isascii()]
    return chinese[0] if chinese else prop.name


def _choices(prop: Prop) -> tuple[str, ...]:
    if prop.type is PropType.BOOL:
        return ("是", "否")
    words = []
    for choice in prop.choices:
        chinese = [w for w in CHOICE_ALIASES.get(choice, ()) if not w.isascii()]
        words.append(chinese[0] if chinese else choice)
    return tuple(words)


def _note(table: TableSpec, prop: Prop) -> str:
    parts = [f"{prop.name}：{_TYPE_WORDS[prop.type]}", "必填" if prop.required else "选填"]
    if prop.minimum is not None or prop.maximum is not None:
        lo = "" if prop.minimum is None else f"{prop.minimum:g}"
        hi = "" if prop.maximum is None else f"{prop.maximum:g}"
        parts.append(f"范围 {lo}–{hi}")
    if prop.name in table.key:
        parts.append("用于识别这一行")
    if prop.doc:
        parts.append(prop.doc)
    return "；".join(parts) + "。"


def write_contract_template(path: Path) -> None:
    """A blank workbook with one sheet per contract table (sheets named in Chinese)."""
    book = new_book()
    for table in TABLES:
        name = next((a for a in table.aliases if not a.isascii()), table.name)
        columns = [
            Column(header(p), max(10.0, 2.2 * len(header(p))), _choices(p), _note(table, p))
            for p in table.columns
        ]
        add_sheet(book, SheetSpec(name, columns))
    book.save(path)


def write_template(kind: str, path: Path) -> None:
    """Write the blank ``ledger`` or ``contract`` workbook to ``path``."""
    if kind == "ledger":
        write_ledger_template(path)
    elif kind == "contract":
        write_contract_template(path)
    else:
        raise ValueError(f"no template named {kind!r} (ledger or contract)")
