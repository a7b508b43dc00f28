"""Parsing one text cell into a typed value, with the reason when it cannot be parsed.

Numbers are read exactly: whole numbers through :class:`~decimal.Decimal` and ``int``, never a
float, so ``9007199254740993`` stays itself and ``12.0000000000000001`` is not taken for 12.
A comma is read as a thousands separator only where that is unambiguous (``1,234``,
``12,345,678.5``); ``1,2,3`` or ``12,34`` are refused. Full-width digits, signs, point and
comma (``０``–``９``, ``＋``, ``－``, ``．``, ``，``), as Chinese input methods type them, are read
as their ASCII forms (their NFKC normalisation) in number and true/false cells.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from graph_model.schema import CHOICE_ALIASES, FALSE_WORDS, TRUE_WORDS, Prop, PropType

Value = str | int | float | bool | None

#: The whole numbers the database stores (INT64).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

#: The full-width forms block (U+FF01–U+FF5E) and the ideographic space, mapped as NFKC maps
#: them. Only these: full NFKC would also turn ``²`` or ``①`` into digits and change a value.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_NOT_FINITE = ("nan", "inf", "infinity")


class CellError(ValueError):
    """A cell's text is not a value of its column's type or range; the message says why."""


def _choice(prop: Prop, text: str) -> str:
    folded = text.lower()
    for choice in prop.choices:
        if folded == choice or text in CHOICE_ALIASES.get(choice, ()):
            return choice
    raise CellError(f"is not one of {', '.join(prop.choices)}")


def _number(prop: Prop, value: Decimal | float) -> None:
    lo, hi = prop.minimum, prop.maximum
    if lo is not None and hi is not None and not lo <= value <= hi:
        raise CellError(f"is out of range ({lo:g}–{hi:g})")
    if lo is not None and value < lo:
        raise CellError(f"is below the minimum {lo:g}")
    if hi is not None and value > hi:
        raise CellError(f"is above the maximum {hi:g}")


def _numeral(text: str, not_one: str) -> str:
    """``text`` as a plain numeral (separators taken out); raises CellError(``not_one``...)."""
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise CellError(
                f"{not_one}: a comma may only separate groups of three digits, as in 12,345 "
                "(write decimals with a point)"
            )
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise CellError(not_one)
    return text


def parse_cell(prop: Prop, text: str) -> Value:
    """The typed value of ``text`` for ``prop``; ``None`` for an empty cell (or its default).

    Raises :class:`CellError` when the text does not fit; a missing required value is the
    caller's concern (it knows whether the column is there at all).
    """
    text = text.strip()
    if not text:
        return prop.default
    if prop.type is PropType.STRING:
        return _choice(prop, text) if prop.choices else text
    text = text.translate(_FULL_WIDTH).strip()
    if prop.type is PropType.BOOL:
        folded = text.lower()
        if folded in TRUE_WORDS:
            return True
        if folded in FALSE_WORDS:
            return False
        raise CellError("is not true/false (or 1/0, yes/no, 是/否)")
    if prop.type is PropType.INT:
        number = Decimal(_numeral(text, "is not a whole number"))
        if number != number.to_integral_value():
            raise CellError("is not a whole number")
        _number(prop, number)
        if not INT_MIN <= number <= INT_MAX:
            raise CellError("is outside the 64-bit whole-number range")
        return int(number)
    if text.lower().lstrip("+-") in _NOT_FINITE:
        raise CellError("is not a finite number")
    real = float(_numeral(text, "is not a number"))
    if not math.isfinite(real):
        raise CellError("is not a finite number")
    _number(prop, real)
    return real
