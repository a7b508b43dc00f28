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

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graph_model.arrow_zone import ArrowZone
from graph_model.errors import Problem
from graph_model.progress import Progress, quiet
from graph_model.schema import TABLE, TABLES, WORK_ONLY, TableSpec
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
        ids = node_ids(tables)
        tables = {name: one_per_key(TABLE[name], t, ids) for name, t in tables.items()}
        check_graph(tables, ids)
    except Unsure:
        return None
    if warnings is not None:
        warnings.extend(found)
    # What reading and checking took is freed, but Arrow's allocator keeps it for reuse:
    # give it back before the database takes its share.
    pa.default_memory_pool().release_unused()
    return ArrowZone(tables)


def node_ids(tables: dict[str, pa.Table]) -> dict[str, pa.Array]:
    """Each node label's ids; an id twice in a node table is the row path's to report."""
    ids = {}
    for spec in TABLES:
        if spec.node:
            column = tables[spec.name]["id"].combine_chunks()
            if pc.count_distinct(column).as_py() != len(column):
                raise Unsure("a duplicate id")
            ids[spec.node] = column
    return ids


def one_per_key(spec: TableSpec, table: pa.Table, ids: dict[str, pa.Array]) -> pa.Table:
    """The link table with one row per key: a row given twice is one row, where it first
    appears, with the values it has last. A key column that references nodes is numbered by
    the node it names (and checked to name one, of the right label)."""
    n = table.num_rows
    if n == 0 or spec.node:
        return table
    refs = {r.column: r for r in spec.refs}
    key: pa.Array | None = None
    room = 1
    for column in spec.key:
        values = table[column].combine_chunks()
        ref = refs.get(column)
        if ref is not None:
            universe = pa.concat_arrays([ids[label] for label in ref.labels])
            codes = pc.index_in(values, value_set=universe)
            if codes.null_count:
                raise Unsure("a reference that names no node of its kind")
            size = len(universe)
        else:
            encoded = pc.dictionary_encode(values)
            codes, size = encoded.indices, len(encoded.dictionary)
        room *= max(size, 1)
        codes = pc.cast(codes, pa.int64())
        key = codes if key is None else pc.add(pc.multiply(key, max(size, 1)), codes)
    if room >= 1 << 62:
        raise Unsure("keys too many to number")
    assert key is not None
    numbers = pd.Series(key.to_numpy(zero_copy_only=False))
    again = numbers.duplicated(keep="first")
    if not again.any():
        return table
    firsts = numbers[~again]
    lasts = numbers[~numbers.duplicated(keep="last")]
    # Where each key first appears, the row it has last.
    last_of = pd.Series(lasts.index.to_numpy(), index=lasts.to_numpy())
    return table.take(pa.array(last_of.loc[firsts.to_numpy()].to_numpy()))


def check_graph(tables: dict[str, pa.Table], ids: dict[str, pa.Array]) -> None:
    """Raise :class:`Unsure` unless the checks across tables pass (see the module's docs);
    the references in link tables' keys were checked by :func:`one_per_key`."""
    liaisons = pc.unique(tables["liaisons"]["liaison_id"].combine_chunks())
    every = pa.concat_arrays([*ids.values(), liaisons])
    if pc.count_distinct(every).as_py() != len(every):
        raise Unsure("an id used by two nodes")
    orgs = tables["party_orgs"]
    for spec in TABLES:
        for ref in spec.refs:
            if not spec.node and ref.column in spec.key:
                continue
            allowed = pa.concat_arrays([ids[label] for label in ref.labels])
            if ref.org_kinds:
                kinds = pc.is_in(orgs["kind"], value_set=pa.array(ref.org_kinds))
                allowed = orgs["id"].filter(kinds).combine_chunks()
            values = tables[spec.name][ref.column].drop_null()
            if len(values) and not pc.all(pc.is_in(values, value_set=allowed)).as_py():
                raise Unsure("a reference that names no node of its kind")
    cover = tables["coverage"]
    by_org = cover.filter(pc.equal(cover["mode"], "organization"))["coverer_id"]
    work_only = pa.concat_arrays([ids[label] for label in WORK_ONLY])
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
