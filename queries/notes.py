"""Notes a query gives beside its rows, sayable in either language.

A :class:`Note` is the English sentence itself (a ``str``: the CLI prints it, the JSON API
sends it, as before) that also carries its message key and values, so a page can say it in
the reader's language (:meth:`api.i18n.Translator.note`). A value may be a note itself (a
reason inside a sentence).

>>> n = Note("note.plan.assigned", "3 of 5 uncovered firm(s) assigned", assigned=3, firms=5)
>>> n, n.key, n.values["firms"]
('3 of 5 uncovered firm(s) assigned', 'note.plan.assigned', 5)
>>> import copy
>>> copy.deepcopy(n).key
'note.plan.assigned'
"""

from __future__ import annotations

from typing import Any

__all__ = ["Note"]


class Note(str):
    """An English note that knows its catalogue key and the values to fill in."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, text: str, **values: Any) -> Note:
        note = super().__new__(cls, text)
        note.key = key
        note.values = values
        return note

    def __getnewargs_ex__(self) -> tuple[tuple[str, str], dict[str, Any]]:
        # copy and pickle rebuild a str subclass from __getnewargs__, which for str is the
        # text alone; a note needs its key first.
        return (self.key, str(self)), self.values
