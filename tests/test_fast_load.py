"""The columnar load of CSV folders against the row path: the same folders accepted and
refused, the same zone and graph written; and the progress a person sees while it runs."""

from __future__ import annotations

import io
import random
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from api.cli_progress import LineProgress
from graph_model.errors import Problem, ValidationFailed
from graph_model.mapping import Zone
from graph_model.schema import CHOICE_ALIASES, TABLE
from graph_model.store.embedded import EmbeddedStore
from loaders.columnar import fast_zone
from loaders.load import export_zone, load_path
from loaders.readers import read_source
from loaders.validate import validate
from tests.strategies import TABLE_COLUMNS, zones
from tests.test_cli import zonegraph
from tests.zones import small_zone

FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
TRUE_WORDS, FALSE_WORDS = ("true", "1", "是", "YES", "t"), ("false", "0", "否", "No", "f")
#: What a messy folder may carry that the row path refuses (one per folder, at most), or
#: accepts (:data:`ACCEPTED`).
FAULTS = (
    "bad number",
    "duplicate firm",
    "dangling link",
    "self supply",
    "bad choice",
    "out of range",
    "short row",
    "quote",
    "stray quote",
    "line break",
    "missing name",
)
#: Faults the row path accepts, and the fast path leaves to it (or reads alike).
ACCEPTED = ("quote", "line break")


def _text(table: str, column: str, value: object, rng: random.Random) -> str:
    """A typed value written as an organizer might: aliases, full-width digits, spaces."""
    if value is None:
        return rng.choice(("", "", " "))
    prop = TABLE[table].column(column)
    if isinstance(value, bool):
        text = rng.choice(TRUE_WORDS if value else FALSE_WORDS)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    if isinstance(value, int) and not isinstance(value, bool) and rng.random() < 0.2:
        text = text.translate(FULL_WIDTH)
    if prop.choices and rng.random() < 0.3:
        text = rng.choice((text.upper(), *CHOICE_ALIASES.get(text, ())))
    if rng.random() < 0.1:
        text = rng.choice((" ", "\u3000", "\t")) + text + " "
    if any(c in text for c in ',"') or rng.random() < 0.1:
        text = '"' + text.replace('"', '""') + '"'  # as a spreadsheet quotes a cell
    return text


def _header(table: str, column: str, rng: random.Random) -> str:
    prop = TABLE[table].column(column)
    return rng.choice((column, column.upper(), *prop.aliases, f"{column}*"))


def write_messy(tables: dict[str, list[dict[str, object]]], folder: Path, seed: int) -> str:
    """Write the zone as organizers' files, each file in its own style; maybe with one fault.
    Returns the fault (or "")."""
    rng = random.Random(seed)
    fault = rng.choice(FAULTS) if rng.random() < 0.4 and tables["enterprises"] else ""
    folder.mkdir(parents=True, exist_ok=True)
    for name, columns in TABLE_COLUMNS.items():
        rows = [[_text(name, c, row.get(c), rng) for c in columns] for row in tables[name]]
        header = [_header(name, c, rng) for c in columns]
        if rng.random() < 0.2:
            header.append("备注")
            rows = [[*r, rng.choice(("", "note"))] for r in rows]
        if name == "enterprises" and rows:
            if fault == "bad number":
                rows[0][columns.index("employees")] = "many"
            elif fault == "duplicate firm":
                rows.append(list(rows[0]))
            elif fault == "bad choice":
                rows[0][columns.index("status")] = "maybe"
            elif fault == "out of range":
                rows[0][columns.index("star")] = "9"
            elif fault == "short row":
                rows[0] = rows[0][:-1]
            elif fault == "quote":
                rows[0][columns.index("name")] = '"Acme, ""Ltd"""'
            elif fault == "stray quote":
                rows[0][columns.index("name")] = '"Acme" Ltd'
            elif fault == "line break":
                rows[0][columns.index("name")] = '"Acme\nLtd"'
            elif fault == "missing name":
                rows[0][columns.index("name")] = " "
        if name == "supply_links" and tables["enterprises"]:
            first = str(tables["enterprises"][0]["id"])
            if fault == "dangling link":
                rows.append(["NOBODY", first, ""])
            elif fault == "self supply":
                rows.append([first, first, ""])
        lines = [",".join(header), *(",".join(r) for r in rows)]
        if rng.random() < 0.2 and len(lines) > 1:
            lines.insert(rng.randrange(1, len(lines) + 1), "")
        newline = "\r\n" if rng.random() < 0.3 else "\n"
        encoding = "utf-8-sig" if rng.random() < 0.5 else "utf-8"
        (folder / f"{name}.csv").write_text(newline.join(lines) + newline, encoding=encoding)
    return fault


def row_path(folder: Path) -> tuple[Zone | None, list[str]]:
    """What the row path makes of the folder: the zone and its warnings, or None and the
    problems."""
    found: list[Problem] = []
    try:
        zone, more = validate(read_source(folder, warnings=found))
    except ValidationFailed as exc:
        return None, [str(p) for p in exc.problems]
    return zone, [str(w) for w in found + more]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zones(max_firms=12), st.integers(0, 2**32))
def test_fast_and_row_paths_accept_the_same_folders_and_read_them_alike(
    tables: dict[str, list[dict[str, object]]], seed: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "zone"
        fault = write_messy(tables, folder, seed)
        zone, said = row_path(folder)
        warnings: list[Problem] = []
        fast = fast_zone(folder, warnings=warnings)
    if fault and fault not in ACCEPTED:
        assert zone is None, fault
    if fast is None:
        # The fast path gives way only where the row path must judge: a refused folder, or
        # a cell running across lines (which only the row parser locates line by line).
        assert zone is None or fault == "line break"
        return
    assert zone is not None
    assert fast.to_zone().tables == zone.tables
    assert [str(w) for w in warnings] == said


def _graph_both_ways(folder: Path, tmp: Path) -> tuple[Zone, Zone]:
    fast = fast_zone(folder)
    assert fast is not None
    zone, _ = row_path(folder)
    assert zone is not None
    stores = [EmbeddedStore(tmp / "fast.lbug"), EmbeddedStore(tmp / "row.lbug")]
    try:
        stores[0].replace(fast)
        stores[1].replace(zone)
        return stores[0].read(), stores[1].read()
    finally:
        for store in stores:
            store.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zones(max_firms=20), st.integers(0, 2**32))
def test_fast_and_row_paths_write_the_same_graph(
    tables: dict[str, list[dict[str, object]]], seed: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "zone"
        fault = write_messy(tables, folder, seed)
        assume(not fault and fast_zone(folder) is not None)
        fast, row = _graph_both_ways(folder, Path(tmp))
    assert fast == row


def test_an_exported_zone_loads_back_the_fast_way(tmp_path: Path) -> None:
    export_zone(Zone(small_zone()), tmp_path / "zone")
    fast, row = _graph_both_ways(tmp_path / "zone", tmp_path)
    assert fast == row
    assert len(fast.rows("enterprises")) == 7


def test_a_load_says_its_rows_in_plain_lines(tmp_path: Path) -> None:
    export_zone(Zone(small_zone()), tmp_path / "zone")
    out = io.StringIO()
    store = EmbeddedStore(tmp_path / "db.lbug")
    try:
        report = load_path(store, tmp_path / "zone", replace=True, progress=LineProgress(out))
    finally:
        store.close()
    assert report.counts["enterprises"] == 7
    lines = out.getvalue().splitlines()
    assert not any(s.startswith("reading enterprises.csv: 7 rows") for s in lines)
    assert any(re.fullmatch(r"reading enterprises\.csv: 7 of 7 rows \(100%\).*", s) for s in lines)
    assert any(re.fullmatch(r"writing: \d+ of \d+ rows \(100%\).*", s) for s in lines)


def test_plain_lines_come_at_each_quarter_with_the_rate() -> None:
    out = io.StringIO()
    progress = LineProgress(out)
    progress("reading big")
    for done in range(0, 100_001, 10_000):
        progress.rows("checking big.csv", done, 100_000)
    lines = out.getvalue().splitlines()
    assert lines[0] == "reading big"
    assert lines[1] == "checking big.csv: 100,000 rows"
    shown = [s.split(" rows")[0] for s in lines[2:]]
    assert shown == [
        "checking big.csv: 30,000 of 100,000",
        "checking big.csv: 50,000 of 100,000",
        "checking big.csv: 80,000 of 100,000",
        "checking big.csv: 100,000 of 100,000",
    ]
    assert all(s.endswith("rows/s") for s in lines[2:])


def test_the_load_command_shows_progress_lines_without_a_terminal(tmp_path: Path) -> None:
    export_zone(Zone(small_zone()), tmp_path / "zone")
    done = zonegraph(tmp_path / "db.lbug", "load", str(tmp_path / "zone"))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert any(s.startswith("reading enterprises.csv: 7 of 7 rows (100%)") for s in lines)
    assert any(s.startswith("writing: ") and "(100%)" in s for s in lines)
    assert "\x1b[" not in done.stderr  # no terminal codes in a log


def test_a_refused_folder_lists_every_problem_located(tmp_path: Path) -> None:
    folder = tmp_path / "zone"
    export_zone(Zone(small_zone()), folder)
    firms = folder / "enterprises.csv"
    lines = firms.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("employees")] = "many"
    lines[2] = ",".join(cells)
    firms.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert fast_zone(folder) is None
    store = EmbeddedStore(tmp_path / "db.lbug")
    try:
        try:
            load_path(store, folder, replace=True)
        except ValidationFailed as exc:
            said = [str(p) for p in exc.problems]
        else:
            raise AssertionError("the folder loaded")
        assert not any(store.counts().values())
    finally:
        store.close()
    assert said == ["enterprises.csv:3: employees: 'many' is not a whole number"]


def test_other_encodings_load_the_row_path_way(tmp_path: Path) -> None:
    folder = tmp_path / "zone"
    tables = small_zone()
    tables["enterprises"][0]["name"] = "长春一汽富维"
    export_zone(Zone(tables), folder)
    for path in folder.iterdir():
        path.write_bytes(path.read_text(encoding="utf-8-sig").encode("gb18030"))
    assert fast_zone(folder) is None
    store = EmbeddedStore(tmp_path / "db.lbug")
    try:
        assert load_path(store, folder, replace=True).counts["enterprises"] == 7
        assert "长春一汽富维" in {r["name"] for r in store.read().rows("enterprises")}
    finally:
        store.close()
