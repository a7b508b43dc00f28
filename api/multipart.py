"""Reading ``multipart/form-data`` as it streams: parts, their headers, and a size limit that
refuses an upload at the chunk that passes it (never after reading it whole)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from api.i18n import Translator
from graph_model.settings import Settings

#: What a multipart body may hold beyond the file itself (boundaries, part headers).
FORM_SLACK = 64 << 10


#: The most one part's headers may hold.
MAX_PART_HEADERS = 16 << 10


class UploadRefused(Exception):
    """An upload that is not taken: too large, not a form, cut off, or holding no file.

    ``key`` names its message in :mod:`api.i18n` (the API answers in the request's
    language, Chinese unless asked otherwise)."""

    def __init__(self, status_code: int, error: str, key: str, **values: object) -> None:
        super().__init__(key)
        self.status_code = status_code
        self.error = error
        self.key = key
        self.values = values

    def message(self, t: Translator) -> str:
        return t(self.key, **self.values)


def too_large(settings: Settings) -> UploadRefused:
    return UploadRefused(413, "PayloadTooLarge", "imp.too_large", mb=f"{settings.upload_max_mb:g}")


def limit_bytes(settings: Settings) -> int:
    return int(settings.upload_max_mb * (1 << 20))


@dataclass
class PartStart:
    """A part begins: its Content-Disposition parameters (``name``, ``filename``)."""

    params: dict[str, str]


@dataclass
class PartData:
    data: bytes


@dataclass
class PartEnd:
    pass


_PARAM = re.compile(r';\s*([\w*.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def disposition(headers: bytes) -> dict[str, str]:
    """A part's Content-Disposition parameters, lower-cased names (``filename*`` decoded)."""
    params: dict[str, str] = {}
    for line in headers.split(b"\r\n"):
        name, _, value = line.decode("utf-8", errors="replace").partition(":")
        if name.strip().lower() != "content-disposition":
            continue
        for key, raw in _PARAM.findall(value):
            text = raw.strip()
            if text.startswith('"') and text.endswith('"') and len(text) >= 2:
                text = re.sub(r"\\(.)", r"\1", text[1:-1])
            params[key.lower()] = text
    extended = params.get("filename*")
    if extended:
        charset, _, rest = extended.partition("'")
        encoded = rest.partition("'")[2]
        try:
            params["filename"] = unquote(encoded, encoding=charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset
            params["filename"] = unquote(encoded, errors="replace")
    return params


class MultipartReader:
    """Reads ``multipart/form-data`` as it arrives: :meth:`feed` takes a chunk and gives the
    events it completes. At most one chunk and one delimiter are held at a time."""

    def __init__(self, boundary: bytes) -> None:
        self.delimiter = b"\r\n--" + boundary
        # The body's first delimiter has no line break before it: lend it one.
        self.buffer = bytearray(b"\r\n")
        self.state = "preamble"

    @property
    def complete(self) -> bool:
        return self.state == "end"

    def feed(self, chunk: bytes) -> Iterator[Event]:
        self.buffer += chunk
        keep = len(self.delimiter) - 1
        while True:
            if self.state == "preamble":
                at = self.buffer.find(self.delimiter)
                if at < 0:
                    del self.buffer[: max(len(self.buffer) - keep, 0)]
                    return
                del self.buffer[: at + len(self.delimiter)]
                self.state = "boundary"
            elif self.state == "boundary":
                if len(self.buffer) < 2:
                    return
                if self.buffer.startswith(b"--"):
                    self.state = "end"
                elif self.buffer.startswith(b"\r\n"):
                    del self.buffer[:2]
                    self.state = "headers"
                else:
                    raise UploadRefused(400, "BadUpload", "imp.bad_upload")
            elif self.state == "headers":
                if self.buffer.startswith(b"\r\n"):
                    head, skip = b"", 2
                else:
                    at = self.buffer.find(b"\r\n\r\n")
                    if at < 0:
                        if len(self.buffer) > MAX_PART_HEADERS:
                            raise UploadRefused(400, "BadUpload", "imp.bad_upload")
                        return
                    head, skip = bytes(self.buffer[:at]), at + 4
                del self.buffer[:skip]
                yield PartStart(disposition(head))
                self.state = "data"
            elif self.state == "data":
                at = self.buffer.find(self.delimiter)
                if at < 0:
                    safe = len(self.buffer) - keep
                    if safe > 0:
                        yield PartData(bytes(self.buffer[:safe]))
                        del self.buffer[:safe]
                    return
                if at:
                    yield PartData(bytes(self.buffer[:at]))
                del self.buffer[: at + len(self.delimiter)]
                yield PartEnd()
                self.state = "boundary"
            else:  # the epilogue after the last delimiter is ignored
                self.buffer.clear()
                return


def boundary_of(content_type: str) -> bytes:
    """The boundary of a ``multipart/form-data`` body; UploadRefused (415) for anything else."""
    kind, _, rest = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise UploadRefused(415, "UnsupportedMediaType", "imp.bad_upload")
    params = {str(k).lower(): str(v).strip().strip('"') for k, v in _PARAM.findall(";" + rest)}
    boundary = params.get("boundary", "")
    if not 1 <= len(boundary) <= 70:
        raise UploadRefused(400, "BadUpload", "imp.bad_upload")
    return boundary.encode("latin-1", errors="replace")


Event = PartStart | PartData | PartEnd
