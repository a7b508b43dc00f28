"""A domain error said in the reader's language.

Domain errors (:mod:`graph_model.errors`) carry an English message: the CLI prints it and
the JSON API sends it. A page, and the JSON a page's script asks for, says it in the page's
language: :func:`error_text` matches the message against :data:`RULES` (the message's
pattern and its catalogue key, ``err.*``) and fills the key's wording in, translating the
words inside (a parameter's name, a kind of record, a reason) as it goes. A message no rule
knows is said by its class's sentence (``err.class.*``), never in English on a Chinese page.

>>> error_text(BadParameter("hops: 9 is above the maximum 6"), "zh")
'参数“供应链层数”：9 大于最大值 6'
>>> error_text(NotFound("no enterprise with id 'E9'"), "zh")
'没有编号为 E9 的企业'
>>> error_text(NotFound("no enterprise with id 'E9'"), "en")
"no enterprise with id 'E9'"
"""

from __future__ import annotations

import re
from collections.abc import Callable

from api.i18n import Translator
from api.problems_zh import NOUNS_ZH, reason_zh
from graph_model.errors import (
    AlreadyExists,
    BadParameter,
    BodyTooLarge,
    NotFound,
    QueryError,
    StoreBusy,
    StoreError,
    UnknownQuery,
    ValidationFailed,
    ZonegraphError,
)

__all__ = ["PLACES", "RULES", "error_text", "place_text", "problem_text"]

#: Most problems a message lists after its first sentence (the page lists them all).
LISTED = 5


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text


def _rule(pattern: str, key: str) -> tuple[re.Pattern[str], str]:
    return re.compile(pattern), key


#: (an English message's pattern, the catalogue key that says it), most specific first.
RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    _rule(r"(?P<n>\d+) problem\(s\) in the input; nothing was written", "err.validation"),
    _rule(r"(?P<param>\w+): (?P<value>.+?) is not true or false", "err.param.bool"),
    _rule(r"(?P<param>\w+): (?P<value>.+?) is not text", "err.param.text"),
    _rule(
        r"scope: (?P<value>.+?) is not zone, street:X, grid:X, park:X, industry:X or alliance:Y",
        "err.scope",
    ),
    _rule(r"(?P<param>\w+): (?P<value>.+?) (?P<reason>is (?:not|below|above) .+)", "err.param"),
    _rule(r"(?P<query>\w+) needs the parameter (?P<param>\w+)", "err.param.missing"),
    _rule(
        r"(?P<query>\w+) has no parameter (?P<names>.+) \(it has: (?P<has>.*)\)",
        "err.param.unknown",
    ),
    _rule(r"no (?P<noun>[\w ]+?) with id (?P<value>.+)", "err.no_id"),
    _rule(r"no query named (?P<value>'[^']*'|\S+); .*", "err.no_query"),
    _rule(r"no scenario named (?P<value>.+)", "err.no_scenario"),
    _rule(r"scenario (?P<value>.+) already exists", "err.scenario_exists"),
    _rule(
        r"scenario name (?P<value>.+?): use ASCII letters, digits, _ or - \(at most 64\)",
        "err.scenario_name",
    ),
    _rule(r"no upload .*", "err.no_upload"),
    _rule(r"no import job .*", "err.no_job"),
)

#: The sentence for a message no rule knows, by the nearest class listed.
CLASS_KEYS: tuple[tuple[type[ZonegraphError], str], ...] = (
    (ValidationFailed, "err.class.validation"),
    (UnknownQuery, "err.class.unknown_query"),
    (BadParameter, "err.class.bad_parameter"),
    (QueryError, "err.class.bad_parameter"),
    (NotFound, "err.class.not_found"),
    (AlreadyExists, "err.class.exists"),
    (BodyTooLarge, "err.class.too_large"),
    (StoreBusy, "err.class.busy"),
    (StoreError, "err.class.store"),
    (ZonegraphError, "err.class.other"),
)


def _param(t: Translator) -> Callable[[str], str]:
    return lambda name: t.col(name)


def _words(t: Translator) -> dict[str, Callable[[str], str]]:
    """How each named part of a message is said before it goes into the wording."""
    return {
        "param": _param(t),
        "value": _unquote,
        "noun": lambda s: NOUNS_ZH.get(s, s) if t.lang == "zh" else s,
        "reason": lambda s: reason_zh(s) if t.lang == "zh" else s,
        "names": lambda s: "、".join(_param(t)(n.strip()) for n in s.split(",")),
        "has": lambda s: "、".join(_param(t)(n.strip()) for n in s.split(",") if n.strip()),
        "query": t.query,
    }


#: Where a problem lies, when the write path names it in English: (pattern, key).
PLACES: tuple[tuple[re.Pattern[str], str], ...] = (
    _rule(r"scenario whatif change (?P<n>\d+)", "err.at.whatif"),
    _rule(r"scenario (?P<name>\S+) change (?P<n>\d+)", "err.at.scenario"),
    _rule(r"firm profile page /firms/(?P<id>\S+)", "err.at.firm_page"),
)


def place_text(place: str, t: Translator) -> str:
    """Where a problem lies, said in ``t``'s language (a file's name stays as it is)."""
    for pattern, key in PLACES:
        found = pattern.fullmatch(place)
        if found is not None and key in t.strings:
            return t(key, **found.groupdict())
    return place


def problem_text(problem: object, t: Translator) -> str:
    """One problem of a refused input, located, with its reason in ``t``'s language."""
    text = str(problem)
    if t.lang != "zh":
        return text
    file, line, column, value, reason = (
        getattr(problem, a, None) for a in ("file", "line", "column", "value", "reason")
    )
    where = place_text(str(file), t) + (f" 第 {line} 行" if line else "")
    what = f"“{t.col(str(column))}”" if column else ""
    shown = f"“{value}” " if value not in (None, "") else ""
    return f"{where}：{what}{shown}{reason_zh(str(reason))}"


def error_text(exc: ZonegraphError, lang: str) -> str:
    """The error's message in ``lang`` (English: the message itself)."""
    if lang != "zh":
        return str(exc)
    t = Translator(lang)
    message = str(exc)
    said = None
    for pattern, key in RULES:
        found = pattern.fullmatch(message)
        if found is None or key not in t.strings:
            continue
        words = _words(t)
        values = {
            name: words[name](text) if name in words else text
            for name, text in found.groupdict(default="").items()
        }
        said = t(key, **values)
        break
    if said is None:
        key = next(k for cls, k in CLASS_KEYS if isinstance(exc, cls))
        said = t(key)
    if isinstance(exc, ValidationFailed) and exc.problems:
        listed = [problem_text(p, t) for p in exc.problems[:LISTED]]
        more = len(exc.problems) - LISTED
        said += " — " + "；".join(listed) + (t("err.more", n=more) if more > 0 else "")
    return said
