"""Uploads kept between their check and their commit: on disk in ``upload_dir`` under a random
token, the client's file name kept only to show and for its suffix, removed after an hour."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from fastapi import Request
from starlette.requests import ClientDisconnect

from api.multipart import (
    FORM_SLACK,
    MultipartReader,
    PartData,
    PartStart,
    UploadRefused,
    boundary_of,
    limit_bytes,
    too_large,
)
from graph_model.errors import ConfigError, NotFound
from graph_model.schema import TABLE, TABLES
from graph_model.settings import Settings

#: An upload waits this long (seconds) for its commit.
TTL = 3600.0


#: A token: 32 URL-safe characters (192 random bits).
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


#: A suffix kept from the client's file name (anything else is dropped).
SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")


def display_name(given: str) -> str:
    """The client's file name, made safe to show: its last path part, no control
    characters, at most 120 characters. It never names a file on this server."""
    name = re.split(r"[/\\]", given)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[-120:] or "upload"


def suffix_of(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if SUFFIX.fullmatch(suffix) else ""


@dataclass
class Upload:
    """An upload on disk, and what is known of it: ``<token><suffix>`` in the uploads folder,
    or, for a CSV file named like a contract table, ``<token>/<table><suffix>`` (a lone CSV
    file's name says which table it holds, as ``enterprises.csv`` does for ``zonegraph
    load``; the name on disk is then the contract's own spelling of that table)."""

    token: str
    name: str
    path: Path
    size: int
    created: float
    kind: str | None = None
    whole_zone: bool | None = None
    table: str | None = None

    def meta(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "suffix": self.path.suffix,
            "table": self.table,
            "size": self.size,
            "created": self.created,
            "kind": self.kind,
            "whole_zone": self.whole_zone,
        }


#: Suffixes of a file that may be one contract table by itself.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def table_named(name: str) -> str | None:
    """The contract table a lone CSV file's name names (``企业.csv`` → ``enterprises``)."""
    path = PurePosixPath(name)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return None
    stem = path.stem.strip().lower()
    return next((t.name for t in TABLES if stem == t.name or stem in t.aliases), None)


def stored_path(folder: Path, token: str, suffix: str, table: str | None) -> Path:
    if table is not None:
        return folder / token / f"{table}{suffix}"
    return folder / f"{token}{suffix}"


class Uploads:
    """The uploads folder: each upload is its data file and a ``<token>.json`` of what is
    known of it (a commit renames that to ``<token>.claimed`` while it runs)."""

    def __init__(self, folder: Path, ttl: float = TTL) -> None:
        self.folder = folder
        self.ttl = ttl

    def _meta(self, token: str, claimed: bool = False) -> Path:
        return self.folder / f"{token}.{'claimed' if claimed else 'json'}"

    def sweep(self, now: float | None = None) -> None:
        """Remove uploads older than the TTL (a claimed one, mid-commit, after a day)."""
        if not self.folder.is_dir():
            return
        now = time.time() if now is None else now
        entries = list(self.folder.iterdir())
        claimed = {p.name[:32] for p in entries if p.name.endswith(".claimed")}
        for path in entries:
            token = path.name[:32]
            if not TOKEN.fullmatch(token):
                continue
            ttl = self.ttl * 24 if token in claimed else self.ttl
            try:
                if now - path.stat().st_mtime <= ttl:
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
            except OSError:
                continue

    async def receive(self, request: Request, settings: Settings) -> Upload:
        """Stream the request's file part into a new upload.

        Raises
        ------
        UploadRefused
            Too large (413, as soon as it is known), not a form (415), cut off or holding
            no file (400). Nothing is left on disk then.
        """
        limit = limit_bytes(settings)
        reader = MultipartReader(boundary_of(request.headers.get("content-type", "")))
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit + FORM_SLACK:
            raise too_large(settings)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if hasattr(os, "getuid") and self.folder.stat().st_uid != os.getuid():
            # A folder in a shared temporary directory that somebody else made first.
            raise ConfigError(f"the uploads folder {self.folder} belongs to another user")
        self.sweep()
        token = secrets.token_urlsafe(24)
        partial = self.folder / f"{token}.part"
        out: BinaryIO | None = None
        name: str | None = None
        writing = done = False
        size = total = 0
        try:
            async for chunk in request.stream():
                total += len(chunk)
                if total > limit + FORM_SLACK:
                    raise too_large(settings)
                for event in reader.feed(chunk):
                    if isinstance(event, PartStart):
                        given = event.params.get("filename")
                        writing = not done and given is not None and given != ""
                        if writing and out is None:
                            name = display_name(given or "")
                            out = partial.open("xb")
                    elif isinstance(event, PartData):
                        if writing and out is not None:
                            size += len(event.data)
                            if size > limit:
                                raise too_large(settings)
                            out.write(event.data)
                    elif writing:
                        writing, done = False, True
            if not reader.complete:
                raise UploadRefused(400, "BadUpload", "imp.cut_off")
            if name is None or out is None:
                raise UploadRefused(400, "NoFile", "imp.no_file")
            out.close()
            table = table_named(name)
            path = stored_path(self.folder, token, suffix_of(name), table)
            if table is not None:
                path.parent.mkdir(mode=0o700)
            partial.rename(path)
        except ClientDisconnect:
            self._abandon(out, partial, token)
            raise UploadRefused(400, "BadUpload", "imp.cut_off") from None
        except BaseException:
            self._abandon(out, partial, token)
            raise
        upload = Upload(token, name, path, size, time.time(), table=table)
        self.save(upload)
        return upload

    def _abandon(self, out: BinaryIO | None, partial: Path, token: str) -> None:
        """Leave nothing of an upload that was not taken."""
        if out is not None:
            out.close()
        partial.unlink(missing_ok=True)
        shutil.rmtree(self.folder / token, ignore_errors=True)

    def save(self, upload: Upload, *, claimed: bool = False) -> None:
        meta = self._meta(upload.token, claimed)
        meta.write_text(json.dumps(upload.meta(), ensure_ascii=False), encoding="utf-8")

    def _load(self, token: str, meta: Path) -> Upload:
        gone = NotFound(f"no upload {token!r}: it expired (after an hour) or was handled")
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            suffix = str(data.get("suffix") or "")
            suffix = suffix if SUFFIX.fullmatch(suffix) else ""
            table = data.get("table")
            table = table if table in TABLE else None
            upload = Upload(
                token,
                str(data["name"]),
                stored_path(self.folder, token, suffix, table),
                int(data["size"]),
                float(data["created"]),
                data.get("kind"),
                data.get("whole_zone"),
                table,
            )
        except (OSError, ValueError, KeyError, TypeError):
            raise gone from None
        if time.time() - upload.created > self.ttl or not upload.path.is_file():
            self.remove(upload)
            raise gone
        return upload

    def find(self, token: str) -> Upload:
        """The upload with this token; NotFound when there is none, or it expired."""
        if not TOKEN.fullmatch(token):
            raise NotFound(f"no upload {token!r}")
        return self._load(token, self._meta(token))

    def claim(self, token: str) -> Upload:
        """Take the upload for a commit: a second claim of it finds nothing (NotFound)."""
        if not TOKEN.fullmatch(token):
            raise NotFound(f"no upload {token!r}")
        try:
            os.rename(self._meta(token), self._meta(token, claimed=True))
        except OSError:
            raise NotFound(f"no upload {token!r}: it expired or was handled") from None
        return self._load(token, self._meta(token, claimed=True))

    def release(self, upload: Upload) -> None:
        """Give a claimed upload back (its commit did not happen)."""
        self.save(upload, claimed=True)
        os.replace(self._meta(upload.token, claimed=True), self._meta(upload.token))

    def remove(self, upload: Upload) -> None:
        for path in (upload.path, self._meta(upload.token), self._meta(upload.token, True)):
            path.unlink(missing_ok=True)
        if upload.table is not None:
            shutil.rmtree(self.folder / upload.token, ignore_errors=True)


def uploads_for(settings: Settings) -> Uploads:
    return Uploads(settings.upload_dir)
