"""Articles out of dossier: Markdown for people, JSON and CSV for other tools.

Each record carries the article's metadata, text and the user's state (read, star, tags,
note). Text is cleaned of escape sequences first: an export is often `cat`-ed to a terminal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable

from . import sanitize
from .article import Article
from .library import ArticleState

FORMATS = ("md", "json", "csv")
CSV_COLUMNS = ("id", "title", "date", "source", "authors", "url", "path", "read", "starred", "tags", "note", "text")
_C1 = re.compile(r"[\x7f-\x9f]")


def record(article: Article, state: ArticleState | None) -> dict:
    state = state or ArticleState()
    return {
        "id": article.id,
        "title": sanitize.clean_line(article.title),
        "date": article.date.isoformat() if article.date else None,
        "source": sanitize.clean_line(article.source or "") or None,
        "authors": [sanitize.clean_line(a) for a in article.authors],
        "url": sanitize.clean_line(article.url or "") or None,
        "path": sanitize.clean_line(article.path),
        "read": state.read,
        "starred": state.starred,
        "tags": list(state.tags),
        "note": sanitize.clean(state.note),
        "text": sanitize.clean(article.text),
    }


def citation(article: Article) -> str:
    """Title, source, date and URL on one line, for pasting into a report."""
    parts = [f"\u201c{sanitize.clean_line(article.title)}\u201d"]
    if article.authors:
        parts.append(", ".join(sanitize.clean_line(a) for a in article.authors))
    if article.source:
        parts.append(sanitize.clean_line(article.source))
    if article.date:
        parts.append(article.date.isoformat())
    if article.url:
        parts.append(sanitize.clean_line(article.url))
    return ", ".join(parts)


def to_markdown(records: list[dict], query: str | None) -> str:
    out = [f"# dossier export: {_heading(query)}", "",
           f"{len(records)} article{'s' if len(records) != 1 else ''}, exported {dt.date.today().isoformat()}.", ""]
    for r in records:
        out += [f"## {r['title'] or '(untitled)'}", ""]
        meta = [("date", r["date"]), ("source", r["source"]), ("by", ", ".join(r["authors"])), ("url", r["url"]),
                ("file", r["path"]), ("id", r["id"]), ("tags", " ".join(r["tags"])),
                ("state", ", ".join(s for s, on in (("read", r["read"]), ("starred", r["starred"])) if on) or "unread")]
        out += [f"- **{label}**: {value}" for label, value in meta if value]
        out.append("")
        if r["note"]:
            out += ["> **Note**", ">"] + [f"> {line}" if line else ">" for line in r["note"].splitlines()] + [""]
        out += [r["text"].strip(), "", "---", ""]
    return "\n".join(out)


def _heading(query: str | None) -> str:
    return f"`{sanitize.clean_line(query)}`" if query and query.strip() else "every article"


def to_json(records: list[dict], query: str | None) -> str:
    text = json.dumps({"query": query or None, "count": len(records), "articles": records},
                      ensure_ascii=False, indent=2)
    return _C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def to_csv(records: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        row = dict(r, authors="; ".join(r["authors"]), tags=" ".join(r["tags"]),
                   read="yes" if r["read"] else "no", starred="yes" if r["starred"] else "no")
        writer.writerow([row[c] if row[c] is not None else "" for c in CSV_COLUMNS])
    return buffer.getvalue()


def render(articles: Iterable[Article], states: dict[str, ArticleState], fmt: str, query: str | None = None) -> str:
    """The export as text, in `fmt` (md, json or csv)."""
    records = [record(a, states.get(a.id)) for a in articles]
    if fmt == "md":
        return to_markdown(records, query)
    if fmt == "json":
        return to_json(records, query)
    if fmt == "csv":
        return to_csv(records)
    raise ValueError(f"unknown export format '{fmt}' (use {', '.join(FORMATS)})")


def format_for(path: str, default: str = "md") -> str:
    """The format a file name asks for (`notes.csv` -> csv)."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {"markdown": "md", "md": "md", "json": "json", "csv": "csv"}.get(suffix, default)
