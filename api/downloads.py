"""What a query's download carries: its headings and file name in a language.

The JSON API's CSV and XLSX keep machine column names (``id,name,street,…``) and the file
name ``<query>.csv``: scripts read them. Asked with ``?lang=zh|en`` (the pages' links always
ask, in the page's language), a download has headings from the message catalogue, stored
words said in that language, ``Content-Language``, and a file name saying what, where and
when: ``未覆盖企业_锦程街道_2026-11-27.xlsx``. The name rides in ``filename*`` (RFC 6266,
UTF-8), with an ASCII ``filename`` for clients that read only that.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from api.i18n import Translator
from api.pages_common import WORD_COLUMNS

__all__ = ["content_disposition", "file_name", "headings", "said_rows"]

#: Parameters that say where a download's rows come from, in the order a name lists them.
SCOPE_PARAMS = ("scope", "alliance", "street", "grid", "park", "industry", "level", "text")
#: Characters no file name on Windows, macOS or Linux may hold, and spaces.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def _safe(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-.") or "_"


def file_name(
    query: str,
    params: Mapping[str, object],
    ext: str,
    t: Translator,
    today: dt.date | None = None,
) -> tuple[str, str]:
    """The download's name in ``t``'s language, and its ASCII stand-in.

    >>> from api.i18n import Translator
    >>> day = dt.date(2026, 11, 27)
    >>> file_name("uncovered", {"street": "锦程街道"}, "xlsx", Translator("zh"), day)
    ('未覆盖企业_锦程街道_2026-11-27.xlsx', 'uncovered_2026-11-27.xlsx')
    >>> file_name("coverage_by", {"level": "grid"}, "csv", Translator("en"), day)[0]
    'Coverage-by-group_grid_2026-11-27.csv'
    """
    when = (today or dt.date.today()).isoformat()
    where = [str(params[p]) for p in SCOPE_PARAMS if params.get(p) not in (None, "")]
    if "level" in params and params.get("level") not in (None, ""):
        where = [t(f"n.kind.{params['level']}") if w == params["level"] else w for w in where]
    parts = [t.query(query), *(where or [t("dl.zone")]), when]
    return "_".join(_safe(p) for p in parts) + f".{ext}", f"{query}_{when}.{ext}"


def content_disposition(name: str, ascii_name: str) -> str:
    """``attachment`` with the name as RFC 6266 asks: ``filename*`` in UTF-8, and a plain
    ``filename`` for old clients.

    >>> content_disposition("企业.csv", "firms.csv")
    'attachment; filename="firms.csv"; filename*=UTF-8\\'\\'%E4%BC%81%E4%B8%9A.csv'
    """
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def headings(query: str, columns: Sequence[str], t: Translator) -> list[str]:
    """Each column's heading in ``t``'s language (the pages' own)."""
    return [t.col(c, query) for c in columns]


def said_rows(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], t: Translator
) -> list[dict[str, Any]]:
    """The rows with stored words (coverage, kinds, roles…) said in ``t``'s language."""
    words = [c for c in columns if c in WORD_COLUMNS]
    if not words:
        return [dict(r) for r in rows]
    return [{**r, **{c: t.value(r[c]) for c in words if isinstance(r.get(c), str)}} for r in rows]
