"""A ledger's (台账) fields: the header words that name each, and the words typed in its cells.

Every street words its ledger a little differently, so each field lists the header variants
seen in organizers' sheets (:data:`HEADER_VARIANTS`). A header cell is matched after
:func:`header_key` folds away what varies without meaning: line breaks and spaces (ASCII and
full-width), full-width brackets and letters, quotes, a ``*`` or ``※`` marking a required
column, a trailing colon, and Latin case. When the folded text names no field, trailing
bracketed notes are dropped one at a time and tried again, so ``从业人员数（人）``,
``企业名称（必填）`` and ``是否建立党组织（是/否）`` all match; a bracket that is part of a
variant (``企业（单位）名称``, ``联系人（“1+1+5”）``) matches first, as written. Choices made:

* ``序号`` is the only sequence column (``编号`` may be an id and is left unrecognised);
  ``备注`` and ``说明`` are remarks. Neither is read.
* ``企业名称`` is the firm, ``党组织名称`` its organization: the two never share a variant,
  and ``名称`` alone is the firm.
* ``联系人`` alone is left out: in a firm ledger it is the firm's own contact person, not a
  "1+1+5" liaison; ``联系人（1+1+5）`` is the liaison.
* ``是否规上企业`` (above designated size) is not ``key_firm``: a key firm is the
  organizers' own designation.
* ``登记状态`` (a register export's column) is the business status.

Cell words (:func:`parse_value`) are matched after folding full-width forms (NFKC), spaces
and Latin case. A cell holding only dashes or slashes (``—``, ``/``, ``-``) is blank, as
organizers write "not applicable". ``无`` (and ``暂无``, ``没有``) says "none" in an optional
text cell, a credit code cell and 组建方式 (no organization, so no way of forming it), and
"unrated" in 星级; in a yes/no cell it is no, and in 覆盖方式 it is 未覆盖 (``none``). Counts
and 经营状态 take no such word: ``无`` party members could be 0 or not known, so it is refused.
Text cells are trimmed, full-width and no-break spaces read as plain ones, runs of spaces as
one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph_model.schema import Prop, PropType
from loaders.cells import CellError, parse_cell
from loaders.credit_code import normalise

#: The fields, in the order a ledger usually has them.
FIELDS: tuple[str, ...] = tuple(
    "seq name credit_code industry street community grid park employees party_members status "
    "own_org org_name formation coverage_mode instructor liaison star key_firm remark".split()
)
#: Fields whose columns are recognised and never read.
UNREAD_FIELDS = ("seq", "remark")
#: Fields only a party-building ledger has: a register export or a plain firm list has none.
PARTY_FIELDS = tuple(
    "party_members own_org org_name formation coverage_mode instructor liaison star".split()
)
TEXT_FIELDS = tuple("name industry street community grid park org_name instructor liaison".split())
COUNT_FIELDS = ("employees", "party_members")
MARK_FIELDS = ("own_org", "key_firm")

#: Each field's header variants, separated by spaces (no variant holds one).
_VARIANTS: dict[str, str] = {
    "seq": "序号 序 No.",
    "name": (
        "企业名称 单位名称 企业全称 单位全称 名称 企业（单位）名称 单位（企业）名称 公司名称 "
        "企业名 企业 非公企业名称 非公有制企业名称 企业名称全称"
    ),
    "credit_code": (
        "统一社会信用代码 社会信用代码 信用代码 统一代码 组织机构代码 社会统一信用代码 "
        "统一信用代码 统一社会信用代码（注册号） 统一社会信用代码/注册号 注册号"
    ),
    "industry": "行业 所属行业 所在行业 行业类别 行业类型 行业分类 所属产业 产业类别",
    "street": (
        "街道 所属街道 所在街道 街道办事处 所属街道办事处 街道（镇） 所属街道（镇） 街镇 所属街镇"
    ),
    "community": "社区 所属社区 所在社区 社区（村） 村（社区） 所属社区（村）",
    "grid": "网格 所属网格 所在网格 网格名称 网格编号",
    "park": "园区 所属园区 所在园区 产业园区 所属产业园区",
    "employees": (
        "从业人员数 从业人员 从业人数 从业人员总数 从业人员数量 职工人数 职工数 职工总数 "
        "在职职工数 员工人数 员工数 员工总数 用工人数 企业人数 人数"
    ),
    "party_members": "党员数 党员人数 正式党员数 党员 党员总数 党员数量 现有党员数 党员人数合计",
    "status": "经营状态 企业状态 状态 登记状态 经营状况 营业状态 运营状态 企业经营状态",
    "own_org": (
        "是否单独建立党组织 是否建立党组织 是否单独组建 单独建立党组织 是否建立党支部 "
        "是否单独建立党支部 是否单独组建党组织 是否建有党组织 是否成立党组织 是否单独成立党组织 "
        "是否建立党的组织 单独组建党组织"
    ),
    "org_name": (
        "党组织名称 所在党组织 党组织 所属党组织 所在党组织名称 所属党组织名称 党组织全称 "
        "党支部名称 隶属党组织"
    ),
    "formation": "组建方式 组建形式 建立方式 建立形式 组建类型 党组织组建方式 党组织建立方式",
    "coverage_mode": (
        "覆盖方式 覆盖情况 覆盖类型 覆盖形式 两个覆盖情况 党组织覆盖方式 党的组织覆盖情况"
    ),
    "instructor": "党建指导员 指导员 党建工作指导员 党建指导员姓名 指导员姓名 选派党建指导员",
    "liaison": (
        "联络员 联系人（“1+1+5”） 联系人（1+1+5） “1+1+5”联络员 1+1+5联络员 联络员姓名 党建联络员"
    ),
    "star": "星级 星级评定 党建星级 星级评定结果 党组织星级 评定星级 星级党组织",
    "key_firm": "是否重点企业 重点企业 是否为重点企业",
    "remark": "备注 说明 备注说明",
}
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {f: tuple(v.split()) for f, v in _VARIANTS.items()}

_BRACKETS = {"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")"}
_QUOTES = re.compile("[\"'“”‘’「」『』]")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")
#: A cell that only says "not applicable": dashes, slashes, backslashes.
_NOTHING = re.compile(r"[\s/\\\-\u2010-\u2015\u2212_~]+")


def header_key(text: str) -> str:
    """The form a header cell is matched in: ``企业名称（全称）\\n*`` → ``企业名称(全称)``."""
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(_BRACKETS.get(ch, ch) for ch in folded)
    folded = _QUOTES.sub("", re.sub(r"\s+", "", folded)).lower()
    return folded.strip("*※:")


_BY_KEY: dict[str, str] = {}
for _field, _variants in HEADER_VARIANTS.items():
    for _variant in _variants:
        if _BY_KEY.setdefault(header_key(_variant), _field) != _field:  # pragma: no cover
            raise AssertionError(f"{_variant!r} is listed for two fields")


def field_of(text: str) -> str | None:
    """The field a header cell names, or None: tried as written, then without trailing
    bracketed notes such as ``（人）``, ``（必填）``, ``（是/否）``."""
    key = header_key(text)
    while key:
        found = _BY_KEY.get(key)
        if found is not None:
            return found
        shorter = _TRAILING_NOTE.sub("", key).strip("*※:")
        if shorter == key:
            return None
        key = shorter
    return None


def header_text(text: str) -> str:
    """A header cell as messages and mappings show it: its words, line breaks as spaces."""
    return " ".join(text.split())


# --- cell words ---------------------------------------------------------------------------

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "operating": tuple("在营 存续 开业 正常 营业 在业 在册 正常经营 operating".split()),
    "closed": tuple(
        "注销 吊销 停业 歇业 关闭 撤销 迁出 清算 已注销 已吊销 吊销未注销 吊销,未注销 "
        "closed".split()
    ),
}
MARK_WORDS: dict[bool, tuple[str, ...]] = {
    True: tuple("是 √ ✓ ✔ ☑ 有 已建 已建立 已组建 Y yes true 1".split()),
    False: tuple("否 × ✗ ✘ ✕ ☒ 无 未建 未建立 未组建 没有 N no false 0".split()),
}
FORMATION_WORDS: dict[str, tuple[str, ...]] = {
    "own": ("单独组建", "单独建立", "独立组建", "单建"),
    "joint": ("联合组建", "联建", "联合建立"),
    "regional_joint": ("区域联建",),
    "industry": ("行业统建",),
    "industrial_chain": ("产业联建", "产业链联建"),
    "leading_firm": ("龙头领建", "龙头带建"),
    "office_building": ("楼宇合建", "楼宇联建"),
}
COVERAGE_WORDS: dict[str, tuple[str, ...]] = {
    "organization": ("组织覆盖", "组织"),
    "work": ("工作覆盖", "工作"),
    "none": ("未覆盖", "尚未覆盖", "无"),
}
#: What a star cell says when a firm has no rating.
UNRATED = tuple("无 未评 未评定 未评星 未定级 未参评 暂无 没有".split())
#: What an optional text or code cell says when there is none.
NONE_WORDS = ("无", "暂无", "没有", "未办理", "待办理")
_CHINESE_DIGITS = {
    ch: n for n, chars in enumerate(("零〇", "一", "二两", "三", "四", "五")) for ch in chars
}
_STAR = re.compile(r"(?P<n>[0-9][0-9.,]*|[零〇一二两三四五六七八九十])(?:星级?|级)?")
_STARS = re.compile(r"(?P<full>★+)☆*")
_COUNT = Prop("count", PropType.INT, minimum=0)
_RATING = Prop("star", PropType.INT, minimum=0, maximum=5)
#: A unit after a count: 12人, 3名.
_UNIT = re.compile(r"\s*[人名个位户家]$")


def _words(table: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    return {header_key(w): value for value, words in table.items() for w in words}


_STATUS = _words(STATUS_WORDS)
_MARKS = _words(MARK_WORDS)
_FORMATIONS = _words(FORMATION_WORDS) | {f: f for f in FORMATION_WORDS}
_COVERAGE = _words(COVERAGE_WORDS) | {m: m for m in COVERAGE_WORDS}


def _listed(table: dict[Any, tuple[str, ...]]) -> str:
    return "; ".join(f"{value}: {', '.join(words)}" for value, words in table.items())


def is_nothing(text: str) -> bool:
    """Whether a cell is blank, or holds only dashes or slashes ("not applicable")."""
    return not text.strip() or bool(_NOTHING.fullmatch(text))


def clean_text(text: str) -> str:
    """A text cell trimmed, full-width and no-break spaces as plain ones, runs of spaces one."""
    return re.sub(r"[ \u3000\u00a0\t]+", " ", text).strip()


def code_of(text: str) -> str | None:
    """A credit code cell in standard form (:func:`loaders.credit_code.normalise`), or None."""
    if is_nothing(text) or header_key(text) in NONE_WORDS:
        return None
    return normalise(text)


def _star(key: str) -> int | None:
    """A star rating: 3, 3星, 三星级, ★★★ (or ★★★☆☆); None for 无, 未评."""
    if key in UNRATED:
        return None
    stars = _STARS.fullmatch(key)
    match = _STAR.fullmatch(key)
    if stars:
        count = len(stars.group("full"))
    elif match is None:
        raise CellError(
            "is not a star rating (0–5, such as 3, 三星, 三星级 or ★★★; 无 or 未评 when none)"
        )
    elif match.group("n") in _CHINESE_DIGITS:
        count = _CHINESE_DIGITS[match.group("n")]
    elif not match.group("n")[0].isdigit():
        count = 6  # 六 … 十
    else:
        value = parse_cell(_RATING, match.group("n"))
        assert isinstance(value, int)
        return value
    if count > 5:
        raise CellError("is out of range (0–5)")
    return count


def _choice(key: str, table: dict[str, Any], what: str, words: dict[Any, tuple[str, ...]]) -> Any:
    if key in table:
        return table[key]
    shorter = _TRAILING_NOTE.sub("", key)  # 存续（在营、开业、在册）, as the register writes it
    if shorter != key and shorter in table:
        return table[shorter]
    raise CellError(f"is not {what} ({_listed(words)})")


def parse_value(field: str, text: str) -> Any:
    """The typed value of a ledger cell for ``field``; None for a blank one.

    Raises :class:`~loaders.cells.CellError` with the reason when the cell is not one.
    """
    if is_nothing(text):
        return None
    if field in TEXT_FIELDS:
        cleaned = clean_text(text)
        return None if field != "name" and header_key(cleaned) in NONE_WORDS else cleaned
    if field == "credit_code":
        return code_of(text)
    key = header_key(text)
    if field in COUNT_FIELDS:
        return parse_cell(_COUNT, _UNIT.sub("", text.strip()))
    if field in MARK_FIELDS:
        if key in _MARKS:
            return _MARKS[key]
        yes, no = (", ".join(MARK_WORDS[b]) for b in (True, False))
        raise CellError(f"is not yes or no (yes: {yes}; no: {no})")
    if field == "status":
        return _choice(key, _STATUS, "a business status", STATUS_WORDS)
    if field == "formation":
        if key in NONE_WORDS:  # no organization, so no way of forming one
            return None
        return _choice(key, _FORMATIONS, "a way of forming the organization", FORMATION_WORDS)
    if field == "coverage_mode":
        return _choice(key, _COVERAGE, "a coverage mode", COVERAGE_WORDS)
    if field == "star":
        return _star(key)
    raise KeyError(field)


# --- lines ----------------------------------------------------------------------------------

#: What a totals row says in its name cell or one of its first three cells: the word alone,
#: or ending a label (东风社区小计); a firm's name never ends so.
_TOTAL = re.compile(r".*(?:合计|小计|总计|共计)")
#: A note under the table (注：…, 注1. …, 说明：…, 填表说明) or a signature line (填报人：…).
_NOTE = re.compile(
    r"(?:填表说明|说明|备注|注)(?:\s*[0-9一二三四五六七八九十]*\s*[:：、.．]|\s|$)"
    r"|(?:填报|填表|制表|审核|负责|联系电话|单位负责人)[^:：]{0,6}[:：]"
)
#: Why each kind of line under the header is skipped.
SKIPPED = {
    "total": "is a totals row, not an enterprise; skipped",
    "note": "is a note, not an enterprise; skipped",
    "header": "repeats the header (a second table pasted in, or a printed page's); skipped",
}


def is_header(texts: Iterable[str], *, party: bool = False) -> bool:
    """Whether a line's cells are a ledger header: the name and two other fields read (and,
    with ``party``, a party-building one among them)."""
    found = {field_of(text) for text in texts if text.strip()} - {None, *UNREAD_FIELDS}
    return "name" in found and len(found) >= 3 and (not party or bool(found & set(PARTY_FIELDS)))


def row_kind(cells: dict[int, str], seq: set[int], name_col: int | None) -> tuple[str, str]:
    """What a line under the header is: ``blank`` (nothing, or only a 序号), one of
    :data:`SKIPPED`'s, or ``data``; with the text that makes it so."""
    filled = {col: text for col, text in cells.items() if not is_nothing(text)}
    if not filled:
        return "blank", ""
    for col in (0, 1, 2, name_col):
        if col is not None and _TOTAL.fullmatch(re.sub(r"[\s:：]", "", cells.get(col, ""))):
            return "total", cells[col].strip()
    first = filled[min(filled)].strip()
    if _NOTE.match(first):
        return "note", first
    if is_header(filled.values()):
        return "header", first
    return ("blank", "") if filled.keys() <= seq else ("data", "")


# --- the header -----------------------------------------------------------------------------

#: Why a line is not a header (after "no line among the first N", or "the header").
NO_NAME = (
    f"names the enterprise ({'、'.join(HEADER_VARIANTS['name'][:3])} …) beside two other "
    "ledger columns"
)


@dataclass
class Columns:
    """A header's columns: what each is, and what is wrong with them or left out."""

    #: Column index → (header text, field or None when not read).
    by_index: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    #: Header text → field, or None (as :class:`~loaders.ledger_read.Ledger` has them).
    columns: dict[str, str | None] = field(default_factory=dict)
    #: The 序号 columns: a row holding only a sequence number is blank.
    seq: set[int] = field(default_factory=set)
    #: (header text or None, reason): problems, and warnings for columns not read.
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)


def assign_columns(cells: dict[int, str], mapping: dict[str, str | None] | None) -> Columns:
    """Each header cell's field: by the lists, or as ``mapping`` (header text → field) says.

    Refused: two columns for one field; a mapping's column that the header lacks; no column
    for the name.
    """
    out = Columns()
    first: dict[str, str] = {}
    for col, raw in sorted(cells.items()):
        text = header_text(raw)
        if not text:
            continue
        if mapping is None:
            found = field_of(text)
            if found is None:
                out.ignored.append((text, "is not a ledger column; ignored"))
        else:
            found = mapping.get(text)
            if text not in mapping:
                out.ignored.append((text, "is not in the mapping; ignored"))
        if "seq" in (found, field_of(text)):
            out.seq.add(col)
        found = None if found in UNREAD_FIELDS else found
        if found is not None and found in first:
            also = ", or write a mapping that ignores one"
            if text == first[found]:
                also = " (a mapping cannot tell apart two columns of one name)"
            reason = f"is a second column for {found}, beside {first[found]!r}; keep one{also}"
            out.problems.append((text, reason))
        elif found is not None:
            first[found] = text
        out.by_index[col] = (text, found)
        out.columns.setdefault(text, found)
    for text, wanted in (mapping or {}).items():
        if wanted not in (None, *UNREAD_FIELDS) and text not in out.columns:
            out.problems.append((text, f"is in the mapping (as {wanted}) but not in the header"))
    if "name" not in first and mapping is not None:
        out.problems.append((None, "the mapping gives no column of this line the field name"))
    elif "name" not in first and out.columns:
        out.problems.append((None, f"no column of the header {NO_NAME}"))
    return out
