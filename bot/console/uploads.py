"""Receiving a large file upload in the console: streamed to disk, never held in memory.

The console's usual request limit (2 MB) is for forms. A directory feed can be tens of megabytes,
so the import form posts to a streaming route and `receive` parses the multipart body as it
arrives (werkzeug's sans-IO MultipartDecoder), writing the file to a private temporary folder and
stopping at `max_upload_bytes()` (50 MB unless ONESTORY_UPLOAD_MAX_MB says otherwise). A file that
is too big is read to its end and thrown away, so the browser gets the page saying so rather
than a dropped connection.

The console's gate cannot check a streamed form's CSRF token before the body arrives, so `receive`
checks it here, against the signed-in user's; `Upload.csrf_ok` says whether it matched.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from bot.console import auth

UPLOAD_DIR = Path(tempfile.gettempdir()) / "onestory-directory-uploads"
FIELD_LIMIT = 64 * 1024  # the form's other fields are short
DRAIN_FACTOR = 4  # read (and discard) up to this many times the limit before giving up on a body


def max_upload_bytes() -> int:
    return int(float(os.environ.get("ONESTORY_UPLOAD_MAX_MB", "50")) * 1024 * 1024)


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    path: Optional[Path] = None  # the saved file, when one was sent and it fitted
    filename: str = ""
    size: int = 0
    too_large: bool = False
    csrf_ok: bool = False
    broken: bool = False  # not a readable multipart form

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


async def receive(request, file_field: str, suffixes: tuple[str, ...]) -> Upload:
    """Read the streamed multipart form; the one file field goes to disk (with an allowed suffix)."""
    upload = Upload()
    limit = max_upload_bytes()
    _mime, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get("boundary")
    if not boundary:
        upload.broken = True
        await _drain(request, limit * DRAIN_FACTOR)
        return upload
    decoder = MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=None)
    state: dict = {"name": None, "buffer": None, "handle": None}
    received = 0
    try:
        while True:
            chunk = await request.stream.read()
            if chunk is None:
                decoder.receive_data(None)
            else:
                received += len(chunk)
                decoder.receive_data(chunk)
            _events(decoder, upload, state, file_field, suffixes, limit)
            if chunk is None or received > limit * DRAIN_FACTOR:
                break
    except ValueError:  # werkzeug's parse errors
        upload.broken = True
    finally:
        if state["handle"] is not None:
            state["handle"].close()
    if upload.too_large or upload.broken:
        upload.discard()
    user = getattr(request.ctx, "user", None)
    upload.csrf_ok = user is not None and auth.same(upload.fields.get("csrf_token"), user.csrf)
    if not upload.csrf_ok:
        upload.discard()
    return upload


def _events(decoder: MultipartDecoder, upload: Upload, state: dict, file_field: str, suffixes: tuple[str, ...],
            limit: int) -> None:
    while True:
        event = decoder.next_event()
        if isinstance(event, NeedData | Epilogue):
            return
        if isinstance(event, File) and event.name == file_field:
            _close(upload, state)
            upload.filename = Path(event.filename or "").name
            suffix = Path(upload.filename).suffix.lower()
            state["name"], state["buffer"] = file_field, None
            if upload.filename and suffix in suffixes and upload.path is None:
                UPLOAD_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
                handle = tempfile.NamedTemporaryFile(dir=UPLOAD_DIR, suffix=suffix, delete=False)  # noqa: SIM115
                state["handle"], upload.path = handle, Path(handle.name)
        elif isinstance(event, Field | File):
            _close(upload, state)
            state["name"], state["buffer"] = event.name, bytearray()
        elif isinstance(event, Data):
            if state["buffer"] is not None:
                if len(state["buffer"]) + len(event.data) <= FIELD_LIMIT:
                    state["buffer"].extend(event.data)
                if not event.more_data:
                    upload.fields[state["name"]] = state["buffer"].decode("utf-8", "replace")
                    state["buffer"] = None
            elif state["name"] == file_field:
                upload.size += len(event.data)
                if upload.size > limit:
                    upload.too_large = True
                    _close(upload, state)
                elif state["handle"] is not None:
                    state["handle"].write(event.data)
                if not event.more_data:
                    _close(upload, state)


def _close(upload: Upload, state: dict) -> None:
    if state["handle"] is not None:
        state["handle"].close()
        state["handle"] = None


async def _drain(request, limit: int) -> None:
    read = 0
    while read <= limit:
        chunk = await request.stream.read()
        if chunk is None:
            return
        read += len(chunk)
