"""Business days in the user's country and time zone (R15's "3 business days").

Weekends and the public holidays of ``User.country`` (the ``holidays`` package)
are skipped. Dates are always the user's local dates: a request sent on Monday
at 23:30 in Berlin was sent on Monday, whatever the server's clock says.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

import holidays

from grapevine.accounts.models import User


def user_zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_date(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return moment.astimezone(zone).date()


def end_of_day(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)


def start_of_day(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)


@lru_cache(maxsize=64)
def _holidays_for(country: str, year: int) -> frozenset[dt.date]:
    try:
        return frozenset(holidays.country_holidays(country.upper(), years=year).keys())
    except (NotImplementedError, KeyError, AttributeError):
        # A country the package does not know: weekends only.
        return frozenset()


class BusinessCalendar:
    """Which days count as business days for one user."""

    def __init__(self, country: str) -> None:
        self.country = (country or "").upper()

    def is_holiday(self, day: dt.date) -> bool:
        return bool(self.country) and day in _holidays_for(self.country, day.year)

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add(self, day: dt.date, business_days: int) -> dt.date:
        """The day ``business_days`` business days after ``day`` (``day`` itself not counted)."""
        current = day
        remaining = business_days
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_business_day(current):
                remaining -= 1
        return current

    def between(self, start: dt.date, end: dt.date) -> int:
        """Business days after ``start`` up to and including ``end``."""
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_business_day(current):
                count += 1
        return count


def calendar_for(user: User) -> BusinessCalendar:
    return BusinessCalendar(user.country)
