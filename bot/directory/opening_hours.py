"""Is a service open now, when does it next open, and how to say so.

Works on HSDS 3.0 `schedules` rows (plain dicts, as read from schedules.csv or the database),
in Europe/London wall-clock time, so 9am means 9am in both GMT and BST.

Conventions for schedule rows (shared with the directory data and its maintainers):

* Weekly hours: ``freq=WEEKLY``, ``byday="MO,TU,WE,TH,FR"``, ``opens_at="09:00"``,
  ``closes_at="17:00"``. Several rows combine (e.g. a late night on Thursdays). ``interval=2``
  with ``dtstart`` means fortnightly. ``valid_from``/``valid_to`` and ``dtstart``/``until``
  bound the dates a row applies to. Times are local (Europe/London); any "Z" or UTC offset
  suffix on a time is ignored, because the HSDS numeric ``timezone`` can't describe BST.
* Monthly: ``freq=MONTHLY`` with ``byday="2MO"`` (second Monday) or ``"-1FR"`` (last Friday),
  or ``bymonthday="1,15"``.
* Overnight: ``closes_at`` earlier than ``opens_at`` runs into the next morning
  (``17:00``-``09:00``). ``closes_at`` of ``23:59`` (or ``24:00``/``00:00``) means midnight.
* 24 hours: ``opens_at=00:00``, ``closes_at=23:59`` on every day, or a row whose description
  says "24 hours" / "24/7" with no times.
* Closed on bank holidays (England and Wales): any row with ``closed:bank-holidays`` in
  ``notes`` or "closed on bank holidays" in ``description`` closes the whole service on those
  days. A row with ``bank-holidays-only`` in ``notes`` applies only on bank holidays (e.g. a
  pharmacy's bank holiday hours).
* Closed on particular dates: a row with no ``freq`` and no ``opens_at``, and
  ``valid_from``/``valid_to`` (one date or a range) means closed all day on those dates.
* Special hours on particular dates: a row with no ``freq`` but with ``opens_at``/``closes_at``
  and ``valid_from``/``valid_to`` replaces the usual hours on those dates.

`count` (iCal) is not used: give ``until`` instead.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# England and Wales bank holidays, as published by gov.uk (www.gov.uk/bank-holidays).
# "(substitute day)" marks a weekday given in place of a holiday falling at the weekend.
# 2028 follows the standing rules (Banking and Financial Dealings Act 1971 and royal
# proclamation); check it against gov.uk when gov.uk publishes 2028, and add any one-off
# holidays (as in 2022 and 2023) when they are proclaimed.
BANK_HOLIDAYS: dict[dt.date, str] = {
    dt.date(2024, 1, 1): "New Year's Day",
    dt.date(2024, 3, 29): "Good Friday",
    dt.date(2024, 4, 1): "Easter Monday",
    dt.date(2024, 5, 6): "Early May bank holiday",
    dt.date(2024, 5, 27): "Spring bank holiday",
    dt.date(2024, 8, 26): "Summer bank holiday",
    dt.date(2024, 12, 25): "Christmas Day",
    dt.date(2024, 12, 26): "Boxing Day",
    dt.date(2025, 1, 1): "New Year's Day",
    dt.date(2025, 4, 18): "Good Friday",
    dt.date(2025, 4, 21): "Easter Monday",
    dt.date(2025, 5, 5): "Early May bank holiday",
    dt.date(2025, 5, 26): "Spring bank holiday",
    dt.date(2025, 8, 25): "Summer bank holiday",
    dt.date(2025, 12, 25): "Christmas Day",
    dt.date(2025, 12, 26): "Boxing Day",
    dt.date(2026, 1, 1): "New Year's Day",
    dt.date(2026, 4, 3): "Good Friday",
    dt.date(2026, 4, 6): "Easter Monday",
    dt.date(2026, 5, 4): "Early May bank holiday",
    dt.date(2026, 5, 25): "Spring bank holiday",
    dt.date(2026, 8, 31): "Summer bank holiday",
    dt.date(2026, 12, 25): "Christmas Day",
    dt.date(2026, 12, 28): "Boxing Day (substitute day)",
    dt.date(2027, 1, 1): "New Year's Day",
    dt.date(2027, 3, 26): "Good Friday",
    dt.date(2027, 3, 29): "Easter Monday",
    dt.date(2027, 5, 3): "Early May bank holiday",
    dt.date(2027, 5, 31): "Spring bank holiday",
    dt.date(2027, 8, 30): "Summer bank holiday",
    dt.date(2027, 12, 27): "Christmas Day (substitute day)",
    dt.date(2027, 12, 28): "Boxing Day (substitute day)",
    dt.date(2028, 1, 3): "New Year's Day (substitute day)",
    dt.date(2028, 4, 14): "Good Friday",
    dt.date(2028, 4, 17): "Easter Monday",
    dt.date(2028, 5, 1): "Early May bank holiday",
    dt.date(2028, 5, 29): "Spring bank holiday",
    dt.date(2028, 8, 28): "Summer bank holiday",
    dt.date(2028, 12, 25): "Christmas Day",
    dt.date(2028, 12, 26): "Boxing Day",
}
SUBSTITUTE_DAYS: frozenset[dt.date] = frozenset(d for d, n in BANK_HOLIDAYS.items() if "substitute" in n)
BANK_HOLIDAY_YEARS = range(2024, 2029)

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_BYDAY_RE = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")
_CLOSED_BH_RE = re.compile(r"closed\s+on\s+(all\s+)?(bank|public)\s+holidays?", re.I)
_H24_RE = re.compile(r"\b24\s*(hours|hrs|/\s*7)\b|\bopen all day every day\b", re.I)
_HORIZON_DAYS = 400  # far enough for monthly schedules and a long closure


def is_bank_holiday(day: dt.date) -> bool:
    return day in BANK_HOLIDAYS


@dataclass(frozen=True)
class Session:
    """One continuous opening, as aware Europe/London datetimes; `end` is exclusive."""

    start: dt.datetime
    end: dt.datetime


# --- Reading rows -----------------------------------------------------------------------


def _text(row: Mapping, key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _time(value: object) -> dt.time | None:
    """'09:00', '9:00:00', '09:00Z', '09:00+01:00' -> 09:00 local. '24:00' -> None marker via caller."""
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    text = "" if value is None else str(value).strip()
    m = re.match(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour == 24 and minute == 0:
        return dt.time(0, 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _closes_at_midnight(value: object) -> bool:
    text = "" if value is None else str(value).strip()
    return bool(re.match(r"^(23:59|24:00|00:00)", text))


@dataclass(frozen=True)
class _Row:
    kind: str  # "weekly" | "monthly" | "dated_open" | "dated_closed" | "flag"
    opens: dt.time | None
    closes: dt.time | None
    closes_midnight: bool
    all_day: bool
    days: tuple[tuple[int | None, int], ...]  # (nth or None, weekday 0=Mon)
    monthdays: tuple[int, ...]
    start: dt.date | None
    end: dt.date | None
    interval: int
    anchor: dt.date | None
    bank_holidays_only: bool

    def in_range(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def occurs(self, day: dt.date) -> bool:
        if not self.in_range(day):
            return False
        if self.kind in ("dated_open", "dated_closed"):
            return True
        if self.kind == "weekly":
            if self.days and day.weekday() not in {wd for _, wd in self.days}:
                return False
            if self.interval > 1 and self.anchor is not None:
                anchor_week = self.anchor - dt.timedelta(days=self.anchor.weekday())
                week = day - dt.timedelta(days=day.weekday())
                return ((week - anchor_week).days // 7) % self.interval == 0
            return True
        if self.kind == "monthly":
            if self.monthdays:
                last = _month_length(day)
                return any(day.day == (d if d > 0 else last + d + 1) for d in self.monthdays)
            for nth, wd in self.days:
                if day.weekday() != wd:
                    continue
                if nth is None:
                    return True
                if nth > 0 and (day.day - 1) // 7 + 1 == nth:
                    return True
                if nth < 0 and (_month_length(day) - day.day) // 7 + 1 == -nth:
                    return True
            return False
        return False

    def session(self, day: dt.date) -> Session | None:
        if self.all_day:
            start_t, end_day, end_t = dt.time(0, 0), day + dt.timedelta(days=1), dt.time(0, 0)
        else:
            if self.opens is None:
                return None
            start_t = self.opens
            if self.closes_midnight:
                end_day, end_t = day + dt.timedelta(days=1), dt.time(0, 0)
            elif self.closes is None:
                return None
            elif self.closes > self.opens:
                end_day, end_t = day, self.closes
            else:  # runs overnight into the next day
                end_day, end_t = day + dt.timedelta(days=1), self.closes
        start = dt.datetime.combine(day, start_t, tzinfo=LONDON)
        end = dt.datetime.combine(end_day, end_t, tzinfo=LONDON)
        if end <= start:
            return None
        return Session(start, end)


def _month_length(day: dt.date) -> int:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (nxt - dt.timedelta(days=1)).day


def _parse_days(byday: str) -> tuple[tuple[int | None, int], ...]:
    out = []
    for part in re.split(r"[,\s]+", byday.upper()):
        if not part:
            continue
        m = _BYDAY_RE.match(part)
        if m:
            out.append((int(m.group(1)) if m.group(1) else None, _DAYS.index(m.group(2))))
    return tuple(out)


def _parse_row(row: Mapping) -> _Row | None:
    freq = _text(row, "freq").upper()
    notes, description = _text(row, "notes").lower(), _text(row, "description")
    opens_raw, closes_raw = _text(row, "opens_at"), _text(row, "closes_at")
    opens, closes = _time(opens_raw), _time(closes_raw)
    midnight = _closes_at_midnight(closes_raw) and opens is not None
    all_day = (opens == dt.time(0, 0) and midnight) or (not opens_raw and not closes_raw
                                                       and bool(_H24_RE.search(description)))
    start = _date(row.get("valid_from")) or _date(row.get("dtstart"))
    end = _date(row.get("valid_to")) or _date(row.get("until"))
    if row.get("valid_from") and row.get("dtstart"):
        start = max(_date(row.get("valid_from")) or dt.date.min, _date(row.get("dtstart")) or dt.date.min)
    if row.get("valid_to") and row.get("until"):
        end = min(_date(row.get("valid_to")) or dt.date.max, _date(row.get("until")) or dt.date.max)
    try:
        interval = max(1, int(float(_text(row, "interval") or 1)))
    except ValueError:
        interval = 1
    days = _parse_days(_text(row, "byday"))
    monthdays = tuple(int(x) for x in re.findall(r"-?\d+", _text(row, "bymonthday")))
    bh_only = "bank-holidays-only" in notes or "only:bank-holidays" in notes
    common = dict(opens=opens, closes=closes, closes_midnight=midnight, all_day=all_day, days=days,
                  monthdays=monthdays, start=start, end=end, interval=interval,
                  anchor=_date(row.get("dtstart")), bank_holidays_only=bh_only)
    if freq == "WEEKLY":
        return _Row(kind="weekly", **common)
    if freq == "MONTHLY":
        return _Row(kind="monthly", **common)
    if freq:
        return None  # DAILY/YEARLY etc. are not used in this directory
    if start is not None and (opens is not None or all_day):
        return _Row(kind="dated_open", **{**common, "end": end or start})
    if start is not None:
        return _Row(kind="dated_closed", **{**common, "end": end or start})
    if all_day:  # "24 hours" with no freq: every day
        return _Row(kind="weekly", **common)
    return _Row(kind="flag", **common)


class Schedule:
    """All the schedule rows of one service (or location), ready to answer questions."""

    def __init__(self, rows: Iterable[Mapping]):
        rows = list(rows)
        parsed = [_parse_row(r) for r in rows]
        self.rows = [p for p in parsed if p is not None]
        self.closed_on_bank_holidays = any(
            "closed:bank-holidays" in _text(r, "notes").lower()
            or _CLOSED_BH_RE.search(_text(r, "description"))
            for r in rows
        )

    @property
    def known(self) -> bool:
        return any(r.kind in ("weekly", "monthly", "dated_open") for r in self.rows)

    def sessions_on(self, day: dt.date) -> list[Session]:
        """Sessions that start on this local date, earliest first."""
        special = [r for r in self.rows if r.kind == "dated_open" and r.occurs(day)]
        if special:
            chosen = special
        elif any(r.kind == "dated_closed" and r.occurs(day) for r in self.rows):
            return []
        else:
            holiday = is_bank_holiday(day)
            chosen = [
                r for r in self.rows
                if r.kind in ("weekly", "monthly") and r.occurs(day)
                and (holiday if r.bank_holidays_only else not (holiday and self.closed_on_bank_holidays))
            ]
        sessions = [s for s in (r.session(day) for r in chosen) if s is not None]
        return sorted(sessions, key=lambda s: (s.start, s.end))

    def current(self, at: dt.datetime) -> Session | None:
        """The session `at` falls in (merged with any that continue it), or None when closed."""
        at = _local(at)
        hit = None
        for day in (at.date() - dt.timedelta(days=1), at.date()):
            for s in self.sessions_on(day):
                if s.start <= at < s.end and (hit is None or s.end > hit.end):
                    hit = s
        if hit is None:
            return None
        return self._extend(hit)

    def _extend(self, session: Session, max_days: int = 8) -> Session:
        """Join sessions that start before (or as) this one ends, up to `max_days` ahead."""
        start, end = session.start, session.end
        limit = start + dt.timedelta(days=max_days)
        while end < limit:
            later = [s for d in (end.date() - dt.timedelta(days=1), end.date())
                     for s in self.sessions_on(d) if s.start <= end < s.end]
            if not later:
                break
            end = max(s.end for s in later)
        return Session(start, end)

    def next_start(self, at: dt.datetime) -> dt.datetime | None:
        at = _local(at)
        for offset in range(-1, _HORIZON_DAYS):
            for s in self.sessions_on(at.date() + dt.timedelta(days=offset)):
                if s.start > at:
                    return s.start
        return None


def _local(at: dt.datetime) -> dt.datetime:
    """Aware datetimes are converted to London time; naive ones are taken as London wall-clock."""
    if at.tzinfo is None:
        return at.replace(tzinfo=LONDON)
    return at.astimezone(LONDON)


def _schedule(schedules: Schedule | Sequence[Mapping]) -> Schedule:
    return schedules if isinstance(schedules, Schedule) else Schedule(schedules)


# --- Public API -----------------------------------------------------------------------------


def is_open(schedules: Schedule | Sequence[Mapping], at: dt.datetime) -> bool:
    """Whether the service is open at `at` (aware, or naive = London local time)."""
    return _schedule(schedules).current(at) is not None


def next_open(schedules: Schedule | Sequence[Mapping], at: dt.datetime) -> dt.datetime | None:
    """When the service is next open: `at` itself (in London time) if open now, else the start of
    the next opening; None when no opening is known in the next ~13 months."""
    sched = _schedule(schedules)
    if sched.current(at) is not None:
        return _local(at)
    return sched.next_start(at)


def open_until(schedules: Schedule | Sequence[Mapping], at: dt.datetime) -> dt.datetime | None:
    """When the current opening ends (London time), or None if closed now or open all week."""
    sched = _schedule(schedules)
    current = sched.current(at)
    if current is None or current.end - _local(at) >= dt.timedelta(days=7):
        return None
    return current.end


def is_24_7(schedules: Schedule | Sequence[Mapping]) -> bool:
    """Open round the clock every day of a normal week (one-off closures aside)."""
    sched = _schedule(schedules)
    if sched.closed_on_bank_holidays:
        return False
    weekly = [r for r in sched.rows if r.kind == "weekly" and r.all_day and not r.bank_holidays_only
              and r.interval == 1 and r.start is None and r.end is None]
    covered = set()
    for r in weekly:
        covered |= {wd for _, wd in r.days} if r.days else set(range(7))
    return covered == set(range(7))


def format_time(t: dt.datetime | dt.time) -> str:
    """9am, 5:30pm, midday, midnight."""
    hour, minute = t.hour, t.minute
    if (hour, minute) == (0, 0):
        return "midnight"
    if (hour, minute) == (12, 0):
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    h12 = hour % 12 or 12
    return f"{h12}{suffix}" if minute == 0 else f"{h12}:{minute:02d}{suffix}"


def _when(moment: dt.datetime, now: dt.datetime, *, ending: bool = False) -> str:
    days = (moment.date() - now.date()).days
    if ending and (moment.hour, moment.minute) == (0, 0):
        # "until midnight" reads better than "until midnight tomorrow".
        moment_day_before = moment - dt.timedelta(minutes=1)
        days = (moment_day_before.date() - now.date()).days
        label = "midnight"
        if days == 0:
            return label
        if days == 1:
            return f"{label} tomorrow"
        return f"{label} on {_DAY_NAMES[moment_day_before.weekday()]}"
    time = format_time(moment)
    if days == 0:
        return time if ending else f"today at {time}"
    if days == 1:
        return f"{time} tomorrow" if ending else f"tomorrow at {time}"
    if days < 7:
        day = _DAY_NAMES[moment.weekday()]
        return f"{time} on {day}" if ending else f"{day} at {time}"
    date = f"{_DAY_NAMES[moment.weekday()]} {moment.day} {moment.strftime('%B')}"
    return f"{time} on {date}" if ending else f"on {date} at {time}"


def describe(schedules: Schedule | Sequence[Mapping], at: dt.datetime) -> str:
    """A short phrase for a carer: "open now until 5pm", "closed now, opens Monday at 9am",
    "open 24 hours", "closed today (bank holiday), opens Tuesday at 9am"."""
    sched = _schedule(schedules)
    now = _local(at)
    if not sched.known:
        return "opening hours not known"
    current = sched.current(now)
    if current is not None:
        if is_24_7(sched) or current.end - now >= dt.timedelta(days=7):
            return "open 24 hours"
        return f"open now until {_when(current.end, now, ending=True)}"
    nxt = sched.next_start(now)
    if is_bank_holiday(now.date()) and sched.closed_on_bank_holidays:
        closed = "closed today (bank holiday)"
    else:
        closed = "closed now"
    if nxt is None:
        return f"{closed}, no opening times coming up"
    return f"{closed}, opens {_when(nxt, now)}"
