"""One way in for every file an organizer brings, for the command line and the web alike.

:func:`prepare` reads a file and checks it — every problem located, nothing written — and
says what kind it is; :func:`preview` says what writing it would change, and :func:`commit`
writes it, in one transaction through the write path. The kinds:

* ``contract``: the contract's files, as a folder of CSV files, a zip of them, or a workbook
  whose sheets are named like the tables;
* ``ledger``: an organizer's one-sheet ledger (台账), as a workbook or a CSV file
  (:mod:`loaders.ledger_read`, :mod:`loaders.ledger_graph`);
* ``register``: an export of the enterprise register, reconciled with the stored firms
  (:mod:`loaders.reconcile`).

A zip is unpacked into a temporary folder: only ``.csv`` members at its top level or in one
folder, never a path outside that folder, and no more than :data:`MAX_UNPACKED` bytes.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from graph_model.arrow_zone import ArrowZone
from graph_model.audit import AuditEvent
from graph_model.changes import ApplyReport, ChangeSet
from graph_model.errors import Problem, ValidationFailed
from graph_model.mapping import Zone
from graph_model.progress import Progress, quiet
from graph_model.store.base import Store
from graph_model.store.embedded import EmbeddedStore
from graph_model.store.statements import read_table
from loaders.columnar import fast_zone
from loaders.ledger_graph import ledger_changes, ledger_zone, missing_firms
from loaders.ledger_read import LedgerMapping, looks_like_ledger, read_ledger
from loaders.readers import RawTable, is_table_name, open_workbook, raw_from_rows, read_source
from loaders.reconcile import reconcile
from loaders.register_read import column_of, read_register
from loaders.validate import change_set, validate

Kind = Literal["contract", "ledger", "register"]

#: The most a zip may unpack to (bytes): a zip bomb is refused, not unpacked.
MAX_UNPACKED = 512 << 20


@dataclass
class Prepared:
    """A checked file, ready to preview or write: a whole zone, or a change set."""

    kind: Kind
    source: str
    #: The whole zone (``--replace``, or the first load into an empty store) ...
    zone: Zone | ArrowZone | None = None
    #: ... or the changes to apply over what is stored.
    changes: ChangeSet | None = None
    warnings: list[Problem] = field(default_factory=list)
    #: Lines a person should read beside the preview (firms a ledger leaves out, say).
    notes: list[str] = field(default_factory=list)
    #: A register's report: one row per change found (see :mod:`loaders.reconcile`).
    rows: list[dict[str, object]] = field(default_factory=list)


def _refuse(source: str, reason: str) -> ValidationFailed:
    return ValidationFailed([Problem(source, None, None, None, reason)])


@contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """A zip of contract CSV files, unpacked into a temporary folder for the length of a
    ``with``; a path that is not a zip is given back as it is."""
    if path.suffix.lower() != ".zip":
        yield path
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise _refuse(path.name, "is not a readable .zip file") from exc
    with archive, tempfile.TemporaryDirectory(prefix="zonegraph-zip-") as tmp:
        members = [m for m in archive.infolist() if not m.is_dir()]
        csvs = [m for m in members if m.filename.lower().endswith(".csv")]
        folders = {PurePosixPath(m.filename).parent for m in csvs}
        if not csvs:
            raise _refuse(path.name, "holds no .csv file")
        if len(folders) > 1:
            names = ", ".join(sorted(str(f) for f in folders))
            raise _refuse(path.name, f"holds CSV files in several folders ({names}); zip one zone")
        if sum(m.file_size for m in csvs) > MAX_UNPACKED:
            raise _refuse(path.name, f"unpacks to more than {MAX_UNPACKED >> 20} MB")
        out = Path(tmp)
        for member in csvs:
            name = PurePosixPath(member.filename).name
            if name.startswith(".") or "/" in name or "\\" in name or not name:
                continue
            with archive.open(member) as src, (out / name).open("wb") as dst:
                dst.write(src.read(MAX_UNPACKED + 1))
        yield out


def plan_raw(
    store: Store,
    raw: dict[str, RawTable],
    *,
    replace: bool = False,
    where: str = "",
    warnings: list[Problem] | None = None,
    progress: Progress = quiet,
) -> Prepared:
    """Contract tables as read, checked: a whole zone (``replace``, or a first load into an
    empty store) or a change set over what is stored.

    A replace needs every required file (a file left out would empty its table); a zone may
    start with its firms only.
    """
    before = list(warnings or [])
    if replace or not any(store.counts().values()):
        required = None if replace else ("enterprises",)
        zone, more = validate(raw, required=required, where=where, progress=progress)
        return Prepared("contract", where, zone=zone, warnings=before + more)
    changes, more = change_set(raw, where=where)
    return Prepared("contract", where, changes=changes, warnings=before + more)


def plan_folder(
    store: Store,
    folder: Path,
    *,
    replace: bool = False,
    where: str = "",
    progress: Progress = quiet,
) -> Prepared | None:
    """A folder of contract CSV files as a whole zone read columnar (:mod:`loaders.columnar`),
    when the load is a whole zone (``replace``, or the first into an empty store) and the
    fast path can vouch for every file; ``None`` when the row path must read it."""
    if not folder.is_dir() or not (replace or not any(store.counts().values())):
        return None
    warnings: list[Problem] = []
    required = None if replace else ("enterprises",)
    zone = fast_zone(folder, required=required, warnings=warnings, progress=progress)
    if zone is None:
        return None
    return Prepared("contract", where, zone=zone, warnings=warnings)


def detect(path: Path, name: str | None = None) -> Kind:
    """What kind of file ``path`` is: the contract's tables, a ledger, or a register export.

    A folder, a zip, a workbook with a sheet named like a table, or a CSV file named like a
    table is the contract; of the rest, a file whose header reads as a ledger with party
    columns is a ledger, one whose header names a column only a register has (登记状态,
    法定代表人, 注册资本 …) is a register export, and any other is read as a ledger (a list of
    firms only is one; the ledger reader says what it cannot find).
    """
    shown = Path(name or path.name)  # an upload is stored under a name of its own
    suffix = shown.suffix.lower()
    if path.is_dir() or suffix == ".zip" or suffix not in (".xlsx", ".csv", ".tsv", ".txt"):
        return "contract"
    if suffix == ".xlsx":
        with open_workbook(path) as book:
            if any(is_table_name(sheet.title) for sheet in book.worksheets):
                return "contract"
    elif is_table_name(shown.stem):
        return "contract"
    if looks_like_ledger(path):
        return "ledger"
    return "register" if _is_register(path) else "ledger"


#: Columns only a register export has (a ledger may list firms with no party column).
_REGISTER_ONLY = frozenset(("reg_status", "legal_rep", "capital", "founded", "address"))


def _is_register(path: Path) -> bool:
    """Whether the file reads as a register export: a header naming a register-only column."""
    try:
        table = read_register(path)
    except ValidationFailed:
        return False
    return any(column_of(cell)[0] in _REGISTER_ONLY for cell in table.header if cell.strip())


@contextmanager
def _one_table(path: Path, name: str) -> Iterator[Path]:
    """A contract CSV file given by itself, as a folder holding just it (under ``name``)."""
    with tempfile.TemporaryDirectory(prefix="zonegraph-file-") as tmp:
        shutil.copyfile(path, Path(tmp) / Path(name).name)
        yield Path(tmp)


def prepare(
    store: Store,
    path: Path,
    *,
    replace: bool = False,
    name: str | None = None,
    mapping: LedgerMapping | None = None,
    sheet: str | None = None,
    updates: Collection[str] = (),
    kinds: Collection[Kind] = ("contract", "ledger", "register"),
    progress: Progress = quiet,
) -> Prepared:
    """Read and check a file of any kind: what it would write, every problem located.

    ``name`` is how messages name the file (the name an upload came with). ``mapping`` and
    ``sheet`` say how to read a ledger; ``updates`` are the organizers' fields a register
    may overwrite (see :func:`loaders.reconcile.reconcile`). ``kinds`` are the kinds the
    caller takes: a file that would read as a register is read as a ledger when registers
    are not among them (``zonegraph load`` loads; ``zonegraph reconcile`` reconciles).
    ``progress`` is told how reading and checking a whole zone's CSV files goes.

    Raises
    ------
    ValidationFailed
        With every problem found; nothing was written.
    """
    shown = name or path.name
    with _named(path, shown) as named:
        kind = "ledger" if mapping is not None else detect(named)
        if kind not in kinds:
            kind = "ledger"
        if kind == "ledger":
            return _prepare_ledger(
                store, named, replace=replace, mapping=mapping, sheet=sheet, progress=progress
            )
        if kind == "register":
            return _prepare_register(store, named, updates=updates)
        single = named.is_file() and named.suffix.lower() in (".csv", ".tsv", ".txt")
        with _one_table(named, shown) if single else unpacked(named) as source:
            fast = plan_folder(store, source, replace=replace, where=shown, progress=progress)
            if fast is not None:
                return fast
            progress(f"reading {shown}")
            warnings: list[Problem] = []
            raw = read_source(source, warnings=warnings)
            return plan_raw(
                store, raw, replace=replace, where=shown, warnings=warnings, progress=progress
            )


@contextmanager
def _named(path: Path, name: str) -> Iterator[Path]:
    """``path`` under the name its messages should give (an upload is stored under a token
    of its own): a link in a temporary folder, or the path itself when the names agree."""
    wanted = re.sub(r"[\\/\x00]", "_", Path(name).name) or path.name
    if wanted == path.name or not path.exists():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="zonegraph-named-") as tmp:
        link = Path(tmp) / wanted
        link.symlink_to(path.resolve(), target_is_directory=path.is_dir())
        yield link


def _prepare_ledger(
    store: Store,
    path: Path,
    *,
    replace: bool,
    mapping: LedgerMapping | None,
    sheet: str | None,
    progress: Progress,
) -> Prepared:
    progress(f"reading the ledger {path.name}")
    ledger = read_ledger(path, mapping=mapping, sheet=sheet)
    if replace:
        zone, warnings = ledger_zone(ledger)
        validate(raw_from_rows(zone.tables, ledger.source), progress=progress)
        return Prepared("ledger", ledger.source, zone=zone, warnings=ledger.warnings + warnings)
    empty = not any(store.counts().values())
    result = ledger_changes(ledger, None if empty else store.run)
    notes = []
    if not empty:
        missing = missing_firms(store.run, result.firms)
        if missing:
            shown = "、".join(f"{r['name']}（{r['id']}）" for r in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            notes.append(
                f"{len(missing)} operating firm(s) stored are not in this ledger: {shown}{more}. "
                "They are kept as they are (load with --replace to make the ledger the whole "
                "zone)."
            )
    return Prepared(
        "ledger",
        ledger.source,
        changes=result.changes,
        warnings=ledger.warnings + result.warnings,
        notes=notes,
    )


def _prepare_register(store: Store, path: Path, *, updates: Collection[str]) -> Prepared:
    register = read_register(path)
    firms = read_table(store.run, "enterprises")
    result = reconcile(register, Zone({"enterprises": firms}), updates=updates)
    return Prepared(
        "register",
        register.source,
        changes=result.changes,
        warnings=result.warnings,
        notes=result.notes,
        rows=result.rows,
    )


def commit(
    store: Store,
    prepared: Prepared,
    *,
    dry_run: bool = False,
    audit: AuditEvent | None = None,
    progress: Progress = quiet,
) -> ApplyReport:
    """Write ``prepared`` in one transaction — the whole zone, or the change set — with its
    audit entry, or, with ``dry_run``, say what writing it would change and write nothing."""
    if prepared.changes is not None:
        return store.apply(prepared.changes, dry_run=dry_run, audit=audit)
    zone = prepared.zone
    assert zone is not None
    if not dry_run:
        if isinstance(store, EmbeddedStore):
            store.replace(zone, audit=audit, progress=progress)
        else:
            store.replace(zone.to_zone() if isinstance(zone, ArrowZone) else zone, audit=audit)
    report = ApplyReport(dry_run=dry_run)
    report.created = {t: n for t, n in zone.counts().items() if n}
    return report


def preview(store: Store, prepared: Prepared) -> ApplyReport:
    """What writing ``prepared`` would change, checked against the store; nothing is written."""
    return commit(store, prepared, dry_run=True)
