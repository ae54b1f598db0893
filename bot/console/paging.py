"""Long lists in the console, searched and paged (GOV.UK pagination), so a page stays short."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")
PAGE_SIZE = 20


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    pages: int
    total: int
    query: str

    def url(self, path: str, number: int) -> str:
        params = {"q": self.query} if self.query else {}
        params["page"] = str(number)
        return f"{path}?{urlencode(params)}"

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * PAGE_SIZE, self.total)


def matches(query: str, *texts: str) -> bool:
    """Every word of the query appears somewhere in the texts (case-insensitive)."""
    words = query.lower().split()
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in words)


def paged(items: Sequence[T], query: str, page: str | int | None, text: Callable[[T], str],
          size: int = PAGE_SIZE) -> Page[T]:
    """The items matching the query, cut to one page (bad page numbers fall back to the nearest)."""
    query = (query or "").strip()[:100]
    found = [item for item in items if matches(query, text(item))] if query else list(items)
    pages = max(1, -(-len(found) // size))
    try:
        number = min(max(1, int(page or 1)), pages)
    except ValueError:
        number = 1
    return Page(found[(number - 1) * size: number * size], number, pages, len(found), query)
