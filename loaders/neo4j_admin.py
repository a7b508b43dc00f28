"""Files for ``neo4j-admin database import full``: the fastest way to put a big zone in Neo4j.

``zonegraph export --neo4j-admin DIR`` writes one CSV file per node label and one per
(relationship type, start label, end label), each with the header row the importer reads,
derived from :mod:`graph_model.schema`:

* nodes: ``id:ID(Enterprise),name,…,employees:long,lat:double,key_firm:boolean,…,:LABEL``
  — one ID space per label, because derived ids (a grid's) may repeat another label's id;
* relationships: ``:START_ID(PartyOrg),:END_ID(Enterprise),…,:TYPE``, the ID spaces of
  the ends named, so every relationship finds its ends by label and id.

Enterprises carry ``coverage`` too (``own``, ``joint``, ``work`` or ``none``, derived here
from their relationships as the write path derives it), since an import bypasses the write
path that keeps it; the audit trail is written as ``AuditEntry`` nodes, so it moves along.

**Cells are written exactly, not neutralised for spreadsheets** (:mod:`loaders.safe_cells`).
These files are read by neo4j-admin, never by a spreadsheet; a leading apostrophe would be
imported as part of a firm's name, and neo4j-admin has no reader that removes it. What could
break the importer's CSV parsing is handled the CSV way: every field holding a delimiter, a
quote or a line break is quoted, quotes doubled (the importer's default quoting), and when
any field holds a line break the command asks for ``--multiline-fields=true``. An empty
field is a missing property, as the zone's ``None`` is. For a spreadsheet, use
``zonegraph export DIR`` (the contract files, neutralised).
"""

from __future__ import annotations

import csv
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_model.audit import AUDIT_LABEL, AUDIT_PROPS, AuditEntry
from graph_model.mapping import GraphBatch, Zone, to_graph
from graph_model.schema import NODES, REL_KINDS, RELS, PropType

__all__ = ["AdminFiles", "coverage_states", "write_admin_files"]

#: The importer's type names for the schema's property types (text needs none).
ADMIN_TYPES: dict[PropType, str] = {
    PropType.STRING: "",
    PropType.INT: ":long",
    PropType.FLOAT: ":double",
    PropType.BOOL: ":boolean",
}

#: The derived property the stores keep on every firm (graph_model.ddl.NODE_ONLY_PROPS).
COVERAGE = "coverage"


@dataclass
class AdminFiles:
    """What :func:`write_admin_files` wrote: the files, their row counts, and the command."""

    folder: Path
    nodes: dict[str, int] = field(default_factory=dict)  # file name → rows
    relationships: dict[str, int] = field(default_factory=dict)
    multiline: bool = False

    def command(self, database: str = "neo4j") -> str:
        """The ``neo4j-admin database import full`` command reading these files (absolute
        paths, so it runs from any folder; the database name first, as 5.19 and later want)."""
        folder = self.folder.resolve()
        args = ["neo4j-admin", "database", "import", "full", database]
        args += [f"--nodes={folder / name}" for name in self.nodes]
        args += [f"--relationships={folder / name}" for name in self.relationships]
        if self.multiline:
            args.append("--multiline-fields=true")
        return shlex.join(args)


def coverage_states(batch: GraphBatch) -> dict[str, str]:
    """Each firm's coverage state from the batch's relationships: ``own`` (an ``OWN_ORG``
    reaches it), else ``joint`` (a ``COVERS``), else ``work`` (a ``GUIDES``), else ``none``."""
    rank = {"OWN_ORG": ("own", 3), "COVERS": ("joint", 2), "GUIDES": ("work", 1)}
    best: dict[str, tuple[str, int]] = {}
    for rel in batch.rels:
        if rel.type in rank and rel.dst_label == "Enterprise":
            state = rank[rel.type]
            for row in rel.rows:
                if best.get(row["dst"], ("none", 0))[1] < state[1]:
                    best[row["dst"]] = state
    return {
        row["id"]: best.get(row["id"], ("none", 0))[0] for row in batch.nodes.get("Enterprise", [])
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Writer:
    """Writes CSV files into one folder and notes whether any field spans lines."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.multiline = False

    def write(self, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        count = 0
        with (self.folder / name).open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            for row in rows:
                cells = [_cell(v) for v in row]
                if not self.multiline and any("\n" in c or "\r" in c for c in cells):
                    self.multiline = True
                out.writerow(cells)
                count += 1
        return count


def node_header(label: str, props: Sequence[str]) -> list[str]:
    """The importer's header of a node file: the id in the label's ID space, typed properties."""
    types = {p.name: p.type for p in NODES[label].props} if label in NODES else {}
    cells = [
        f"id:ID({label})" if p == "id" else p + ADMIN_TYPES[types.get(p, PropType.STRING)]
        for p in props
    ]
    return [*cells, ":LABEL"]


def rel_header(rtype: str, src: str, dst: str) -> list[str]:
    """The importer's header of a relationship file: both ends' ID spaces, typed properties."""
    props = [p.name + ADMIN_TYPES[p.type] for p in RELS[rtype].props]
    return [f":START_ID({src})", f":END_ID({dst})", *props, ":TYPE"]


def _node_rows(
    label: str, props: list[str], rows: list[dict[str, Any]], coverage: dict[str, str]
) -> Iterable[list[Any]]:
    for row in rows:
        out = [coverage[row["id"]] if p == COVERAGE else row.get(p) for p in props]
        yield [*out, label]


def write_admin_files(zone: Zone, folder: Path, history: Sequence[AuditEntry] = ()) -> AdminFiles:
    """Write the zone (and its audit ``history``) as neo4j-admin import files into ``folder``.

    The folder is created if missing; files of the same names are overwritten.
    """
    folder.mkdir(parents=True, exist_ok=True)
    batch = to_graph(zone)
    writer = _Writer(folder)
    done = AdminFiles(folder)
    coverage = coverage_states(batch)
    for label, rows in batch.nodes.items():
        props = [p.name for p in NODES[label].props]
        if label == "Enterprise" and COVERAGE not in props:
            props.append(COVERAGE)
        name = f"nodes-{label}.csv"
        done.nodes[name] = writer.write(
            name, node_header(label, props), _node_rows(label, props, rows, coverage)
        )
    if history:
        name = f"nodes-{AUDIT_LABEL}.csv"
        header = [f"id:ID({AUDIT_LABEL})", *AUDIT_PROPS[1:], ":LABEL"]
        entries = ([*(e.to_row()[p] for p in AUDIT_PROPS), AUDIT_LABEL] for e in history)
        done.nodes[name] = writer.write(name, header, entries)
    # Every relationship kind gets its file, empty or not: the same command fits every zone.
    found = {(r.type, r.src_label, r.dst_label): r.rows for r in batch.rels}
    for kind in REL_KINDS:
        names = [p.name for p in kind.props]
        for src, dst in kind.ends:
            name = f"rels-{kind.type}-{src}-{dst}.csv"
            links = found.get((kind.type, src, dst), [])
            cells = ([r["src"], r["dst"], *(r.get(p) for p in names), kind.type] for r in links)
            done.relationships[name] = writer.write(name, rel_header(kind.type, src, dst), cells)
    done.multiline = writer.multiline
    return done
