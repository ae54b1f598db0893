"""What the maintainers' operations need to say: who is editing, and why an operation was refused."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Editor:
    """Who is making a change: a maintainer's username, name and email (for assurer_email)."""
    username: str
    name: str = ""
    email: Optional[str] = None


class ValidationFailed(ValueError):
    """The edit was refused; `errors` maps form field names to what to fix, in form order."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class NotFound(LookupError):
    pass


class Conflict(RuntimeError):
    """Someone else saved the service since this form was opened."""
