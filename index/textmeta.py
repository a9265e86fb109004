"""Metadata and a clean body from a plain-text article.

Real articles arrive as text copied from web pages, so the header holds the headline, a
byline, a "Source, Date" line, breadcrumbs and taxonomy lines in many shapes, and the
footer holds disclaimers, copyright lines and comment prompts. This module recognises
those shapes line by line; everything it does not recognise is article text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .dates import find_date, parse_date, strip_weekday

# [text](target) -> text; ![alt](image) -> nothing.
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2}|_{1,2})(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")
_MD_HEADING = re.compile(r"^#{1,6}\s+")

# Header shapes.
_PAGE_TITLE_DATE = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\s+(.+)$", re.IGNORECASE)
# A byline names people: "By the river in Kunduz, a convoy was found." is a sentence.
_BYLINE = re.compile(r"^(?:by|written by|words by|author:?|authors:?)\s+((?-i:[A-Z\u00C0-\u024F]).{1,119})$", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^Home(?:\s*[>»/|›]?\s*[A-Z][\w&'’-]*){1,8}$")
_TITLE_SUFFIX = re.compile(r"^(.{8,}?)\s+(?:-|–|—|\|)\s+([^-–—|]{2,40})$")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)

# Lines of site furniture: taxonomy, comment forms, membership and sharing prompts,
# copyright and disclaimer footers. Each pattern must match a whole line's start.
_FURNITURE = re.compile(
    r"""^(?:
        (?:Region|Theme|Themes|In-depth\ Report|Tags?|Topics?|Filed\ under|Categor(?:y|ies)|Related\ topics)\s*:
      | Please\ enter\ your\ (?:comment|name|email)
      | You\ have\ entered\ an\ incorrect\ email
      | Leave\ a\ (?:reply|comment)
      | Become\ a\ (?:member|subscriber|patron)\b
      | Comment\ on\ .{0,80}\b(?:facebook|twitter)\b
      | Articles\ by\s*:
      | The\ original\ source\ of\ this\ article\ is\b
      | All\ images\ in\ this\ article\ are\b
      | Disclaimer\s*:
      | Copyright\s*(?:©|\(c\)|\d{4})
      | ©\s*\d{4}
      | All\ rights\ reserved\.?$
      | .{0,60}\bcontains\ copyrighted\ material\b
      | For\ media\ inquiries\b
      | (?:Subscribe|Sign\ up)\ (?:to|for)\ (?:our|the)\ newsletter
      | (?:Share|Tweet|Email|Print)(?:\ this(?:\ article|\ story)?)?\s*:?$
      | Advertisement$
      | Click\ here\ to\b
      | Related\ (?:articles|posts|stories)\s*:?$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# A sentence ends after a lower-case word ("Iraq." but not "U.S." or "Mr.").
_SENTENCE_END = re.compile(r"(?<=[a-z\d][a-z\d][.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_TITLE_MAX = 120


@dataclass
class Extracted:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: dt.date | None = None
    source: str | None = None
    body: str = ""


def unmarkdown(text: str) -> str:
    """Markdown links and emphasis to plain text (common in copied web articles)."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def split_authors(value: str) -> list[str]:
    value = re.sub(r"^(?:by)\s+", "", value.strip(), flags=re.IGNORECASE)
    names = [n.strip(" .,") for n in _AUTHOR_SPLIT.split(value)]
    return [n for n in names if n and len(n) <= 80]


def _is_headline(line: str) -> bool:
    if len(line) > 200 or len(line.split()) > 30:
        return False
    if not line[:1].isupper() and not line[:1].isdigit() and line[:1] not in "\"'“‘":
        return False
    # A full sentence with a full stop and many words is body text, not a headline.
    sentences = len(_SENTENCE_END.findall(line))
    if sentences >= 1 or (line.endswith(".") and len(line.split()) > 14):
        return False
    return True


def _is_furniture(line: str) -> bool:
    return bool(_FURNITURE.match(line))


def _source_and_date(line: str) -> tuple[str | None, dt.date] | None:
    """'Global Research, June 21, 2017' -> ('Global Research', date); 'December 11th, 2014' -> (None, date)."""
    if len(line) > 90:
        return None
    found = find_date(line)
    if not found:
        return None
    date, start, end = found
    before = strip_weekday(line[:start].strip(" ,|–—-:")).strip(" ,|–—-:")
    after = line[end:].strip(" ,.|–—-")
    if after and not re.fullmatch(r"(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?", after, re.IGNORECASE):
        return None
    if not before or re.fullmatch(r"(?:published|posted|updated|date|on)[:\s]*", before, re.IGNORECASE):
        return None, date
    if len(before.split()) <= 6 and not before.endswith("."):
        return before, date
    return None


def _title_from_sentence(body: str) -> str | None:
    first = body.strip().split("\n", 1)[0]
    if not first:
        return None
    sentence = _SENTENCE_END.split(first, 1)[0].strip().rstrip(".!?:;,")
    if len(sentence) <= _TITLE_MAX:
        return sentence
    cut = sentence[: _TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def extract(text: str, known_title: str | None = None) -> Extracted:
    """Title, authors, date, source and the clean body of a plain-text article.

    `known_title` is a title the file gave already (front matter): then a headline-like
    first line is taken as the headline only if it repeats that title; otherwise it is the
    article's first line of text (a one-sentence article was indexed with no text at all)."""
    out = Extracted()
    lines = [line.strip() for line in unmarkdown(text).split("\n")]

    # The header: headline, byline, date and source lines, breadcrumbs and taxonomy,
    # in any order, until the first line of article text.
    i = 0
    page_title = None
    headline = None
    continuing_furniture = False
    while i < len(lines):
        line = _MD_HEADING.sub("", lines[i]).strip()
        if not line:
            i += 1
            continue
        if continuing_furniture:
            continuing_furniture = line.endswith(",")
            i += 1
            continue
        if _is_furniture(line):
            continuing_furniture = line.endswith(",")
            i += 1
            continue
        if m := _PAGE_TITLE_DATE.match(line):
            out.date = out.date or parse_date(m.group(1))
            page_title = m.group(2).strip()
            if sm := _TITLE_SUFFIX.match(page_title):
                page_title, out.source = sm.group(1).strip(), out.source or sm.group(2).strip()
            i += 1
            continue
        if _BREADCRUMB.match(line):
            i += 1
            continue
        if (m := _BYLINE.match(line)) and not out.authors and len(line.split()) <= 12:
            out.authors = split_authors(m.group(1))
            i += 1
            continue
        if (sd := _source_and_date(line)) is not None:
            source, date = sd
            out.date = out.date or date
            if source and not out.source:
                out.source = source
            i += 1
            continue
        if headline is None and _is_headline(line):
            if known_title is None or line.casefold() == known_title.strip().casefold():
                headline = line
                i += 1
                continue
        break

    out.title = page_title or headline
    body_lines = [line for line in lines[i:] if not (line and _is_furniture(line))]
    body = "\n".join(body_lines).strip()
    out.body = re.sub(r"\n{3,}", "\n\n", body)
    if not out.title:
        out.title = _title_from_sentence(out.body)
    return out
