"""The reasons the loaders and the write path give for a problem, in Chinese.

A :class:`~graph_model.errors.Problem` says what is wrong in English (the CLI prints it so).
The pages show organizers the same reason in Chinese: :func:`reason_zh` matches the reason
against the patterns below, in order, and fills in the Chinese wording, translating the
words inside it (a table, a kind of record, an organization kind) as it goes. A reason no
pattern knows is shown as it is, in English, rather than guessed at.

>>> reason_zh("is not a whole number")
'不是整数'
>>> reason_zh("names no party organization, studio or instructor")
'找不到这个党组织、老书记工作室或党建指导员'
>>> reason_zh("something new")
'something new'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from api.i18n import ZH
from graph_model.schema import CHOICE_ALIASES, ORG_KINDS

#: How the reasons name each kind of record (graph_model.schema.NOUNS), in Chinese.
NOUNS_ZH: dict[str, str] = {
    "enterprise": "企业",
    "party organization": "党组织",
    "studio": "老书记工作室",
    "alliance": "党建联盟",
    "instructor": "党建指导员",
    "liaison": "联络员",
    "grid": "网格",
}
#: The contract's tables, in Chinese.
TABLES_ZH: dict[str, str] = {
    "enterprises": "企业",
    "party_orgs": "党组织",
    "studios": "老书记工作室",
    "coverage": "覆盖关系",
    "supply_links": "供应关系",
    "alliances": "党建联盟",
    "alliance_members": "联盟成员",
    "instructors": "党建指导员",
    "liaisons": "联络员",
}


def _noun(text: str) -> str:
    """``an enterprise`` / ``party organization`` → 企业 / 党组织."""
    bare = re.sub(r"^(?:an?|the)\s+", "", text.strip())
    return NOUNS_ZH.get(bare, bare)


def _or_list(text: str, word: Callable[[str], str]) -> str:
    """``a, b or c`` with each item translated, joined the Chinese way: ``甲、乙或丙``."""
    head, _, last = text.rpartition(" or ")
    items = [*(i for i in head.split(", ") if i), last] if head else [last]
    words = [word(i) for i in items]
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + "或" + words[-1]


def _kind(text: str) -> str:
    """An organization kind (``joint_branch``) as the pages name it (联合党支部)."""
    return ZH.get(f"v.{text.strip()}", text.strip())


def _choices(text: str) -> str:
    """``operating, closed`` → ``operating（在营）、closed（注销）``: each with the word the
    organizers may type for it instead."""
    words = []
    for choice in text.split(", "):
        alias = CHOICE_ALIASES.get(choice.strip())
        words.append(f"{choice}（{alias[0]}）" if alias else choice)
    return "、".join(words)


def _table(text: str) -> str:
    return TABLES_ZH.get(text.strip(), text.strip())


def _where(text: str) -> str:
    return "数据库中" if text == "database" else text


def _parts(text: str) -> str:
    """``2 coverage rows (a; b), 1 supply_links row (c)`` → ``覆盖关系 2 行（a; b）、…``."""
    found = re.findall(r"(\d+) (\w+) rows? \((.*?)\)(?:, |$)", text)
    if not found:
        return text
    return "、".join(f"{_table(table)} {n} 行（{shown}）" for n, table, shown in found)


#: Group name → how its text is translated before it is put into the Chinese wording.
_GROUPS: dict[str, Callable[[str], str]] = {
    "noun": _noun,
    "nouns": lambda s: _or_list(s, _noun),
    "kind": _kind,
    "kinds": lambda s: _or_list(s, _kind),
    "table": _table,
    "choices": _choices,
    "where": _where,
    "parts": _parts,
    "names": lambda s: s.replace(" or ", " 或 "),
    "inner": lambda s: reason_zh(s),
    "formula": lambda s: f" ={s} " if s else "",
}


_ORG_KINDS = "|".join(ORG_KINDS)


def _rule(pattern: str, zh: str) -> tuple[re.Pattern[str], str]:
    return re.compile(pattern), zh


#: (a reason's pattern, its Chinese wording), most specific first.
RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # one cell's value (loaders.cells)
    _rule(
        r"(?P<inner>.+?): a comma may only separate groups of three digits, as in 12,345 "
        r"\(write decimals with a point\)",
        "{inner}：逗号只能用来分隔每三位数字（如 12,345），小数请用小数点",
    ),
    _rule(r"is not one of (?P<choices>.+)", "不是可选的值（可选：{choices}）"),
    _rule(r"is out of range \((?P<lo>.+?)–(?P<hi>.+?)\)", "超出范围（{lo}–{hi}）"),
    _rule(r"is below the minimum (?P<lo>.+)", "小于最小值 {lo}"),
    _rule(r"is above the maximum (?P<hi>.+)", "大于最大值 {hi}"),
    _rule(r"is not a whole number", "不是整数"),
    _rule(r"is outside the 64-bit whole-number range", "超出 64 位整数的范围"),
    _rule(r"is not a finite number", "不是有限的数字"),
    _rule(r"is not a number", "不是数字"),
    _rule(
        r"is not true/false \(or 1/0, yes/no, 是/否\)",
        "不是“是/否”（可填 是/否、true/false、1/0、yes/no）",
    ),
    _rule(r"is required", "必须填写"),
    _rule(r"required column is missing", "缺少必填的列"),
    _rule(r"is not a contract column; ignored", "不是约定的列，已忽略"),
    _rule(
        r"column appears twice \(columns (?P<a>\d+) and (?P<b>\d+)\)",
        "列重复出现（第 {a} 列和第 {b} 列）",
    ),
    _rule(
        r"is part of the merged cells (?P<m>\S+); a number or yes/no cannot be shared by "
        r"several rows: unmerge it and give each row its own value",
        "属于合并单元格 {m}；数字或“是/否”不能由几行共用：请取消合并，每行各填一个值",
    ),
    # text that would be stored wrong (loaders.raw)
    _rule(
        r"has (?P<n>[\d,]+) characters; a cell holds at most (?P<max>[\d,]+)",
        "有 {n} 个字符，一个单元格最多 {max} 个字符",
    ),
    _rule(
        r"holds a NUL character \(a zero byte\).*",
        "含有空字符（零字节），正常文字里不会有：文件已损坏或用了别的编码",
    ),
    _rule(
        r"holds a byte order mark \(U\+FEFF\).*",
        "含有字节顺序标记（U+FEFF），这个不可见字符只应出现在文件开头（是否粘贴进了另一个文件？）；"
        "请删除它",
    ),
    # CSV text (loaders.csv_text)
    _rule(
        r"has bytes that are not UTF-16, though the file starts with a UTF-16 byte order "
        r"mark; save it again",
        "文件以 UTF-16 字节顺序标记开头，却含有不是 UTF-16 的字节；请重新保存",
    ),
    _rule(
        r"has bytes that are not UTF-8 \((?P<bad>[^)]*)\), though the file starts with a "
        r"UTF-8 byte order mark: it mixes encodings; save it all as CSV UTF-8",
        "文件以 UTF-8 字节顺序标记开头，却含有不是 UTF-8 的字节（{bad}）：混用了编码；"
        "请整个另存为“CSV UTF-8”",
    ),
    _rule(
        r"has bytes that are not UTF-8 \((?P<bad>[^)]*)\), though line (?P<n>\d+) before it "
        r"is UTF-8: the file mixes encodings; save it all as CSV UTF-8",
        "含有不是 UTF-8 的字节（{bad}），而前面的第 {n} 行是 UTF-8：文件混用了编码；"
        "请整个另存为“CSV UTF-8”",
    ),
    _rule(
        r"has bytes that are neither UTF-8 nor GB18030/GBK \((?P<bad>[^)]*)\) \(and line "
        r"(?P<n>\d+) is not GB18030 either\); save the file as CSV UTF-8",
        "含有既不是 UTF-8 也不是 GB18030/GBK 的字节（{bad}）（第 {n} 行也不是 GB18030）；"
        "请另存为“CSV UTF-8”",
    ),
    _rule(
        r"has bytes that are neither UTF-8 nor GB18030/GBK \((?P<bad>[^)]*)\); save the "
        r"file as CSV UTF-8",
        "含有既不是 UTF-8 也不是 GB18030/GBK 的字节（{bad}）；请另存为“CSV UTF-8”",
    ),
    _rule(
        r"a quoted cell opens here and is never closed, so lines (?P<a>\d+)–(?P<b>\d+) "
        r"would become one cell; .*",
        "这里开始的带引号单元格没有闭合，第 {a}–{b} 行会并成一个单元格；请补上引号"
        '（单元格里的引号要写两次：""）',
    ),
    _rule(
        r"text follows the closing quote of the cell opened on line (?P<n>\d+); .*",
        '第 {n} 行开始的单元格在闭合引号后还有文字；带引号单元格里的引号要写两次（""）',
    ),
    _rule(
        r"text follows the closing quote; .*",
        '闭合引号后还有文字；带引号单元格里的引号要写两次（""）',
    ),
    _rule(
        r"the header (?:line|row) is empty; it must name the columns",
        "表头是空的；表头必须写明各列",
    ),
    _rule(
        r"has (?P<n>\d+) cells; the header has (?P<w>\d+) \(a quoted cell runs across lines "
        r"(?P<runs>[^)]*): is a quote missing or extra\?\): the cells beyond the header would "
        r"be lost",
        "有 {n} 个单元格，表头只有 {w} 列"
        "（有带引号的单元格跨了第 {runs} 行：是否少了或多了引号？）：超出表头的单元格会丢失",
    ),
    _rule(
        r"has (?P<n>\d+) cells; the header has (?P<w>\d+): the cells beyond the header would "
        r"be lost",
        "有 {n} 个单元格，表头只有 {w} 列：超出表头的单元格会丢失",
    ),
    _rule(
        r"has (?P<n>\d+) cells; the header has (?P<w>\d+) \(a quoted cell runs across lines "
        r"(?P<runs>[^)]*): is a quote missing or extra\?\)",
        "有 {n} 个单元格，表头有 {w} 列（有带引号的单元格跨了第 {runs} 行：是否少了或多了引号？）",
    ),
    _rule(
        r"has (?P<n>\d+) cells; the header has (?P<w>\d+)",
        "有 {n} 个单元格，表头有 {w} 列",
    ),
    _rule(
        r"is a value under a blank header cell \((?P<ref>\w+)\); .*",
        "这个值所在列的表头（{ref}）是空的；请在表头写明列名，或清空这个单元格",
    ),
    _rule(
        r"is a value under a blank header cell; .*",
        "这个值所在列的表头是空的；请在表头写明列名，或清空这个单元格",
    ),
    # folders, workbooks and zips (loaders.readers, loaders.xlsx, loaders.imports)
    _rule(
        r"is a folder; ignored .*",
        "是一个文件夹，已忽略（只读取所选文件夹本身里的文件）",
    ),
    _rule(
        r"is a workbook, and a folder's tables are read from CSV files; ignored \(save the "
        r"sheet as (?P<f>\S+), or load the workbook by itself\)",
        "是工作簿，而文件夹里的表只从 CSV 文件读取，已忽略"
        "（请把工作表另存为 {f}，或单独导入这个工作簿）",
    ),
    _rule(
        r"is not a \.csv file; ignored \(save or rename it as (?P<f>\S+)\)",
        "不是 .csv 文件，已忽略（请另存为或改名为 {f}）",
    ),
    _rule(
        r"matches no table; ignored \(the tables are (?P<names>.*)\)",
        "不对应任何数据表，已忽略（数据表为：{names}）",
    ),
    _rule(r"cannot be read \((?P<why>.*)\)", "无法读取（{why}）"),
    _rule(r"is a folder, not a CSV file", "是文件夹，不是 CSV 文件"),
    _rule(
        r"is a second file for the (?P<table>\w+) table, beside (?P<other>.+); keep one of them",
        "是“{table}”表的第二个文件（已有 {other}）；请只保留一个",
    ),
    _rule(
        r"is a second sheet for the (?P<table>\w+) table, beside sheet (?P<other>.+); keep "
        r"one of them",
        "是“{table}”表的第二个工作表（已有工作表 {other}）；请只保留一个",
    ),
    _rule(r"is a (?P<what>\w+), not a worksheet; ignored", "是 {what}，不是工作表，已忽略"),
    _rule(r"does not exist", "不存在"),
    _rule(r"is not a file", "不是文件"),
    _rule(
        r"is an old \.xls workbook; save it as an \.xlsx workbook",
        "是旧版 .xls 工作簿；请另存为 .xlsx 工作簿",
    ),
    _rule(
        r"is neither a folder of CSV files nor an \.xlsx workbook",
        "既不是 CSV 文件夹，也不是 .xlsx 工作簿",
    ),
    _rule(
        r"is neither a \.csv file nor an \.xlsx workbook",
        "既不是 .csv 文件，也不是 .xlsx 工作簿",
    ),
    _rule(r"has no sheet", "没有工作表"),
    _rule(r"has no sheet (?P<names>.+)", "没有工作表 {names}"),
    _rule(r"required file is missing", "缺少必需的文件"),
    _rule(
        r"has none of the contract's sheets: (?P<names>.+)",
        "不含约定的任何工作表（{names}）",
    ),
    _rule(
        r"has none of the contract's files: (?P<names>.+)",
        "不含约定的任何文件（{names}）",
    ),
    _rule(
        r"is not a readable \.xlsx workbook \((?P<why>.*)\)",
        "不是可以读取的 .xlsx 工作簿（{why}）",
    ),
    _rule(r"its worksheet part (?P<part>\S+) is missing", "缺少工作表部件 {part}"),
    _rule(r"is not a readable worksheet \((?P<why>.*)\)", "不是可以读取的工作表（{why}）"),
    _rule(r"is not a valid cell reference", "不是有效的单元格位置"),
    _rule(r"appears twice in the sheet's XML", "在工作表的 XML 里出现了两次"),
    _rule(
        r"holds the error value (?P<v>\S+); correct it or clear the cell",
        "是错误值 {v}；请改正或清空这个单元格",
    ),
    _rule(
        r"formula(?: =(?P<formula>.*?))? gives the error (?P<v>\S+); correct it or clear "
        r"the cell",
        "公式{formula}的结果是错误值 {v}；请改正或清空这个单元格",
    ),
    _rule(
        r"formula(?: =(?P<formula>.*?))? has no saved value; open the workbook in Excel and "
        r"save it again",
        "公式{formula}没有保存计算结果；请用 Excel 打开工作簿再保存一次",
    ),
    _rule(
        r"names shared string (?P<i>.+), which the workbook does not have",
        "引用了工作簿里没有的共享字符串 {i}",
    ),
    _rule(
        r"(?P<t>.+) is formatted as a date but is outside the dates Excel can show",
        "{t} 设置为日期格式，但超出了 Excel 能显示的日期范围",
    ),
    _rule(
        r"(?P<t>.+) is saved as a number but is not a finite one",
        "{t} 保存为数字，但不是有限的数字",
    ),
    _rule(r"(?P<t>.+) is saved as a number but is not one", "{t} 保存为数字，但并不是数字"),
    _rule(r"is not a valid merged range", "不是有效的合并区域"),
    _rule(
        r"merged across columns; unmerge it so each value has its own cell",
        "跨列合并了；请取消合并，让每个值各占一个单元格",
    ),
    _rule(
        r"merges the header cell with data rows; unmerge it",
        "表头单元格和数据行合并在一起；请取消合并",
    ),
    _rule(
        r"lies under the merged cells (?P<m>\S+), which show only (?P<ref>\w+)'s value; "
        r"unmerge them or clear this cell",
        "位于合并单元格 {m} 之下，合并后只显示 {ref} 的值；请取消合并或清空这个单元格",
    ),
    _rule(r"is not a readable \.zip file", "不是可以读取的 .zip 压缩文件"),
    _rule(r"holds no \.csv file", "里面没有 .csv 文件"),
    _rule(
        r"holds CSV files in several folders \((?P<names>.*)\); zip one zone",
        "CSV 文件分散在几个文件夹里（{names}）；请只压缩一个区的文件",
    ),
    _rule(r"unpacks to more than (?P<n>\d+) MB", "解压后超过 {n} MB"),
    # references, ids and the contract's rules (loaders.validate, graph_model.resolve)
    _rule(r"duplicate id \(first on line (?P<n>\d+)\)", "编号重复（第一次出现在第 {n} 行）"),
    _rule(r"duplicate id \(first in (?P<where>.+)\)", "编号重复（第一次出现在 {where}）"),
    _rule(
        r"id is already used by (?P<noun>an? [\w ]+?) \((?P<where>.+)\)",
        "编号已被{noun}使用（{where}）",
    ),
    _rule(r"id is already used by (?P<noun>an? [\w ]+)", "编号已被{noun}使用"),
    _rule(r"names no stored (?P<noun>[\w ]+)", "数据库中没有这个{noun}"),
    _rule(r"names no (?P<nouns>[\w ,]+)", "找不到这个{nouns}"),
    _rule(r"names (?P<v>.+), which this change removes", "指向的 {v} 会被这次修改删除"),
    _rule(
        rf"is a (?P<kind>{_ORG_KINDS}) organization, not a (?P<kinds>[\w ]+)",
        "是{kind}，不是{kinds}",
    ),
    _rule(r"is (?P<noun>an? [\w ]+?), not (?P<nouns>an? [\w ,]+)", "是{noun}，不是{nouns}"),
    _rule(
        r"a (?P<noun>[\w ]+) gives work coverage only \(use mode work\)",
        "{noun}只能提供工作覆盖（覆盖方式请选“工作覆盖”）",
    ),
    _rule(r"a firm cannot supply itself", "企业不能给自己供货"),
    _rule(r"an organization cannot report to itself", "党组织不能以自己为上级"),
    _rule(r"reporting cycle: (?P<cycle>.+)", "上下级关系形成了循环：{cycle}"),
    _rule(r"is needed to identify the row", "必须填写，用来确定是哪一行"),
    _rule(r"is both changed and removed", "同时被修改和删除"),
    _rule(r"is changed twice in one change set", "在同一次修改中被改了两次"),
    _rule(r"is being changed to (?P<v>.+)", "正在被改为 {v}"),
    _rule(r"matches no stored row", "数据库中没有这一行"),
    _rule(
        r"still hosts studios (?P<list>.+); move them first",
        "仍有老书记工作室 {list} 设在这里；请先把它们移走",
    ),
    _rule(
        r"is still named by (?P<parts>.+); change or remove them too",
        "仍被 {parts} 引用；请一并修改或删除",
    ),
    # the register (loaders.reconcile)
    _rule(r"has neither an id column nor a name column", "既没有编号列，也没有名称列"),
    _rule(
        r"matches the stored firm (?P<id>\S+) by name, as line (?P<n>\d+) does",
        "按名称对应到已有企业 {id}，第 {n} 行也对应到它",
    ),
    _rule(
        r"is required for a new firm; (?P<n>\d+) stored firms have this name",
        "新企业必须填写编号；已有 {n} 家企业叫这个名称",
    ),
    _rule(r"is required for a new firm", "新企业必须填写编号"),
    # the web app's own (api.routes.enterprises)
    _rule(
        r"no liaison has this name; give an id to add a new liaison",
        "没有叫这个名字的联络员；新增联络员请填写编号",
    ),
    _rule(
        r"several liaisons have this name \((?P<ids>.+)\); give the id",
        "有几位联络员叫这个名字（{ids}）；请填写编号",
    ),
    _rule(r"give a liaison id or name", "请填写联络员编号或姓名"),
    _rule(r"is not a field one edits", "不是可以在这里修改的字段"),
)


def reason_zh(reason: str) -> str:
    """A problem's reason in Chinese; the English reason itself when no pattern knows it."""
    for pattern, zh in RULES:
        found = pattern.fullmatch(reason)
        if found is None:
            continue
        values = {
            name: _GROUPS[name](text) if name in _GROUPS else text
            for name, text in found.groupdict(default="").items()
        }
        return zh.format(**values)
    return reason
