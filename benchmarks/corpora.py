"""Benchmark corpora from ../shared/corpora, converted or scaled here (never stored in the repo)."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("DOSSIER_CORPORA", REPO.parent / "shared" / "corpora"))
OUT = REPO / "benchmarks" / "out"

_RECORD = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.DOTALL)


def _tag(record: str, name: str) -> str | None:
    m = re.search(rf"<{name}>(.*?)</{name}>", record, re.DOTALL)
    return m.group(1) if m else None


def _list(record: str, name: str) -> list[str]:
    inner = _tag(record, name) or ""
    return re.findall(r"<D>(.*?)</D>", inner)


def _clean(text: str) -> str:
    text = re.sub(r"&#\d+;", "", text)  # &#3; end-of-story markers
    return html.unescape(text).strip()


def reuters_records(root: Path | None = None):
    """Every Reuters-21578 story as a dict with gold PLACES/PEOPLE/ORGS tags."""
    root = root or CORPORA / "reuters-21578"
    for sgm in sorted(root.glob("reut2-*.sgm")):
        raw = sgm.read_text(encoding="latin-1")
        for m in _RECORD.finditer(raw):
            newid, record = m.group(1), m.group(2)
            date = None
            if d := _tag(record, "DATE"):
                try:
                    date = dt.datetime.strptime(d.strip().split(" ")[0], "%d-%b-%Y").date().isoformat()
                except ValueError:
                    date = None
            title = _clean(_tag(record, "TITLE") or "")
            body = _clean(_tag(record, "BODY") or "")
            if not body:
                body = _clean(re.sub(r"<[^>]+>", " ", _tag(record, "TEXT") or ""))
            yield {
                "id": newid,
                "title": title or body[:80],
                "text": body,
                "date": date,
                "source": "Reuters",
                "places": _list(record, "PLACES"),
                "people": _list(record, "PEOPLE"),
                "orgs": _list(record, "ORGS"),
            }


def reuters_jsonl(scale: int = 1) -> Path:
    """Reuters-21578 as JSONL files (1,000 stories each), scaled by copying with new ids, dates
    and a closing line that makes each copy a distinct text."""
    if not (CORPORA / "reuters-21578").exists():
        sys.exit(f"Reuters-21578 not found under {CORPORA} (set DOSSIER_CORPORA)")
    folder = OUT / f"reuters-x{scale}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    records = list(reuters_records())
    chunk: list[str] = []
    part = 0
    for copy in range(scale):
        for rec in records:
            rec = dict(rec)
            if copy:
                rec["id"] = f"{rec['id']}-{copy}"
                # A copy of the same text would be indexed once, as a duplicate (issue 8): each
                # copy gets its own closing line, so the scaled corpus holds distinct articles.
                rec["text"] = f"{rec['text']}\n\n(Reuters archive, copy {copy}.)"
                if rec["date"]:  # vary the date so copies spread over the years
                    d = dt.date.fromisoformat(rec["date"])
                    rec["date"] = d.replace(year=d.year + copy).isoformat() if not (d.month == 2 and d.day == 29) else rec["date"]
            chunk.append(json.dumps(rec))
            if len(chunk) == 1000:
                (folder / f"part-{part:04d}.jsonl").write_text("\n".join(chunk))
                chunk, part = [], part + 1
    if chunk:
        (folder / f"part-{part:04d}.jsonl").write_text("\n".join(chunk))
    marker.write_text("")
    return folder


def bbc_folder() -> Path:
    path = CORPORA / "bbc-news-2005"
    if not path.exists():
        sys.exit(f"BBC corpus not found under {CORPORA} (set DOSSIER_CORPORA)")
    return path
