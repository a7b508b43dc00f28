"""One way in for every file an organizer brings, for the command line and the web alike.

:func:`prepare` reads a file and checks it — every problem located, nothing written — and
says what kind it is; :func:`preview` says what writing it would change, and :func:`commit`
writes it, in one transaction through the write path. The kinds:

* ``contract``: the contract's files, as a folder of CSV files, a zip of them, or a workbook
  whose sheets are named like the tables;
* ``ledger``: an organizer's one-sheet ledger (台账), as a workbook or a CSV file;
* ``register``: an export of the enterprise register, reconciled with the stored firms.

A zip is unpacked into a temporary folder: only ``.csv`` members at its top level or in one
folder, never a path outside that folder, and no more than :data:`MAX_UNPACKED` bytes.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from graph_model.changes import ApplyReport, ChangeSet
from graph_model.errors import Problem, ValidationFailed
from graph_model.mapping import Zone
from graph_model.store.base import Store
from loaders.readers import read_source
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
    zone: Zone | None = None
    #: ... or the changes to apply over what is stored.
    changes: ChangeSet | None = None
    warnings: list[Problem] = field(default_factory=list)
    #: Lines a person should read beside the preview (firms a ledger leaves out, say).
    notes: list[str] = field(default_factory=list)


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


def prepare(
    store: Store, path: Path, *, replace: bool = False, name: str | None = None
) -> Prepared:
    """Read and check a file: what it would write, every problem located.

    ``name`` is how messages name the file (the name an upload came with).

    Raises
    ------
    ValidationFailed
        With every problem found; nothing was written.
    """
    shown = name or path.name
    with unpacked(path) as source:
        warnings: list[Problem] = []
        raw = read_source(source, warnings=warnings)
        if replace or not any(store.counts().values()):
            zone, more = validate(raw, required=None if replace else ("enterprises",), where=shown)
            return Prepared("contract", shown, zone=zone, warnings=warnings + more)
        changes, more = change_set(raw, where=shown)
        return Prepared("contract", shown, changes=changes, warnings=warnings + more)


def preview(store: Store, prepared: Prepared) -> ApplyReport:
    """What writing ``prepared`` would change, checked against the store; nothing is written."""
    if prepared.changes is not None:
        return store.apply(prepared.changes, dry_run=True)
    assert prepared.zone is not None
    report = ApplyReport(dry_run=True)
    report.created = {t: n for t, n in prepared.zone.counts().items() if n}
    return report


def commit(store: Store, prepared: Prepared) -> ApplyReport:
    """Write ``prepared`` in one transaction: the whole zone, or the change set."""
    if prepared.changes is not None:
        return store.apply(prepared.changes)
    assert prepared.zone is not None
    store.replace(prepared.zone)
    report = ApplyReport()
    report.created = {t: n for t, n in prepared.zone.counts().items() if n}
    return report
