"""The message catalogue's parts: each module holds one area's strings, Chinese and English
side by side (``{key: (zh, en)}``), and is listed in :data:`PARTS`.

:mod:`api.i18n` merges them with its own table and refuses a key defined twice, so two parts
can never disagree about what a key says.
"""

from __future__ import annotations

from api.messages import edges, lang, map, netapi, network, plan, report

#: Every part, in the order they are merged (a key may appear in one part only).
PARTS: tuple[dict[str, tuple[str, str]], ...] = (
    edges.MESSAGES,
    lang.MESSAGES,
    map.MESSAGES,
    netapi.MESSAGES,
    network.MESSAGES,
    plan.MESSAGES,
    report.MESSAGES,
)
