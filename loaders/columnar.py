"""The fast load of a whole zone from a CSV folder: a columnar gate before the row path.

:func:`fast_zone` reads the folder with pyarrow (:mod:`loaders.columnar_read`) and checks
the zone as :func:`loaders.validate.validate` does, with vectorised tests: one id per node
table row, ids unique across labels, every reference naming a node of the right label (and
org kind), studios and instructors giving work coverage only, no firm supplying itself, no
reporting cycle. A link row given twice counts once, the later row's values in the earlier
row's place, as the row path merges them.

It answers with a valid :class:`~graph_model.arrow_zone.ArrowZone`, or ``None`` whenever
the row path must judge: then :func:`loaders.validate.validate` reads the same folder and
accepts it or lists every problem, located by file, line and column. (Listing problems here
too would be a second copy of every message; the row path's memory for a refused big file
is the price, and a refused file is refused before anything is written.) So both paths
accept and refuse exactly the same folders and write the same graph; a property test holds
them together.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graph_model.arrow_zone import ArrowZone
from graph_model.errors import Problem
from graph_model.progress import Progress, quiet
from graph_model.schema import ID_LABELS, TABLE, TABLES, WORK_ONLY, TableSpec
from loaders.columnar_read import Unsure, read_folder_columnar


def fast_zone(
    folder: Path,
    *,
    required: tuple[str, ...] | None = None,
    warnings: list[Problem] | None = None,
    progress: Progress = quiet,
) -> ArrowZone | None:
    """The valid zone in ``folder``, read columnar, or ``None`` when the row path must read it.

    ``required`` are the tables whose file must be there (None: all but the optional ones,
    as a replacing load needs). Warnings are appended to ``warnings`` only when the zone is
    returned (otherwise the row path finds them again).
    """
    found: list[Problem] = []
    tables = read_folder_columnar(folder, required=required, warnings=found, progress=progress)
    if tables is None:
        return None
    try:
        progress(f"checking {sum(t.num_rows for t in tables.values()):,} rows")
        numbers = Numbering(tables)
        tables = {name: one_per_key(TABLE[name], t, numbers) for name, t in tables.items()}
        check_graph(tables, numbers)
    except Unsure:
        return None
    if warnings is not None:
        warnings.extend(found)
    # What reading and checking took is freed, but Arrow's allocator keeps it for reuse:
    # give it back before the database takes its share.
    pa.default_memory_pool().release_unused()
    return ArrowZone(tables)


class Numbering:
    """Every node id and every reference, numbered by one dictionary (one pass of hashing).

    The ids of each label, in :data:`~graph_model.schema.ID_LABELS` order (a liaison's once),
    come first: they must number 0, 1, 2 … in turn, or an id is used twice (in one table, or
    by two kinds). Each label's ids then hold a range of numbers, so a reference names a node
    of the right label when its number falls in that label's range.
    """

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        parts: list[pa.Array] = []
        self.ranges: dict[str, tuple[int, int]] = {}
        for label in ID_LABELS:
            if label == "Liaison":
                ids = pc.unique(tables["liaisons"]["liaison_id"].combine_chunks())
            else:
                spec = next(t for t in TABLES if t.node == label)
                ids = tables[spec.name]["id"].combine_chunks()
            start = sum(map(len, parts))
            self.ranges[label] = (start, start + len(ids))
            parts.append(ids)
        known = sum(map(len, parts))
        self.columns: dict[tuple[str, str], tuple[int, int]] = {}
        for spec in TABLES:
            columns = [r.column for r in spec.refs] + (
                ["liaison_id"] if spec.name == "liaisons" else []
            )
            for column in columns:
                start = sum(map(len, parts))
                values = tables[spec.name][column].combine_chunks()
                self.columns[(spec.name, column)] = (start, start + len(values))
                parts.append(values)
        encoded = pc.dictionary_encode(pa.concat_arrays(parts))
        self.size = len(encoded.dictionary)
        self.codes = encoded.indices
        first = self.codes.slice(0, known).to_numpy(zero_copy_only=False)
        if not (first == np.arange(known)).all():
            raise Unsure("an id used twice")

    def of(self, table: str, column: str, labels: tuple[str, ...]) -> pa.Array:
        """The numbers of a reference column's values (nulls stay null); raises
        :class:`Unsure` when one names no node of ``labels``."""
        start, end = self.columns[(table, column)]
        codes = self.codes.slice(start, end - start)
        inside = None
        for label in labels:
            lo, hi = self.ranges[label]
            mine = pc.and_(pc.greater_equal(codes, lo), pc.less(codes, hi))
            inside = mine if inside is None else pc.or_(inside, mine)
        if inside is not None and not pc.all(inside, min_count=0).as_py():  # nulls pass
            raise Unsure("a reference that names no node of its kind")
        return codes


def one_per_key(spec: TableSpec, table: pa.Table, numbers: Numbering) -> pa.Table:
    """The link table with one row per key: a row given twice is one row, where it first
    appears, with the values it has last. Key columns are numbered by :class:`Numbering`
    (which checks that a reference names a node of its kind) or a dictionary of their own."""
    n = table.num_rows
    if n == 0 or spec.node:
        return table
    refs = {r.column: r.labels for r in spec.refs} | {"liaison_id": ("Liaison",)}
    key: pa.Array | None = None
    room = 1
    for column in spec.key:
        if column in refs:
            codes, size = numbers.of(spec.name, column, refs[column]), numbers.size
        else:
            encoded = pc.dictionary_encode(table[column].combine_chunks())
            codes, size = encoded.indices, len(encoded.dictionary)
        size = max(size, 1)
        room *= size
        codes = pc.cast(codes, pa.int64())
        key = codes if key is None else pc.add(pc.multiply(key, size), codes)
    if room >= 1 << 62:
        raise Unsure("keys too many to number")
    assert key is not None
    numbered = pd.Series(key.to_numpy(zero_copy_only=False))
    again = numbered.duplicated(keep="first")
    if not again.any():
        return table
    firsts = numbered[~again]
    lasts = numbered[~numbered.duplicated(keep="last")]
    # Where each key first appears, the row it has last.
    last_of = pd.Series(lasts.index.to_numpy(), index=lasts.to_numpy())
    return table.take(pa.array(last_of.loc[firsts.to_numpy()].to_numpy()))


def check_graph(tables: dict[str, pa.Table], numbers: Numbering) -> None:
    """Raise :class:`Unsure` unless the checks across tables pass (see the module's docs);
    ids, and the references in link tables' keys, were checked by :class:`Numbering`."""
    orgs = tables["party_orgs"]
    for spec in TABLES:
        for ref in spec.refs:
            if spec.node:
                numbers.of(spec.name, ref.column, ref.labels)
            if ref.org_kinds:
                kinds = pc.is_in(orgs["kind"], value_set=pa.array(ref.org_kinds))
                allowed = orgs["id"].filter(kinds).combine_chunks()
                values = tables[spec.name][ref.column].drop_null()
                if len(values) and not pc.all(pc.is_in(values, value_set=allowed)).as_py():
                    raise Unsure("a reference that names no node of its kind")
    cover = tables["coverage"]
    by_org = cover.filter(pc.equal(cover["mode"], "organization"))["coverer_id"]
    work_only = pa.concat_arrays(
        [pa.array([], pa.string())]
        + [tables[t.name]["id"].combine_chunks() for t in TABLES if t.node in WORK_ONLY]
    )
    if len(by_org) and pc.any(pc.is_in(by_org, value_set=work_only)).as_py():
        raise Unsure("a studio or instructor giving organizational coverage")
    links = tables["supply_links"]
    if links.num_rows and pc.any(pc.equal(links["supplier_id"], links["customer_id"])).as_py():
        raise Unsure("a firm supplying itself")
    parents = dict(zip(orgs["id"].to_pylist(), orgs["parent_id"].to_pylist(), strict=True))
    if _has_cycle(parents):
        raise Unsure("a reporting cycle")


def _has_cycle(parent: dict[str, str | None]) -> bool:
    """Whether following parents from some organization comes back to it."""
    done: set[str] = set()
    for start in parent:
        path: set[str] = set()
        node: str | None = start
        while node is not None and node in parent and node not in done:
            if node in path:
                return True
            path.add(node)
            node = parent[node]
        done |= path
    return False
