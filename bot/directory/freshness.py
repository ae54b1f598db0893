"""Freshness: services by how long ago they were last verified (offers are counted by bot.directory.usage)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory import models as d
from bot.directory.history import ServiceUsage
from bot.directory.maintenance_search import ServiceRow, first_phones
from bot.timeutil import UK, utcnow

# Freshness buckets, by how long ago a service was last verified (assured).
FRESH, AGEING, STALE, NEVER = "under 6 months", "6 to 12 months", "over 12 months", "never verified"
BUCKETS = (FRESH, AGEING, STALE, NEVER)


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def bucket(assured: Optional[dt.date], today: dt.date) -> str:
    if assured is None:
        return NEVER
    if assured > months_before(today, 6):
        return FRESH
    if assured > months_before(today, 12):
        return AGEING
    return STALE


@dataclass
class Freshness:
    counts: dict[str, int]
    oldest_high_use: list[ServiceRow]
    total: int

    def share(self, name: str) -> int:
        return round(100 * self.counts[name] / self.total) if self.total else 0


def freshness(session: Session, today: Optional[dt.date] = None, limit: int = 20) -> Freshness:
    """Active services by age of their last verification, and the stale ones offered most often
    (then the longest unverified) first: the backlog to clear."""
    today = today or utcnow().astimezone(UK).date()
    rows = session.execute(select(d.Service.id, d.Service.name, d.Organization.name, d.Service.status,
                                  d.Service.assured_date, ServiceUsage.times_offered)
                           .outerjoin(d.Organization, d.Organization.id == d.Service.organization_id)
                           .outerjoin(ServiceUsage, ServiceUsage.service_id == d.Service.id)
                           .where(d.Service.status != "defunct")).all()
    counts = {name: 0 for name in BUCKETS}
    stale = []
    for sid, name, org, status, assured, used in rows:
        which = bucket(assured, today)
        counts[which] += 1
        if which != FRESH:
            stale.append(ServiceRow(sid, name, org, status, assured, None, used or 0))
    stale.sort(key=lambda r: (-r.times_offered, r.assured_date or dt.date.min, r.name))
    top = stale[:limit]
    phones = first_phones(session, [r.id for r in top])
    top = [ServiceRow(r.id, r.name, r.organization, r.status, r.assured_date, phones.get(r.id), r.times_offered)
           for r in top]
    return Freshness(counts, top, len(rows))


def bar_chart_svg(counts: dict[str, int], width: int = 640, bar_height: int = 36) -> str:
    """A horizontal bar chart of the freshness buckets as an accessible SVG (no script needed)."""
    colours = {FRESH: "#00703c", AGEING: "#f47738", STALE: "#d4351c", NEVER: "#505a5f"}
    label_w, pad = 170, 8
    biggest = max(counts.values(), default=0) or 1
    height = len(BUCKETS) * (bar_height + pad) + pad
    total = sum(counts.values())
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="freshness-chart-title" '
             'class="console-chart">',
             f'<title id="freshness-chart-title">Services by time since last verified, {total} in all: '
             + ", ".join(f"{name} {counts.get(name, 0)}" for name in BUCKETS) + "</title>"]
    for index, name in enumerate(BUCKETS):
        value = counts.get(name, 0)
        y = pad + index * (bar_height + pad)
        bar = int((width - label_w - 60) * value / biggest)
        parts.append(f'<text x="0" y="{y + bar_height * 0.65:.0f}" font-family="Arial, sans-serif" '
                     f'font-size="16" fill="#0b0c0c">{name.capitalize()}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(bar, 2)}" height="{bar_height}" '
                     f'fill="{colours[name]}" data-bucket="{name}" data-count="{value}"/>')
        parts.append(f'<text x="{label_w + max(bar, 2) + 6}" y="{y + bar_height * 0.65:.0f}" '
                     f'font-family="Arial, sans-serif" font-size="16" font-weight="bold" fill="#0b0c0c">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)

