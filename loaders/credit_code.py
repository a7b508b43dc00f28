"""Unified social credit codes (统一社会信用代码, GB 32100-2015) and the ids of firms without one.

A code is 18 characters from the 31 of :data:`CHARSET` (digits and capitals without I, O, S,
V, Z); the last is a check character computed from the first 17 (:func:`check_character`).
A firm's code is its id in the graph once known. A firm an organizer lists without one gets
a generated id (:func:`generated_id`) that is the same for the same name on every import,
so next quarter's ledger finds it again; when the code turns up, the firm adopts it, with
all its relationships.

>>> check_character("91350100M000100Y4")  # a published code: 91350100M000100Y43
'3'
>>> is_valid("91350100M000100Y43"), is_valid("91350100M000100Y44")
(True, False)
>>> generated_id("长春市某某汽车配件有限公司") == generated_id(" 长春市某某汽车配件有限公司 ")
True
>>> is_generated(generated_id("某公司")), is_generated("91220101MA0000000X")
(True, False)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: The characters a code is written in, in the order that gives each its value 0–30.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: The weights of the first 17 characters (3^i mod 31).
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: What a generated id starts with: never a code's first characters (codes start with a
#: registration authority digit or letter, never "ZG-").
GENERATED_PREFIX = "ZG-"

_GENERATED = re.compile(r"^ZG-[0-9A-F]{12}$")


def normalise(text: str) -> str:
    """A code as typed (full-width characters, spaces, lower case) in its standard form."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded).upper()


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem_with(code: str) -> str | None:
    """Why ``code`` (normalised) is not a valid unified social credit code, or None."""
    if len(code) != 18:
        return f"has {len(code)} characters; a unified social credit code has 18"
    bad = sorted({ch for ch in code if ch not in CHARSET})
    if bad:
        return f"holds {', '.join(bad)}, which a unified social credit code never does"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"fails its check character (GB 32100-2015): the last should be {expected}"
    return None


def is_valid(code: str) -> bool:
    """Whether ``code`` is a well-formed code with the right check character."""
    return problem_with(code) is None


def generated_id(name: str) -> str:
    """A stable id for a firm known only by its name: the same name, the same id."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12].upper()
    return GENERATED_PREFIX + digest


def is_generated(ident: str) -> bool:
    """Whether ``ident`` is one :func:`generated_id` makes (a firm still without its code)."""
    return bool(_GENERATED.match(ident))
