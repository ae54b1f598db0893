"""bot.directory.opening_hours: Europe/London hours, BST changes, bank holidays, 24/7, descriptions."""
from __future__ import annotations

import datetime as dt

import pytest
from dateutil.easter import easter

from bot.directory.opening_hours import (
    BANK_HOLIDAY_YEARS,
    BANK_HOLIDAYS,
    LONDON,
    SUBSTITUTE_DAYS,
    describe,
    format_time,
    is_24_7,
    is_open,
    next_open,
    open_until,
)

UTC = dt.timezone.utc
OFFICE = [{"id": "1", "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00",
           "description": "Monday to Friday 9am to 5pm. Closed on bank holidays.", "notes": "closed:bank-holidays"}]
OFFICE_OPEN_ON_HOLIDAYS = [{**OFFICE[0], "description": "Monday to Friday 9am to 5pm", "notes": ""}]
H24 = [{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "00:00", "closes_at": "23:59",
        "description": "24 hours"}]


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


# --- bank holiday table -----------------------------------------------------------------------

def test_table_covers_2024_to_2028_with_eight_a_year():
    for year in BANK_HOLIDAY_YEARS:
        assert sum(1 for d in BANK_HOLIDAYS if d.year == year) == 8, year
    assert all(d.weekday() < 5 for d in BANK_HOLIDAYS)


def test_easter_holidays_match_the_easter_date():
    for year in BANK_HOLIDAY_YEARS:
        sunday = easter(year)
        assert BANK_HOLIDAYS[sunday - dt.timedelta(days=2)] == "Good Friday"
        assert BANK_HOLIDAYS[sunday + dt.timedelta(days=1)] == "Easter Monday"


def test_substitute_days_are_marked():
    assert {dt.date(2026, 12, 28), dt.date(2027, 12, 27), dt.date(2027, 12, 28),
                               dt.date(2028, 1, 3)} == SUBSTITUTE_DAYS
    for d in SUBSTITUTE_DAYS:
        assert "substitute" in BANK_HOLIDAYS[d]


# --- weekday hours and time zones -------------------------------------------------------------

def test_open_and_closed_on_a_weekday():
    assert is_open(OFFICE, london(2026, 11, 24, 9, 0))
    assert is_open(OFFICE, london(2026, 11, 24, 16, 59))
    assert not is_open(OFFICE, london(2026, 11, 24, 17, 0))
    assert not is_open(OFFICE, london(2026, 11, 24, 8, 59))


def test_naive_datetimes_are_london_time():
    assert is_open(OFFICE, dt.datetime(2026, 7, 1, 9, 30))


def test_bst_means_9am_local_is_8am_utc():
    # 1 July 2026 is BST (UTC+1): 08:30 UTC is 09:30 in London.
    assert is_open(OFFICE, dt.datetime(2026, 7, 1, 8, 30, tzinfo=UTC))
    assert not is_open(OFFICE, dt.datetime(2026, 7, 1, 16, 30, tzinfo=UTC))  # 17:30 BST
    # In winter (GMT) 08:30 UTC is 08:30 in London: closed.
    assert not is_open(OFFICE, dt.datetime(2026, 1, 7, 8, 30, tzinfo=UTC))


def test_across_the_spring_clock_change():
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026. Friday 27th 16:30 UTC = 16:30 GMT (open);
    # Monday 30th 16:30 UTC = 17:30 BST (closed).
    assert is_open(OFFICE, dt.datetime(2026, 3, 27, 16, 30, tzinfo=UTC))
    assert not is_open(OFFICE, dt.datetime(2026, 3, 30, 16, 30, tzinfo=UTC))
    nxt = next_open(OFFICE, dt.datetime(2026, 3, 27, 18, 0, tzinfo=UTC))
    assert nxt == london(2026, 3, 30, 9, 0)
    assert nxt.astimezone(UTC).hour == 8  # 9am BST


def test_across_the_autumn_clock_change():
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    nxt = next_open(OFFICE, dt.datetime(2026, 10, 23, 17, 30, tzinfo=UTC))
    assert nxt == london(2026, 10, 26, 9, 0)
    assert nxt.astimezone(UTC).hour == 9  # 9am GMT
    assert is_open(H24, dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # the repeated hour


def test_next_open_over_a_weekend():
    assert next_open(OFFICE, london(2026, 11, 27, 17, 30)) == london(2026, 11, 30, 9, 0)
    assert next_open(OFFICE, london(2026, 11, 28, 12, 0)) == london(2026, 11, 30, 9, 0)
    assert describe(OFFICE, london(2026, 11, 28, 12, 0)) == "closed now, opens Monday at 9am"


def test_next_open_when_open_is_now():
    at = london(2026, 11, 24, 10, 0)
    assert next_open(OFFICE, at) == at


# --- bank holidays and closures ----------------------------------------------------------------

def test_closed_on_bank_holidays_when_the_schedule_says_so():
    assert not is_open(OFFICE, london(2026, 8, 31, 10, 0))  # Summer bank holiday
    assert is_open(OFFICE_OPEN_ON_HOLIDAYS, london(2026, 8, 31, 10, 0))


def test_description_alone_marks_bank_holiday_closure():
    rows = [{**OFFICE[0], "notes": "", "description": "9 to 5 weekdays, closed on bank holidays"}]
    assert not is_open(rows, london(2026, 5, 4, 10, 0))


def test_substitute_day_closes_and_christmas_run_is_skipped():
    at = london(2026, 12, 24, 17, 30)  # Thursday evening; Fri 25th and Mon 28th (substitute) are holidays
    assert next_open(OFFICE, at) == london(2026, 12, 29, 9, 0)
    assert describe(OFFICE, london(2026, 12, 28, 10, 0)) == "closed today (bank holiday), opens tomorrow at 9am"


def test_easter_weekend_2027():
    assert next_open(OFFICE, london(2027, 3, 25, 18, 0)) == london(2027, 3, 30, 9, 0)


def test_explicit_closure_rows_close_those_dates():
    rows = OFFICE + [{"freq": "", "valid_from": "2026-12-24", "valid_to": "2026-12-31", "opens_at": "",
                      "description": "Christmas closure"}]
    assert not is_open(rows, london(2026, 12, 24, 10, 0))
    assert not is_open(rows, london(2026, 12, 30, 10, 0))
    assert next_open(rows, london(2026, 12, 23, 18, 0)) == london(2027, 1, 4, 9, 0)  # 1 Jan is a holiday


def test_special_hours_replace_usual_hours_on_a_date():
    rows = OFFICE + [{"freq": "", "valid_from": "2026-12-24", "valid_to": "2026-12-24", "opens_at": "09:00",
                      "closes_at": "13:00", "description": "Christmas Eve"}]
    assert is_open(rows, london(2026, 12, 24, 12, 0))
    assert not is_open(rows, london(2026, 12, 24, 14, 0))


def test_bank_holiday_only_rows():
    rows = [{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "18:00",
             "notes": "closed:bank-holidays"},
            {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "10:00", "closes_at": "16:00",
             "notes": "bank-holidays-only"}]
    assert is_open(rows, london(2026, 8, 31, 11, 0)) and not is_open(rows, london(2026, 8, 31, 17, 0))
    assert is_open(rows, london(2026, 9, 1, 9, 30)) and is_open(rows, london(2026, 9, 1, 17, 0))
    assert not is_open(rows, london(2026, 9, 1, 18, 30))


def test_valid_from_and_to_bound_weekly_rows():
    rows = [{**OFFICE[0], "valid_from": "2027-01-01", "valid_to": "2027-03-31"}]
    assert not is_open(rows, london(2026, 12, 1, 10, 0))
    assert is_open(rows, london(2027, 2, 1, 10, 0))
    assert next_open(rows, london(2027, 3, 31, 18, 0)) is None


# --- 24/7, overnight, monthly, fortnightly -----------------------------------------------------

def test_24_7_services():
    assert is_24_7(H24)
    assert describe(H24, london(2026, 12, 25, 3, 0)) == "open 24 hours"
    assert is_24_7([{"freq": "WEEKLY", "description": "Open 24 hours", "byday": ""}])
    assert not is_24_7(OFFICE)
    assert open_until(H24, london(2026, 1, 1, 0, 0)) is None


def test_24_hours_on_the_spring_forward_night():
    assert is_open(H24, dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    assert is_open(H24, london(2026, 3, 29, 0, 30))


def test_overnight_rows_run_into_the_next_morning():
    rows = [{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "17:00", "closes_at": "09:00"}]
    assert is_open(rows, london(2026, 11, 24, 23, 0))
    assert is_open(rows, london(2026, 11, 25, 8, 0))
    assert not is_open(rows, london(2026, 11, 25, 12, 0))
    assert describe(rows, london(2026, 11, 24, 20, 0)) == "open now until 9am tomorrow"
    assert is_open(rows, london(2026, 11, 28, 8, 0))  # Friday night into Saturday morning


def test_monthly_and_fortnightly_rows():
    last_thursday = [{"freq": "MONTHLY", "byday": "-1TH", "opens_at": "14:00", "closes_at": "16:00"}]
    assert is_open(last_thursday, london(2026, 11, 26, 15, 0))
    assert not is_open(last_thursday, london(2026, 11, 19, 15, 0))
    assert next_open(last_thursday, london(2026, 11, 27, 9, 0)) == london(2026, 12, 31, 14, 0)
    second_tuesday = [{"freq": "MONTHLY", "byday": "2TU", "opens_at": "14:00", "closes_at": "16:00"}]
    assert next_open(second_tuesday, london(2026, 11, 1, 9, 0)) == london(2026, 11, 10, 14, 0)
    fortnightly = [{"freq": "WEEKLY", "interval": "2", "dtstart": "2026-01-05", "byday": "MO",
                    "opens_at": "18:30", "closes_at": "20:00"}]
    assert is_open(fortnightly, london(2026, 1, 19, 19, 0))
    assert not is_open(fortnightly, london(2026, 1, 12, 19, 0))


# --- describe -----------------------------------------------------------------------------------

@pytest.mark.parametrize("at, expected", [
    (london(2026, 11, 24, 10, 0), "open now until 5pm"),
    (london(2026, 11, 24, 7, 0), "closed now, opens today at 9am"),
    (london(2026, 11, 24, 18, 0), "closed now, opens tomorrow at 9am"),
    (london(2026, 11, 27, 18, 0), "closed now, opens Monday at 9am"),
    (london(2026, 12, 25, 10, 0), "closed today (bank holiday), opens Tuesday at 9am"),
])
def test_describe(at, expected):
    assert describe(OFFICE, at) == expected


def test_describe_half_hours_and_unknown():
    rows = [{"freq": "WEEKLY", "byday": "MO", "opens_at": "08:30", "closes_at": "17:30"}]
    assert describe(rows, london(2026, 11, 23, 9, 0)) == "open now until 5:30pm"
    assert describe([], london(2026, 11, 23, 9, 0)) == "opening hours not known"
    assert format_time(dt.time(12, 0)) == "midday" and format_time(dt.time(0, 0)) == "midnight"


def test_hsds_time_formats_are_accepted():
    rows = [{"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00:00", "closes_at": "17:00:00"}]
    assert is_open(rows, london(2026, 11, 23, 12, 0))
