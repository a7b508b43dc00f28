"""Finding English on a Chinese page: :func:`english_runs` over the text a person reads.

A page in Chinese may still show Latin letters a reader expects: ids (``E0011``), units
(``MB``), file kinds (CSV, XLSX), names (zonegraph, Swagger UI), the other language's switch
(English) and things typed at a terminal (``zonegraph user add``). What it must not show is
an English phrase: two or more English words in a row (``work only``, ``1 problem(s) in the
input``) or a machine name (``party_members``). :func:`english_runs` finds those.

Use it on any page the lead or a helper adds::

    from tests.lang_check import english_runs, visible_text
    assert not english_runs(visible_text(page)), page.url
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Latin words a Chinese page may show (compared lower-case): names, formats, units, the
#: language switch, terms organizers use as they are.
ALLOWED = frozenset(
    {
        "zonegraph",
        "english",
        "csv",
        "xlsx",
        "xls",
        "zip",
        "excel",
        "json",
        "api",
        "openapi",
        "swagger",
        "ui",
        "redoc",
        "utf",
        "gbk",
        "gb",
        "bom",
        "id",
        "ids",
        "kb",
        "mb",
        "km",
        "utc",
        "png",
        "svg",
        "pdf",
        "html",
        "cypher",
        "neo4j",
        "ladybugdb",
        "jaccard",
        "top",
    }
)
#: Commands and values a page quotes for typing, as they must be typed (not English prose).
QUOTED = (
    re.compile(r"zonegraph(?: [a-z-]+)+"),  # a command line
    re.compile(r"\b(?:zone|street|grid|park|industry|alliance|firm)(?::\S*)?(?=[、，,…\s]|$)"),
)
#: A run of Latin words with only spaces, hyphens or apostrophes between them; snake_case
#: names count as one word.
_WORD = r"[A-Za-z][A-Za-z_'’-]*(?:\(s\))?"
_RUN = re.compile(rf"{_WORD}(?:[ \t]+{_WORD})*")


def _is_word(token: str) -> bool:
    return len(token) > 1 and token.lower().strip("'’-") not in ALLOWED


def english_runs(text: str, *, min_words: int = 2) -> list[str]:
    """The English phrases in ``text``: runs of ``min_words`` or more Latin words (allowed
    names and units do not count, ids with digits are not words), and every snake_case
    machine name (``party_members``) however short.

    >>> english_runs("未覆盖企业 E0011 共 3 家，下载 CSV 表格 · zonegraph · English")
    []
    >>> english_runs("1 problem(s) in the input; 已注销")
    ['problem(s) in the input']
    >>> english_runs("党员数 party_members")
    ['party_members']
    >>> english_runs("请运行 zonegraph user add 创建账号；范围：zone、street:名称")
    []
    """
    for pattern in QUOTED:
        text = pattern.sub(" ", text)
    found: list[str] = []
    for m in _RUN.finditer(text):
        tokens = m.group(0).split()
        words = [t for t in tokens if _is_word(t)]
        machine = any("_" in t.strip("_") for t in tokens)
        if len(words) >= min_words or machine:
            found.append(m.group(0))
    return found


def english_in(texts: Iterable[str], *, min_words: int = 2) -> list[str]:
    """:func:`english_runs` over several texts (a page's text, its tooltips…), in order."""
    return [run for text in texts for run in english_runs(text, min_words=min_words)]


#: What a person reads on a page: its text, and the words shown on hover or in a field.
#: Text in ``<code>`` is left out: it quotes a name as it must be typed (a query's name for
#: the CLI, a file's column), which is not English to translate.
VISIBLE_TEXT_JS = r"""() => {
  let body = document.body.innerText;
  for (const el of document.querySelectorAll('code, kbd, samp')) {
    const quoted = el.innerText.trim();
    if (!quoted) continue;
    // The quoted name as a whole word (a one-letter name must not eat a letter of a word).
    const escaped = quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    body = body.replace(new RegExp('(^|[^A-Za-z0-9_])' + escaped + '(?![A-Za-z0-9_])'), '$1 ');
  }
  const out = [document.title, body];
  for (const el of document.querySelectorAll('[title],[placeholder],[aria-label],[alt]')) {
    for (const a of ['title', 'placeholder', 'aria-label', 'alt']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  for (const el of document.querySelectorAll('input[type=submit],input[type=button],option')) {
    out.push(el.value && el.tagName === 'INPUT' ? el.value : el.textContent);
  }
  return out;
}"""


def visible_text(page: object) -> list[str]:
    """The texts a person reads on a Playwright ``page`` (see :data:`VISIBLE_TEXT_JS`)."""
    texts: list[str] = page.evaluate(VISIBLE_TEXT_JS)  # type: ignore[attr-defined]
    return texts
