"""Articles over time: a histogram of dates by day, month or year, whichever is the finest
that draws the span in at most MAX_BARS bars, for an entity's page and for any search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

MAX_BARS = 72  # reads at 80 columns with room for the axis


@dataclass(frozen=True)
class Timeline:
    unit: str  # "day", "month" or "year"
    periods: list[str]  # "1987-03-17", "1987-03" or "1987": every period of the span, in order
    counts: list[int]  # articles dated in each
    undated: int = 0  # articles without a date (not drawn)

    @property
    def total(self) -> int:
        return sum(self.counts)

    def query(self, index: int, to: int | None = None) -> str:
        """The date query for one period (`date:1987-03`), or from one to another."""
        if to is None or to == index:
            return f"date:{self.periods[index]}"
        first, last = sorted((index, to))
        return f"date:[{self.periods[first]} to {self.periods[last]}]"

    def to_json(self) -> dict:
        return {"unit": self.unit, "undated": self.undated,
                "periods": [{"period": p, "articles": c} for p, c in zip(self.periods, self.counts)]}


def timeline_of(days) -> Timeline:
    """A histogram of dates given as YYYYMMDD integers (0, undated, left out)."""
    days = np.asarray(days, dtype=np.int64)
    undated = int(np.count_nonzero(days <= 0))
    days = days[days > 0]
    if not len(days):
        return Timeline("month", [], [], undated)
    unique, inverse = np.unique(days, return_inverse=True)
    if len(unique) <= MAX_BARS:  # a short span may be drawn day by day
        ordinals = [_date(int(d)).toordinal() for d in unique]
        if ordinals[-1] - ordinals[0] < MAX_BARS:
            counts = np.bincount(np.asarray(ordinals)[inverse] - ordinals[0])
            return Timeline("day", [dt.date.fromordinal(ordinals[0] + i).isoformat() for i in range(len(counts))],
                            counts.tolist(), undated)
    months = days // 10000 * 12 + days // 100 % 100 - 1
    low = int(months.min())
    if int(months.max()) - low < MAX_BARS:
        counts = np.bincount(months - low)
        return Timeline("month", [f"{(low + i) // 12:04d}-{(low + i) % 12 + 1:02d}" for i in range(len(counts))],
                        counts.tolist(), undated)
    years = days // 10000
    low = int(years.min())
    counts = np.bincount(years - low)
    return Timeline("year", [str(low + i) for i in range(len(counts))], counts.tolist(), undated)


def _date(value: int) -> dt.date:
    return dt.date(value // 10000, value // 100 % 100, value % 100)
