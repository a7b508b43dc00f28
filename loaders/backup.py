"""Backups: the zone and its audit trail in one file, and back.

A backup is a zip archive::

    manifest.json        what made it: format, zonegraph and schema versions, UTC time,
                         backend, rows per table, audit entries
    tables/<table>.csv   each contract table, as `zonegraph export` writes it (UTF-8 with BOM)
    audit.jsonl          the audit trail, one entry per line, oldest first

The zone and the trail are read in one read transaction (``Store.read_archive``), so the
backup is one moment of the database. The archive is written beside its destination and
renamed into place, so a failed or killed backup never leaves half a file under the name; it is
readable by its owner only (``mkstemp``'s mode 0600), as it holds names and membership counts.

The tables are written raw, cell for cell as stored: a backup is for zonegraph to read back,
not a spreadsheet to open, so no cell is rewritten to defuse spreadsheet formulas (that would
change the zone a restore gives back).

A restore reads and checks the whole archive before it touches the database: a damaged or
foreign file, a count that does not match, a table the contract refuses, an entry that is
not an audit entry — each is a located problem and nothing is written. A backup from a newer
schema is refused. Then the zone is replaced and the backup's audit entries are added to the
trail (entries already stored are kept: nothing deletes an audit entry), with an entry for
the restore itself, in one write.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from graph_model.audit import AuditEntry, AuditEvent
from graph_model.errors import Problem, ValidationFailed
from graph_model.mapping import Zone
from graph_model.schema import SCHEMA_VERSION, TABLES
from graph_model.store.base import Store
from loaders.readers import cell_text, read_folder
from loaders.validate import validate

#: What ``manifest.json`` says a zonegraph backup is, and the layout's version.
KIND = "zonegraph-backup"
FORMAT = 1
MANIFEST = "manifest.json"
AUDIT = "audit.jsonl"
TABLE_DIR = "tables/"


def zonegraph_version() -> str:
    try:
        return metadata.version("zonegraph")
    except metadata.PackageNotFoundError:  # run from a source tree that was not installed
        return "unknown"


@dataclass(frozen=True)
class Manifest:
    """What a backup says about itself."""

    format: int
    zonegraph: str
    schema: int
    created_at: str
    backend: str
    counts: dict[str, int]
    audit_entries: int

    def to_json(self) -> str:
        data = {"kind": KIND, **self.__dict__}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Backup:
    """A backup as read and checked: ready to restore."""

    manifest: Manifest
    zone: Zone
    audit: list[AuditEntry]


def write_backup(store: Store, path: Path) -> Manifest:
    """Write the store's zone and audit trail to ``path`` (a zip); return its manifest."""
    zone, entries = store.read_archive()
    manifest = Manifest(
        format=FORMAT,
        zonegraph=zonegraph_version(),
        schema=SCHEMA_VERSION,
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        backend=store.dialect,
        counts={spec.name: len(zone.rows(spec.name)) for spec in TABLES},
        audit_entries=len(entries),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, manifest.to_json())
                for spec in TABLES:
                    archive.writestr(TABLE_DIR + spec.filename, _table_csv(zone, spec.name))
                archive.writestr(AUDIT, "".join(_entry_line(e) for e in entries))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


def _table_csv(zone: Zone, table: str) -> str:
    spec = next(s for s in TABLES if s.name == table)
    header = [c.name for c in spec.columns]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in zone.rows(table):
        writer.writerow([cell_text(row.get(c)) for c in header])
    return "\ufeff" + buf.getvalue()


def _entry_line(entry: AuditEntry) -> str:
    return json.dumps(entry.to_row(), ensure_ascii=False, sort_keys=True) + "\n"


# -- reading ---------------------------------------------------------------------------------
def _refuse(where: str, reason: str, line: int | None = None) -> ValidationFailed:
    return ValidationFailed([Problem(where, line, None, None, reason)])


def read_backup(path: Path) -> Backup:
    """Read and check the backup at ``path``, all of it, writing nothing.

    Raises
    ------
    ValidationFailed
        With each problem located (the file, the member, the line): not a zonegraph backup,
        damaged, from a newer zonegraph, or holding a zone the contract refuses.
    """
    where = str(path)
    if not path.is_file():
        raise _refuse(where, "does not exist" if not path.exists() else "is not a file")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _refuse(where, "is not a zonegraph backup (not a zip archive)") from None
    with archive:
        try:
            broken = archive.testzip()
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise _refuse(where, f"is damaged ({exc})") from None
        if broken is not None:
            raise _refuse(f"{where}:{broken}", "is damaged (its checksum does not match)")
        manifest = _manifest(archive, where)
        zone = _zone(archive, where, manifest)
        entries = _entries(archive, where)
    if len(entries) != manifest.audit_entries:
        raise _refuse(
            f"{where}:{AUDIT}",
            f"has {len(entries)} entries; the manifest says {manifest.audit_entries}",
        )
    return Backup(manifest, zone, entries)


def _member(archive: zipfile.ZipFile, where: str, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise _refuse(where, f"is not a zonegraph backup ({name} is missing)") from None


def _manifest(archive: zipfile.ZipFile, where: str) -> Manifest:
    at = f"{where}:{MANIFEST}"
    try:
        data = json.loads(_member(archive, where, MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(at, f"is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise _refuse(where, "is not a zonegraph backup (its manifest does not say so)")
    try:
        manifest = Manifest(
            format=int(data["format"]),
            zonegraph=str(data["zonegraph"]),
            schema=int(data["schema"]),
            created_at=str(data["created_at"]),
            backend=str(data["backend"]),
            counts={str(k): int(v) for k, v in dict(data["counts"]).items()},
            audit_entries=int(data["audit_entries"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _refuse(at, f"is damaged (field {exc} is missing or wrong)") from None
    if manifest.schema > SCHEMA_VERSION or manifest.format > FORMAT:
        newer = (
            f"schema {manifest.schema} > {SCHEMA_VERSION}"
            if manifest.schema > SCHEMA_VERSION
            else f"backup format {manifest.format} > {FORMAT}"
        )
        raise _refuse(
            where,
            f"this backup was made by a newer zonegraph ({manifest.zonegraph}, {newer}); "
            "upgrade zonegraph first",
        )
    return manifest


def _zone(archive: zipfile.ZipFile, where: str, manifest: Manifest) -> Zone:
    with tempfile.TemporaryDirectory(prefix="zonegraph-restore-") as tmp:
        folder = Path(tmp)
        for spec in TABLES:  # only the contract's names: nothing else leaves the archive
            data = _member(archive, where, TABLE_DIR + spec.filename)
            (folder / spec.filename).write_bytes(data)
        try:
            raw = read_folder(folder)
            zone, _warnings = validate(raw, required=None, where=f"{where}:{TABLE_DIR}")
        except ValidationFailed as exc:
            raise ValidationFailed([_inside(p, folder, where) for p in exc.problems]) from None
    for spec in TABLES:
        found, said = len(zone.rows(spec.name)), manifest.counts.get(spec.name, 0)
        if found != said:
            raise _refuse(
                f"{where}:{TABLE_DIR}{spec.filename}",
                f"has {found} rows; the manifest says {said} (the backup is damaged)",
            )
    return zone


def _inside(problem: Problem, folder: Path, where: str) -> Problem:
    """A problem found in an unpacked table, located in the archive instead."""
    name = Path(problem.file).name if problem.file.startswith(str(folder)) else problem.file
    if not name.startswith(where):
        name = f"{where}:{TABLE_DIR}{name}"
    return Problem(name, problem.line, problem.column, problem.value, problem.reason)


def _entries(archive: zipfile.ZipFile, where: str) -> list[AuditEntry]:
    at = f"{where}:{AUDIT}"
    try:
        text = _member(archive, where, AUDIT).decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(at, "is not UTF-8 text") from None
    entries: list[AuditEntry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row: Any = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
            entries.append(AuditEntry.from_row(row))
        except (ValueError, KeyError, TypeError) as exc:
            raise _refuse(at, f"is not an audit entry ({exc})", line=number) from None
    return entries


def restore_backup(store: Store, backup: Backup, audit: AuditEvent) -> None:
    """Replace the zone with the backup's and add its audit entries, in one write, with
    ``audit`` as the restore's own entry."""
    store.replace(backup.zone, audit=audit, history=backup.audit)
