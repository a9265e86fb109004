"""Importing newsboat's cache: every item becomes an article, with its read state.

newsboat keeps its feeds in one SQLite file (`cache.db`: tables rss_feed and rss_item). It is
opened read-only and never written. Each item is written as one small JSON file in a folder
dossier owns (under its home, `imports/newsboat-…`), which is then indexed like any folder:
the index stays a cache of files, a re-import writes only new and changed items, and every
item keeps its article id (its file's name comes from the feed and the item's guid) so read
marks, stars and tags stay with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .article import article_id
from .web import _html_to_text

DEFAULT_CACHES = ("~/.local/share/newsboat/cache.db", "~/.newsboat/cache.db")


class NewsboatError(Exception):
    """The cache cannot be found or read; the message says which and why."""


@dataclass
class NewsboatImport:
    folder: Path
    feeds: int = 0
    items: int = 0
    written: int = 0  # new or changed since the last import
    read_ids: list[str] = field(default_factory=list)
    skipped: int = 0  # items newsboat has deleted, or with neither title nor text

    def to_json(self) -> dict:
        return {"folder": str(self.folder), "feeds": self.feeds, "items": self.items, "written": self.written,
                "read": len(self.read_ids), "skipped": self.skipped}


def default_cache() -> Path:
    """newsboat's cache where newsboat puts it (XDG first, then the old ~/.newsboat)."""
    candidates = [Path(p).expanduser() for p in DEFAULT_CACHES]
    for path in candidates:
        if path.is_file():
            return path
    raise NewsboatError("no newsboat cache found (looked in " + " and ".join(str(p) for p in candidates)
                        + "); give its path: dossier import newsboat PATH/cache.db")


def import_folder(home: Path, cache: Path) -> Path:
    digest = hashlib.blake2b(str(cache.resolve()).encode("utf-8"), digest_size=6).hexdigest()
    return home / "imports" / f"newsboat-{digest}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:50] or "feed"


def _open(cache: Path) -> sqlite3.Connection:
    if not cache.is_file():
        raise NewsboatError(f"no such file: {cache}")
    try:
        db = sqlite3.connect(f"{cache.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise NewsboatError(f"{cache} is not a newsboat cache ({exc})") from None
    if not {"rss_feed", "rss_item"} <= tables:
        db.close()
        raise NewsboatError(f"{cache} is not a newsboat cache (it has no rss_feed and rss_item tables)")
    return db


def read_cache(cache: Path, folder: Path) -> NewsboatImport:
    """Write the cache's items as JSON files into `folder`; returns what was done. The ids
    in `read_ids` are the articles newsboat has marked read."""
    db = _open(cache)
    result = NewsboatImport(folder=folder)
    try:
        feeds = {url: (title or url) for url, title in db.execute("SELECT rssurl, title FROM rss_feed")}
        result.feeds = len(feeds)
        rows = db.execute("SELECT guid, title, author, url, feedurl, pubDate, content, unread, deleted FROM rss_item")
        for guid, title, author, url, feedurl, pubdate, content, unread, deleted in rows:
            if deleted:
                result.skipped += 1
                continue
            feed_title = feeds.get(feedurl, feedurl)
            text = _html_to_text(content or "")
            if not (text.strip() or (title or "").strip()):
                result.skipped += 1
                continue
            name = hashlib.blake2b(f"{feedurl}\n{guid or url or title}".encode("utf-8"), digest_size=10).hexdigest()
            relpath = f"{_slug(feed_title)}-{hashlib.blake2b(feedurl.encode(), digest_size=3).hexdigest()}/{name}.json"
            record = {
                "title": title or "",
                "text": text,
                "url": url or None,
                "authors": [a.strip() for a in (author or "").split(",") if a.strip()],
                "date": dt.datetime.fromtimestamp(pubdate, dt.timezone.utc).date().isoformat() if pubdate else None,
                "source": feed_title,
                "feed": feedurl,
                "guid": guid,
            }
            path = folder / relpath
            data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
            if not path.is_file() or path.read_bytes() != data:  # untouched files stay unchanged for the indexer
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, path)
                result.written += 1
            result.items += 1
            if not unread:
                result.read_ids.append(article_id(relpath))
    except sqlite3.DatabaseError as exc:
        raise NewsboatError(f"cannot read {cache} ({exc})") from None
    except OSError as exc:
        raise NewsboatError(f"cannot write the imported items to {folder} ({exc.strerror or exc})") from None
    finally:
        db.close()
    # Items newsboat has since dropped (its max-items, or deleted) stay in dossier's copy:
    # an archive that outlives the feed reader's is part of the point.
    return result
