"""Bulk imports from the console: an upload, its dry-run preview, then the import in the background
with progress. The import is one transaction: any error rolls it back."""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional


@dataclass
class ImportJob:
    """One upload: a dry run first (`preview`), then, if confirmed, the import in a background
    thread (`start`) reporting progress. The import is one transaction: any error rolls it back."""
    path: Path
    filename: str
    started_by: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    state: str = "uploaded"  # uploaded -> previewed -> running -> done | failed
    done: int = 0
    total: int = 0
    preview_report: Any = None
    result: Any = None
    error: Optional[str] = None
    thread: Optional[threading.Thread] = None
    remove_missing: bool = False
    skip_invalid: bool = False
    authority: Optional[str] = None  # the council (ONS code) of records that do not name one
    authority_name: Optional[str] = None

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def preview(self) -> Any:
        from bot.directory.importer import import_feed

        self.preview_report = import_feed(self.path, dry_run=True, **self._options())
        self.state = "previewed"
        return self.preview_report

    def _options(self) -> dict[str, Any]:
        return {"remove_missing": self.remove_missing, "skip_invalid": self.skip_invalid,
                "authority": self.authority, "authority_name": self.authority_name, "display_name": self.filename}

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def run(self) -> Any:
        from bot.directory.importer import import_feed
        from bot.directory.responsibility import NEED_INDEX

        self.state = "running"
        try:
            self.result = import_feed(self.path, progress=self._progress, **self._options())
        except Exception as error:  # noqa: BLE001 - import_feed reports; this is belt and braces
            self.error = f"{type(error).__name__}: {error}"
        ok = self.result is not None and self.result.written and self.result.ok
        self.state = "done" if ok else "failed"
        NEED_INDEX.reset()  # new need words work at once
        return self.result

    def start(self) -> None:
        self.state = "running"  # before the thread runs, so a status check straight away sees it
        self.thread = threading.Thread(target=self.run, name=f"directory-import-{self.id[:8]}", daemon=True)
        self.thread.start()


class ImportJobs:
    """The console process's import jobs (kept in memory: an upload lives as long as the console)."""

    def __init__(self) -> None:
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def add(self, job: ImportJob) -> ImportJob:
        with self._lock:
            self._jobs[job.id] = job
        return job

    def get(self, job_id: str) -> Optional[ImportJob]:
        with self._lock:
            return self._jobs.get(job_id)

    def running(self) -> Optional[ImportJob]:
        with self._lock:
            return next((j for j in self._jobs.values() if j.state == "running"), None)


JOBS = ImportJobs()
