"""Duplicate articles: the same text from two files or feeds is indexed once.

The first copy found (in the folder's sorted order) is indexed; each later copy is recorded
here with its file, signature and where it came from, so the reader can say where else the
article appeared and the next run knows the file without reading it again. The store lives
in the index folder: like the index, it is rebuilt from the files.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .article import Article

STORE_NAME = "duplicates.sqlite"
# A long text identifies an article by itself (a headline edited for another site does not
# make it another article); a short one needs its title too ("Markets closed." twice is not
# one article).
BODY_ONLY_WORDS = 50

_SCHEMA = """
CREATE TABLE IF NOT EXISTS duplicate (
    file TEXT NOT NULL,
    position INTEGER NOT NULL,
    signature TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    article TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT,
    url TEXT,
    date TEXT,
    PRIMARY KEY (file, position)
);
CREATE INDEX IF NOT EXISTS duplicate_by_fingerprint ON duplicate (fingerprint);
"""


def fingerprint(article: Article) -> str | None:
    """The same text gives the same fingerprint, whatever its spacing, case and punctuation.
    None for an article without text (titles alone are not compared)."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", article.text).casefold())
    if not words:
        return None
    key = " ".join(words) if len(words) >= BODY_ONLY_WORDS else \
        " ".join(re.findall(r"\w+", article.title.casefold())) + "\n" + " ".join(words)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


@dataclass(frozen=True)
class Appearance:
    """Another place an indexed article appeared."""

    path: str
    title: str
    source: str | None
    url: str | None
    date: str | None

    def to_json(self) -> dict:
        return {"path": self.path, "title": self.title, "source": self.source, "url": self.url, "date": self.date}


class DuplicateStore:
    def __init__(self, index_path: Path):
        self.path = Path(index_path) / STORE_NAME
        self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def signatures(self) -> dict[str, str]:
        """file -> signature of every file whose articles are all duplicates."""
        return dict(self._db.execute("SELECT file, signature FROM duplicate GROUP BY file"))

    def files_with(self, fingerprints: set[str]) -> set[str]:
        """Files holding copies of these fingerprints (to read again when the original goes)."""
        found: set[str] = set()
        marks = list(fingerprints)
        for start in range(0, len(marks), 500):
            chunk = marks[start:start + 500]
            found.update(r[0] for r in self._db.execute(
                f"SELECT DISTINCT file FROM duplicate WHERE fingerprint IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def replace(self, remove_files: set[str], rows: list[tuple]) -> None:
        """In one transaction: forget these files' copies, record new ones."""
        with self._db:
            self._db.executemany("DELETE FROM duplicate WHERE file = ?", [(f,) for f in remove_files])
            self._db.executemany("INSERT OR REPLACE INTO duplicate VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def appearances(self, fp: str) -> list[Appearance]:
        return [Appearance(*row) for row in self._db.execute(
            "SELECT file, title, source, url, date FROM duplicate WHERE fingerprint = ? ORDER BY file, position", (fp,))]

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM duplicate").fetchone()[0]


def row(article: Article, signature: str, fp: str) -> tuple:
    return (article.path, article.position, signature, fp, article.id, article.title, article.source, article.url,
            article.date.isoformat() if article.date else None)
