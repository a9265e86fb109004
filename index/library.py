"""The user's library: read state, stars, tags, notes, saved searches and search history.

Unlike the index (a cache of the files, rebuilt at will), the library holds what only the
user made, so it lives in its own SQLite file beside the indexes and is never deleted or
rebuilt by dossier. Article state is keyed by the corpus folder and the article's stable id
(a hash of its path in the folder), so a rebuilt index finds it again. Saved searches and
history are the user's across corpora: a query means the same in any folder.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import crashpoints

LIBRARY_NAME = "library.sqlite"
HISTORY_LIMIT = 500  # searches remembered
# The library's words in queries (index/state_query.py): `is:unread`, `has:note`, `tag:x`.
# Each field with the values it takes (None: any word, a tag's name) and the names it goes by.
STATE_WORDS: dict[str, tuple[str, ...] | None] = {
    "is": ("read", "unread", "starred", "unstarred"),
    "has": ("note", "tag", "tags"),
    "tag": None,
}
STATE_FIELD_NAMES = {"is": "is", "has": "has", "tag": "tag", "tags": "tag"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_state (
    corpus TEXT NOT NULL,
    article TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    updated REAL NOT NULL,
    PRIMARY KEY (corpus, article)
);
CREATE TABLE IF NOT EXISTS article_tag (
    corpus TEXT NOT NULL,
    article TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (corpus, article, tag)
);
CREATE INDEX IF NOT EXISTS article_tag_by_tag ON article_tag (corpus, tag);
CREATE TABLE IF NOT EXISTS saved_search (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS search_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    query TEXT NOT NULL,
    at REAL NOT NULL
);
"""


class LibraryError(Exception):
    """The library cannot be opened or written; the message says where and why."""


@dataclass
class ArticleState:
    read: bool = False
    starred: bool = False
    note: str = ""
    tags: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"read": self.read, "starred": self.starred, "tags": list(self.tags), "note": self.note}


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str

    def to_json(self) -> dict:
        return {"name": self.name, "query": self.query}


def normalise_tag(tag: str) -> str:
    """Tags are single words, compared without case: `FollowUp` and `followup` are one tag."""
    return tag.strip().lstrip("+").casefold()


def check_tag(tag: str) -> str:
    tag = normalise_tag(tag)
    if not tag:
        raise LibraryError("a tag needs a name")
    if any(ch.isspace() or ch in '":()' for ch in tag) or tag.startswith("-"):
        raise LibraryError(f"'{tag}' cannot be a tag: use one word without spaces, quotes, colons or brackets")
    return tag


class Library:
    """One SQLite file, safe to share between the reader's threads and other processes."""

    def __init__(self, home: str | os.PathLike, corpus: str | os.PathLike | None = None, path: Path | None = None):
        self.path = Path(path) if path else Path(home) / LIBRARY_NAME
        self.corpus = str(Path(corpus).resolve()) if corpus else ""
        self._lock = threading.RLock()
        self._changes = 0  # writes through this connection (data_version only counts others')
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 10000")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"cannot open your library {self.path} ({exc}); it was left as it is") from None
        except OSError as exc:
            raise LibraryError(f"cannot create your library in {self.path.parent} ({exc.strerror or exc})") from None

    @classmethod
    def in_memory(cls, corpus: str | os.PathLike | None = None) -> "Library":
        """A library that keeps nothing: the reader's fallback when the real one cannot open."""
        return cls("", corpus, path=Path(":memory:"))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- plumbing ------------------------------------------------------------------------
    def _write(self, sql: str, params: Iterable = ()) -> None:
        self._write_many([(sql, params)])

    def _write_many(self, statements: list[tuple[str, Iterable]]) -> None:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for i, (sql, params) in enumerate(statements):
                        self._db.execute(sql, tuple(params))
                        if i == len(statements) // 2:
                            crashpoints.reached("library-write")
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                raise LibraryError(f"cannot save to your library {self.path} ({exc})") from None
            except sqlite3.DatabaseError as exc:
                raise LibraryError(f"your library {self.path} is damaged ({exc}); nothing was changed") from None
            self._changes += 1

    def _rows(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.DatabaseError as exc:
                raise LibraryError(f"cannot read your library {self.path} ({exc})") from None

    @property
    def version(self) -> tuple[int, int]:
        """Changes whenever the library does, from this process or another."""
        with self._lock:
            return self._changes, self._db.execute("PRAGMA data_version").fetchone()[0]

    # -- article state -------------------------------------------------------------------
    def _upsert(self, column: str, value, ids: Iterable[str]) -> list[tuple[str, tuple]]:
        now = time.time()
        return [(
            f"INSERT INTO article_state (corpus, article, {column}, updated) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT (corpus, article) DO UPDATE SET {column} = excluded.{column}, updated = excluded.updated",
            (self.corpus, article_id, value, now),
        ) for article_id in ids]

    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        self._write_many(self._upsert("read", int(read), ids))

    def set_starred(self, ids: Iterable[str], starred: bool = True) -> None:
        self._write_many(self._upsert("starred", int(starred), ids))

    def set_note(self, article_id: str, note: str) -> None:
        self._write_many(self._upsert("note", note.strip("\n") + "\n" if note.strip() else "", [article_id]))

    def change_tags(self, article_id: str, add: Iterable[str] = (), remove: Iterable[str] = ()) -> list[str]:
        """Add and remove tags; returns the article's tags afterwards."""
        added = [check_tag(t) for t in add]
        removed = [normalise_tag(t) for t in remove]
        statements = [("DELETE FROM article_tag WHERE corpus = ? AND article = ? AND tag = ?", (self.corpus, article_id, t))
                      for t in removed]
        statements += [("INSERT OR IGNORE INTO article_tag (corpus, article, tag) VALUES (?, ?, ?)", (self.corpus, article_id, t))
                       for t in added]
        if statements:
            self._write_many(statements)
        return self.tags(article_id)

    def tags(self, article_id: str) -> list[str]:
        rows = self._rows("SELECT tag FROM article_tag WHERE corpus = ? AND article = ? ORDER BY tag", (self.corpus, article_id))
        return [r[0] for r in rows]

    def state(self, article_id: str) -> ArticleState:
        rows = self._rows("SELECT read, starred, note FROM article_state WHERE corpus = ? AND article = ?",
                          (self.corpus, article_id))
        read, starred, note = rows[0] if rows else (0, 0, "")
        return ArticleState(bool(read), bool(starred), note, self.tags(article_id))

    def states(self, ids: Iterable[str]) -> dict[str, ArticleState]:
        """State of many articles at once (for export), keyed by id; absent ids have none."""
        wanted = list(ids)
        out: dict[str, ArticleState] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for article_id, read, starred, note in self._rows(
                    f"SELECT article, read, starred, note FROM article_state WHERE corpus = ? AND article IN ({marks})",
                    (self.corpus, *chunk)):
                out[article_id] = ArticleState(bool(read), bool(starred), note)
            for article_id, tag in self._rows(
                    f"SELECT article, tag FROM article_tag WHERE corpus = ? AND article IN ({marks}) ORDER BY tag",
                    (self.corpus, *chunk)):
                out.setdefault(article_id, ArticleState()).tags.append(tag)
        return out

    # -- sets of articles, for queries ---------------------------------------------------
    def ids_read(self) -> frozenset[str]:
        return self._ids("SELECT article FROM article_state WHERE corpus = ? AND read = 1")

    def ids_starred(self) -> frozenset[str]:
        return self._ids("SELECT article FROM article_state WHERE corpus = ? AND starred = 1")

    def ids_with_note(self) -> frozenset[str]:
        return self._ids("SELECT article FROM article_state WHERE corpus = ? AND note != ''")

    def ids_tagged(self, tag: str | None = None) -> frozenset[str]:
        if tag is None:
            return self._ids("SELECT DISTINCT article FROM article_tag WHERE corpus = ?")
        return self._ids("SELECT article FROM article_tag WHERE corpus = ? AND tag = ?", (normalise_tag(tag),))

    def _ids(self, sql: str, params: tuple = ()) -> frozenset[str]:
        return frozenset(r[0] for r in self._rows(sql, (self.corpus, *params)))

    def all_tags(self) -> list[tuple[str, int]]:
        return [(t, n) for t, n in self._rows(
            "SELECT tag, count(*) FROM article_tag WHERE corpus = ? GROUP BY tag ORDER BY tag", (self.corpus,))]

    # -- saved searches ------------------------------------------------------------------
    def saved(self) -> list[SavedSearch]:
        return [SavedSearch(n, q) for n, q in self._rows("SELECT name, query FROM saved_search ORDER BY name COLLATE NOCASE")]

    def save_search(self, name: str, query: str) -> None:
        name, query = name.strip(), query.strip()
        if not name:
            raise LibraryError("a saved search needs a name")
        if not query:
            raise LibraryError("a saved search needs a query")
        self._write("INSERT INTO saved_search (name, query, created) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET query = excluded.query", (name, query, time.time()))

    def remove_saved(self, name: str) -> bool:
        if not any(s.name == name for s in self.saved()):
            return False
        self._write("DELETE FROM saved_search WHERE name = ?", (name,))
        return True

    # -- history -------------------------------------------------------------------------
    def remember(self, query: str) -> None:
        """Add a search to the history (the last one again only moves it to the end)."""
        query = query.strip()
        if not query:
            return
        self._write_many([
            ("DELETE FROM search_history WHERE query = ?", (query,)),
            ("INSERT INTO search_history (query, at) VALUES (?, ?)", (query, time.time())),
            ("DELETE FROM search_history WHERE id NOT IN (SELECT id FROM search_history ORDER BY id DESC LIMIT ?)",
             (HISTORY_LIMIT,)),
        ])

    def history(self) -> list[str]:
        """Past searches, oldest first."""
        return [r[0] for r in self._rows("SELECT query FROM search_history ORDER BY id")]
