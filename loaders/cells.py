"""Parsing one text cell into a typed value, with the reason when it cannot be parsed."""

from __future__ import annotations

import math

from graph_model.schema import CHOICE_ALIASES, FALSE_WORDS, TRUE_WORDS, Prop, PropType

Value = str | int | float | bool | None


class CellError(ValueError):
    """A cell's text is not a value of its column's type or range; the message says why."""


def _choice(prop: Prop, text: str) -> str:
    folded = text.lower()
    for choice in prop.choices:
        if folded == choice or text in CHOICE_ALIASES.get(choice, ()):
            return choice
    raise CellError(f"is not one of {', '.join(prop.choices)}")


def _number(prop: Prop, value: float) -> None:
    lo, hi = prop.minimum, prop.maximum
    if lo is not None and hi is not None and not lo <= value <= hi:
        raise CellError(f"is out of range ({lo:g}–{hi:g})")
    if lo is not None and value < lo:
        raise CellError(f"is below the minimum {lo:g}")
    if hi is not None and value > hi:
        raise CellError(f"is above the maximum {hi:g}")


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
    if prop.type is PropType.BOOL:
        folded = text.lower()
        if folded in TRUE_WORDS:
            return True
        if folded in FALSE_WORDS:
            return False
        raise CellError("is not true/false (or 1/0, yes/no, 是/否)")
    if prop.type is PropType.INT:
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise CellError("is not a whole number") from None
        if not number.is_integer():
            raise CellError("is not a whole number")
        _number(prop, number)
        return int(number)
    try:
        real = float(text)
    except ValueError:
        raise CellError("is not a number") from None
    if not math.isfinite(real):
        raise CellError("is not a finite number")
    _number(prop, real)
    return real
