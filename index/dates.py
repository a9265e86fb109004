"""Publication dates: finding them in header lines and parsing metadata values.

Parsing is dateutil's; this module only decides where a date is and whether the result is
believable for a news article.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateutil_parser

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# Dates as news pages write them: 2020-01-08, December 11th, 2014, 20 June 2017.
DATE_PATTERN = re.compile(
    rf"""
    \b\d{{4}}-\d{{2}}-\d{{2}}\b
  | \b{_MONTH}\s+{_DAY},?\s+\d{{4}}\b
  | \b{_DAY}\s+{_MONTH},?\s+\d{{4}}\b
    """,
    re.VERBOSE | re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s*", re.IGNORECASE
)


def plausible(date: dt.date) -> bool:
    return 1800 <= date.year <= 2100


def parse_date(value: object) -> dt.date | None:
    """A date from a metadata value: ISO text, news-style text, a datetime, or epoch seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            date = dt.datetime.fromtimestamp(value / 1000 if value > 1e11 else value, dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str):
        text = value.strip()
        if not text or not re.search(r"\d{4}", text):
            return None  # without a year a date is a guess
        try:
            date = dateutil_parser.parse(text, fuzzy=True, default=dt.datetime(2000, 1, 1)).date()
        except (ValueError, OverflowError, TypeError):
            return None
    else:
        return None
    return date if plausible(date) else None


def find_date(line: str) -> tuple[dt.date, int, int] | None:
    """The first news-style date in `line` with its character span, or None."""
    match = DATE_PATTERN.search(line)
    if not match:
        return None
    date = parse_date(match.group(0))
    if date is None:
        return None
    return date, match.start(), match.end()


def strip_weekday(text: str) -> str:
    return _WEEKDAY.sub("", text)


# A date in a file's path: 2017-06-21-title.txt, 20170621_title.txt, 2017/06/21/story.txt.
_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})([-_./]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
# A line of its own that only dates the text: "Published: 3 March 2019", "Updated 2019-03-03".
_DATE_LINE = re.compile(rf"^(?:(?:published|posted|updated|date|dated|filed)\b[:\s]*(?:on\s+)?)?(?P<date>.{{6,40}})$",
                        re.IGNORECASE)
INFERRED_LINES = 3  # a text's dating line comes first, if anywhere


def infer_date(relpath: str, text: str) -> tuple[dt.date | None, str | None]:
    """For an article whose metadata has no date: one from its first lines or its file's
    path, with where it came from ("text" or "file name"), or (None, None)."""
    for line in text.split("\n", INFERRED_LINES)[:INFERRED_LINES]:
        line = strip_weekday(line.strip())
        if (m := _DATE_LINE.match(line)) and (found := find_date(m.group("date"))):
            date, start, end = found
            if m.group("date")[:start].strip(" ,") == "" and m.group("date")[end:].strip(" ,.") == "":
                return date, "text"
    for m in reversed(list(_PATH_DATE.finditer(relpath))):  # the file name before its folders
        try:
            date = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            continue
        if plausible(date):
            return date, "file name"
    return None, None
