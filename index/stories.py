"""Stories: articles that tell the same story (a syndicated text rewritten, trimmed, extended,
under another headline or byline) are grouped as they are indexed.

Each indexed text gets a MinHash signature of its word shingles (datasketch) and LSH band
keys; a new article's candidates are the articles sharing a band key, and it joins the
story of those whose text it mostly contains or that mostly contain it (containment, not
Jaccard: a copy trimmed to half its length is the same story). The signatures and band keys
live in SQLite beside the index, so a run finds the stories of everything indexed before
without holding 345k signatures in memory, and the index itself is unchanged (articles are
tied to their story by the text fingerprint every document already has in a column).

Two articles by different writers about the same event share few five-word runs, so they
stay apart: a story is a text and its versions, not a topic.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
import zlib
from array import array
from pathlib import Path


STORE_NAME = "stories.sqlite"
SHINGLE_WORDS = 5  # runs of five words: long enough that unrelated texts rarely share one
NUM_PERM = 126
# LSH: two texts become candidates when all 3 values of one of 42 bands agree: 68% of pairs
# with Jaccard 0.3 (a copy trimmed to a third), 93% at 0.4, 99.5% at 0.5.
BANDS, ROWS = 42, 3
# The share of the shorter text found in the longer one that makes them one story; chosen on
# the labelled set of benchmarks/stories_bench.py (precision 1.000, recall 0.996 there).
SAME_STORY = 0.5
MIN_SHINGLES = 8  # shorter texts (a line, a caption) are too little to call a story
MAX_CHARS = 200_000  # signed per text (four long features): a 20 MB file costs no more
BATCH_SHINGLES = 4096  # per MinHash update: datasketch holds NUM_PERM x this many values at once
SEED = 7  # of the permutations: part of the stored format (the signatures must match)
# What makes stored signatures and band keys comparable: a store made another way is made again.
FORMAT = f"{SHINGLE_WORDS}:{NUM_PERM}:{BANDS}x{ROWS}:{SEED}:crc32-runs:16:32:{MAX_CHARS}"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS member (
    id INTEGER PRIMARY KEY,
    fp TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,
    story INTEGER NOT NULL,
    shingles INTEGER NOT NULL,
    sig BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS member_by_story ON member (story);
CREATE INDEX IF NOT EXISTS member_by_file ON member (file);
CREATE TABLE IF NOT EXISTS band (key INTEGER NOT NULL, member INTEGER NOT NULL, PRIMARY KEY (key, member))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
"""


def shingles(text: str):
    """Hashes of the text's runs of SHINGLE_WORDS words, whatever their case, accents and
    punctuation (a numpy array of distinct 32-bit values): each word hashed once, the runs
    combined in numpy rather than joined and hashed one by one (a third of the cost)."""
    import numpy as np

    words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())
    hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    runs = max(len(words) - SHINGLE_WORDS + 1, min(len(words), 1))
    combined = np.zeros(runs, dtype=np.uint64)
    for k in range(min(SHINGLE_WORDS, len(words))):  # a polynomial over the run, wrapping at 2**64
        combined = combined * np.uint64(_RUN_BASE) + hashes[k:k + runs]
    return np.unique((combined ^ (combined >> np.uint64(29))) & np.uint64(0xFFFFFFFF))


_RUN_BASE = 0x9E3779B97F4A7C15  # odd, with bits spread: runs in another order hash apart
_BAND_MIX = [0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x9E3779B97F4A7C15]
_template = None


def signature(text: str) -> tuple[array, int] | None:
    """(MinHash values, shingles) of a text, or None for a text too short to compare."""
    global _template
    from datasketch import MinHash  # imports scipy: only indexing pays for it

    parts = shingles(text[:MAX_CHARS])
    if len(parts) < MIN_SHINGLES:
        return None
    if _template is None:
        _template = MinHash(num_perm=NUM_PERM, seed=SEED)
    # The shingles are hashed already: datasketch applies its permutations to them as they are.
    minhash = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=_template.permutations)
    for start in range(0, len(parts), BATCH_SHINGLES):
        minhash.update_batch(parts[start:start + BATCH_SHINGLES])
    # Kept as 16 bits: two different minima agree by chance once in 65,536, which moves no
    # estimate, and the stored signatures take half the room.
    return array("H", (minhash.hashvalues & 0xFFFF).astype("uint16").tobytes()), len(parts)


def sign_many(texts: list[str]) -> list[tuple[bytes, int] | None]:
    """Signatures of texts as plain bytes (for a worker process to send back)."""
    out = []
    for text in texts:
        made = signature(text)
        out.append((made[0].tobytes(), made[1]) if made is not None else None)
    return out


def band_keys(values: array) -> list[int]:
    """One key per LSH band (ROWS values and the band's number mixed into 64 bits): texts
    sharing a key are candidates to compare."""
    import numpy as np

    rows = np.frombuffer(values, dtype=np.uint16).astype(np.uint64).reshape(BANDS, ROWS)
    keys = np.arange(BANDS, dtype=np.uint64)
    for r in range(ROWS):
        keys = (keys ^ rows[:, r]) * np.uint64(_BAND_MIX[r % len(_BAND_MIX)])
        keys ^= keys >> np.uint64(31)
    # 32 bits: SQLite stores them in 5 bytes, not 9; a chance match only adds a candidate
    # that the comparison of signatures then turns away.
    return (keys >> np.uint64(32)).astype(np.int64).tolist()


def containment(a: array, a_count: int, b: array, b_count: int) -> float:
    """The estimated share of the smaller text's shingles found in the other."""
    jaccard = sum(x == y for x, y in zip(a, b)) / NUM_PERM
    shared = jaccard * (a_count + b_count) / (1 + jaccard)
    return min(1.0, shared / min(a_count, b_count))


class StoreUnusable(Exception):
    """A story store made another way (or not finished being made)."""


class StoryStore:
    """The stories of one index, in SQLite beside it. Written inside the indexing run's
    batches (save() with each commit, before it, so a crash leaves at most members the next
    run replaces)."""

    def __init__(self, index_path: Path, reading: bool = False):
        """`reading`: for a reader, which never changes the store (a store made another
        way, or not made yet, raises StoreUnusable: the next indexing run makes it anew)."""
        self.path = Path(index_path) / STORE_NAME
        self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        try:
            made = self._db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        except sqlite3.OperationalError:  # no meta table: a store just begun
            made = None
        if reading:
            if made is None or made[0] != FORMAT:
                self._db.close()
                raise StoreUnusable(f"{self.path} was made by another version of dossier")
            return
        # A run's batch is one long transaction: readers must not wait for it.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        if made is None or made[0] != FORMAT:
            with self._db:  # signatures made another way match nothing: start again
                self._db.execute("DELETE FROM band")
                self._db.execute("DELETE FROM member")
                self._db.execute("DELETE FROM meta")
                self._db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
            if made is not None:
                self._db.execute("VACUUM")  # give the old signatures' room back
        self._next_id = self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM member").fetchone()[0]
        # Band keys of this batch, written with save() in key order (42 random inserts per
        # article into the B-tree cost more than the rest of grouping together). Kept as
        # plain ints in arrays and an int -> int dict, not a list per key: a million small
        # lists living through a batch made the garbage collector scan the writer's heap
        # three times as often (2.4 s of a 20k-article run).
        self._pending_keys, self._pending_members = array("q"), array("q")
        self._pending: dict[int, int] = {}  # key -> a member of this batch with it
        self._pending_more: dict[int, set[int]] = {}  # key -> the others (a rare collision)
        self._batch_first = self._next_id  # members from this id on are this batch's

    def close(self) -> None:
        self._db.close()

    # -- indexing ------------------------------------------------------------------------

    def add(self, fp: str, file: str, text: str | None = None, signed: tuple[bytes, int] | None = None) -> str:
        """Record an indexed text (or its `signed` signature, made elsewhere: sign_many):
        "joined" when it is a version of a story already recorded, "new" when it starts one,
        "short" for a text too short to group."""
        if text is not None:
            made = signature(text)
        elif signed is not None:
            made = (array("H", signed[0]), signed[1])
        else:
            made = None
        if made is None:
            return "short"
        values, count = made
        keys = band_keys(values)
        stories = self._matching_stories(values, count, keys)
        member = self._next_id
        story = min(stories) if stories else member
        added = self._db.execute("INSERT OR IGNORE INTO member VALUES (?, ?, ?, ?, ?, ?)",
                                 (member, fp, file, story, count, values.tobytes())).rowcount
        if not added:  # recorded already (a run stopped between this store and the index)
            self._db.execute("UPDATE member SET file = ? WHERE fp = ?", (file, fp))
            return "new"
        self._next_id += 1
        if len(stories) > 1:  # this text bridges stories told apart so far: they are one
            marks = ",".join("?" * len(stories))
            self._db.execute(f"UPDATE member SET story = ? WHERE story IN ({marks})", (story, *stories))
        self._pending_keys.extend(keys)
        self._pending_members.extend([member] * len(keys))
        for key in keys:
            if self._pending.setdefault(key, member) != member:
                self._pending_more.setdefault(key, set()).add(member)
        return "joined" if stories else "new"

    def _matching_stories(self, values: array, count: int, keys: list[int]) -> set[int]:
        marks = ",".join("?" * len(keys))
        candidates = {r[0] for r in self._db.execute(f"SELECT member FROM band WHERE key IN ({marks})", keys)}
        for key in keys:
            if key in self._pending:
                candidates.add(self._pending[key])
                candidates.update(self._pending_more.get(key, ()))
        if not candidates:
            return set()
        marks = ",".join("?" * len(candidates))
        stories = set()
        for story, other_count, sig in self._db.execute(
                f"SELECT story, shingles, sig FROM member WHERE id IN ({marks})", list(candidates)):
            if story in stories:
                continue
            other = array("H")
            other.frombytes(sig)
            if containment(values, count, other, other_count) >= SAME_STORY:
                stories.add(story)
        return stories

    def remove_files(self, files: set[str]) -> None:
        """These files' articles left the index (or are about to be read again)."""
        for file in files:
            gone = []
            for member, sig in self._db.execute("SELECT id, sig FROM member WHERE file = ?", (file,)):
                values = array("H")
                values.frombytes(sig)
                gone.extend((key, member) for key in band_keys(values))
                self._forget_pending(member)
            if gone:
                self._db.executemany("DELETE FROM band WHERE key = ? AND member = ?", gone)
                self._db.execute("DELETE FROM member WHERE file = ?", (file,))

    def _forget_pending(self, member: int) -> None:
        """A member of this batch leaves (its file is read again or gone): its keys too."""
        if member < self._batch_first:  # written by an earlier save: nothing pending
            return
        for key, other in zip(self._pending_keys, self._pending_members):
            if other != member:
                continue
            more = self._pending_more.get(key)
            if self._pending.get(key) == member:
                if more:
                    self._pending[key] = more.pop()
                else:
                    del self._pending[key]
            elif more:
                more.discard(member)
        keep = [i for i, other in enumerate(self._pending_members) if other != member]
        self._pending_keys = array("q", (self._pending_keys[i] for i in keep))
        self._pending_members = array("q", (self._pending_members[i] for i in keep))

    def save(self) -> None:
        import numpy as np

        keys = np.frombuffer(self._pending_keys, dtype=np.int64)
        members = np.frombuffer(self._pending_members, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self._db.executemany("INSERT OR IGNORE INTO band VALUES (?, ?)",
                             zip(keys[order].tolist(), members[order].tolist()))
        self._pending_keys, self._pending_members = array("q"), array("q")
        self._pending, self._pending_more = {}, {}
        self._batch_first = self._next_id
        self._db.commit()

    def is_complete(self) -> bool:
        """Whether every text indexed so far was recorded (False for an index made before
        stories existed: indexing then records its articles first)."""
        row = self._db.execute("SELECT value FROM meta WHERE name = 'complete'").fetchone()
        return bool(row and row[0] == "1")

    def mark_complete(self) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('complete', '1')")
        self._db.commit()

    # -- reading -------------------------------------------------------------------------

    def story_of(self, fp: str) -> int | None:
        row = self._db.execute("SELECT story FROM member WHERE fp = ?", (fp,)).fetchone()
        return row[0] if row else None

    def members(self, story: int) -> list[str]:
        """The fingerprints of a story's texts."""
        return [r[0] for r in self._db.execute("SELECT fp FROM member WHERE story = ? ORDER BY id", (story,))]

    def grouped(self) -> dict[str, int]:
        """fp -> story for every text in a story of two or more (alone is no story to show)."""
        return dict(self._db.execute(
            "SELECT fp, story FROM member WHERE story IN "
            "(SELECT story FROM member GROUP BY story HAVING count(*) > 1)"))

    def grouped_of(self, fps: list[str]) -> dict[str, int]:
        """fp -> story for these texts, those in a story of two or more."""
        found: dict[str, int] = {}
        for start in range(0, len(fps), 500):
            chunk = fps[start:start + 500]
            found.update(self._db.execute(
                f"SELECT fp, story FROM member WHERE fp IN ({','.join('?' * len(chunk))})", chunk))
        stories = list(set(found.values()))
        shared: set[int] = set()
        for start in range(0, len(stories), 500):
            chunk = stories[start:start + 500]
            shared.update(r[0] for r in self._db.execute(
                f"SELECT story FROM member WHERE story IN ({','.join('?' * len(chunk))}) "
                "GROUP BY story HAVING count(*) > 1", chunk))
        return {fp: story for fp, story in found.items() if story in shared}


def _live_prints(leaves: list[tuple[object, int]], lock=None):
    """(document number, fingerprint) of every live document, read segment by segment
    (each under `lock`, when given)."""
    from contextlib import nullcontext

    from .schema import column_value

    for leaf, offset in leaves:
        with lock or nullcontext():
            count = leaf.doc_count_all()
            if not count:
                continue
            column = leaf.column_reader("fingerprint")
            deleted = leaf.has_deletions()
            prints = [(offset + d, column_value(column, d)) for d in range(count)
                      if not (deleted and leaf.is_deleted(d))]
        yield from prints


def open_store(index_path: Path) -> StoryStore | None:
    """The store for reading, or None when the index has none its version can read yet."""
    if not (Path(index_path) / STORE_NAME).exists():
        return None
    try:
        return StoryStore(index_path, reading=True)
    except (sqlite3.Error, StoreUnusable):
        return None


class StoryIndex:
    """The stories of one state of the index, by document number: what collapsing a result
    list needs, in numpy arrays (a list of 345k matches collapses in a few vectorised
    passes, no Python loop over its articles).

    `dense[docnum]`: the story's number in 0..stories-1, or -1 for an article alone;
    `members[s]`: the live document numbers of story s."""

    def __init__(self, prints, doc_count_all: int, grouped: dict[str, int], days):
        """`prints`: (document number, text fingerprint) of the live documents to place;
        `grouped`: fingerprint -> story of the texts in a story of two or more."""
        import numpy as np

        self.days = days  # YYYYMMDD by document number, 0 when undated (IndexView.days)
        # Read when the index had no store it could use (made before stories, or being made
        # anew): an indexing run that makes it adds no commit to say so.
        self.without_store = False
        self._last = None  # (docnums, by_date, collapsed) of the last list collapsed
        dense = np.full(doc_count_all, -1, dtype=np.int64)
        numbers: dict[int, int] = {}
        members: list[list[int]] = []
        if grouped:
            for docnum, fp in prints:
                story = grouped.get(fp)
                if story is None:
                    continue
                n = numbers.setdefault(story, len(numbers))
                if n == len(members):
                    members.append([])
                members[n].append(docnum)
                dense[docnum] = n
        # A story whose other versions are all gone (deleted, or copies) is an article alone.
        for n, docs in enumerate(members):
            if len(docs) < 2:
                dense[docs] = -1
        self.dense = dense
        self.members = members
        self.sizes = np.array([len(m) for m in members], dtype=np.int64)
        self.count = len(members)

    @classmethod
    def of_index(cls, leaves: list[tuple[object, int]], doc_count_all: int, store: "StoryStore | None",
                 days, lock=None) -> "StoryIndex":
        """Every live document's story (a second at 345k articles: for the reader, once per
        state of the index). `lock`: the engine's, taken for one segment at a time, so the
        reader's list is never kept waiting for the whole second."""
        grouped = store.grouped() if store is not None else {}
        index = cls(_live_prints(leaves, lock) if grouped else [], doc_count_all, grouped, days)
        index.without_store = store is None
        return index

    @classmethod
    def of_documents(cls, reader, docnums, store: "StoryStore | None", days) -> "StoryIndex":
        """The stories of these documents only (a one-off search collapses its matches
        without reading the whole index's)."""
        from .schema import column_value

        if not len(docnums):  # (an index with no commit yet has no columns to read)
            return cls([], reader.doc_count_all(), {}, days)
        column = reader.column_reader("fingerprint")
        prints = [(int(d), column_value(column, d)) for d in docnums]
        grouped = store.grouped_of([fp for _, fp in prints if fp]) if store is not None else {}
        return cls(prints, reader.doc_count_all(), grouped, days)

    def size(self, docnum: int) -> int:
        """How many versions the article's story has (1: alone)."""
        n = int(self.dense[docnum]) if docnum < len(self.dense) else -1
        return int(self.sizes[n]) if n >= 0 else 1

    def versions(self, docnum: int) -> list[int]:
        """The document numbers of the article's story (itself alone when it has none)."""
        n = int(self.dense[docnum]) if docnum < len(self.dense) else -1
        return list(self.members[n]) if n >= 0 else [docnum]

    def collapse(self, docnums, by_date: bool = False):
        """`docnums` with one article per story, as a numpy array in their order: each story
        at its first place, or in a newest-first list (`by_date`) at its earliest dated
        version's place, where its date is. Articles alone all stay."""
        import numpy as np

        if self._last is not None and self._last[0] is docnums and self._last[1] == by_date:
            return self._last[2]  # the every-article list the reader opens on, once per state
        order = np.asarray(docnums, dtype=np.int64)
        collapsed = order[self.places(order, by_date)]
        self._last = (docnums, by_date, collapsed)
        return collapsed

    def places(self, docnums, by_date: bool = False):
        """The places in `docnums` that collapse() keeps (a numpy array of indices)."""
        import numpy as np

        order = np.asarray(docnums, dtype=np.int64)
        n = len(order)
        if not self.count or not n:
            return np.arange(n)
        story = self.dense[order]
        grouped = np.nonzero(story >= 0)[0]
        if not len(grouped):
            return np.arange(n)
        # Each story's chosen place as the largest of a key per place, in one unbuffered
        # pass (1 ms at 345k, where sorting for np.unique takes 30): the first place is the
        # largest of n - place; by date, a dated place p counts n + p (the last dated one is
        # the earliest), an undated one n - p (the first of them, when none is dated).
        keys = n - grouped
        if by_date:
            keys = np.where(self.days[order[grouped]] > 0, n + grouped, keys)
        chosen = np.zeros(self.count, dtype=np.int64)
        np.maximum.at(chosen, story[grouped], keys)
        best = chosen[chosen > 0]
        keep = story < 0
        keep[np.where(best > n, best - n, n - best)] = True
        return np.nonzero(keep)[0]


def ordered_versions(searcher, members: list[int], days) -> list[int]:
    """A story's document numbers, its main version first: the earliest, the fullest of the
    earliest; then the others by date (undated last) and length. `days`: each document's
    YYYYMMDD (IndexView.days), read from columns, not from the stored articles (a story row
    of the list would read each version's stored fields: a 16-version story, 16 reads)."""
    if len(members) < 2:
        return list(members)
    reader = searcher.reader()
    undated = 99_999_999
    return sorted(members, key=lambda d: (int(days[d]) or undated, -reader.doc_field_length(d, "body", 0), d))


def versions_of(searcher, store: StoryStore | None, docnum: int) -> list[int]:
    """The live document numbers of an article's story, itself included (itself alone when
    it has none), read from the store: for a few articles, where a StoryIndex of the whole
    index would read every document's fingerprint."""
    from .schema import column_value

    fp = column_value(searcher.reader().column_reader("fingerprint"), docnum)
    story = store.story_of(fp) if store is not None and fp else None
    if story is None:
        return [docnum]
    found = (searcher.document_number(fingerprint=p) for p in store.members(story))
    return sorted({d for d in found if d is not None} | {docnum})
