"""Incremental indexing: read new and changed files, drop deleted ones, commit in batches.

The index itself is the catalogue: every document stores the file it came from and that
file's size:mtime signature, so an interrupted run leaves a consistent index (a file is
deleted before it is re-added, inside the same commit) and the next run finishes the job.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from whoosh.index import LockError

from .article import Article
from .corpus import Corpus, CorpusError, IndexBusy
from .formats import Unreadable, read_articles
from .walk import FoundFile, Skipped, walk

LOCK_TIMEOUT = 5.0  # seconds to wait for another writer before giving up
BATCH_ARTICLES = 1000
FIRST_BATCH_ARTICLES = 50  # commit early so the first articles are searchable at once
BATCH_SECONDS = 2.0


@dataclass
class IngestReport:
    files_indexed: int = 0
    articles_indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    total_articles: int = 0
    seconds: float = 0.0
    note: str | None = None  # e.g. why the index was rebuilt

    def to_json(self) -> dict:
        return {
            "files_indexed": self.files_indexed,
            "articles_indexed": self.articles_indexed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "skipped": [{"path": s.relpath, "reason": s.reason} for s in self.skipped],
            "warnings": [{"path": s.relpath, "reason": s.reason} for s in self.warnings],
            "total_articles": self.total_articles,
            "seconds": round(self.seconds, 3),
            "note": self.note,
        }


# progress(files_done, files_total, articles_indexed)
Progress = Callable[[int, int, int], None]


def to_document(article: Article, signature: str) -> dict:
    doc = {
        "id": article.id,
        "file": article.path,
        "signature": signature,
        "position": article.position,
        "path": article.path,
        "title": article.title,
        "body": article.text,
        "authors": list(article.authors),
        "url": article.url,
        "sortdate": int(article.date.strftime("%Y%m%d")) if article.date else 0,
    }
    if article.authors:
        doc["author"] = " ; ".join(article.authors)
    if article.source:
        doc["source"] = article.source
        doc["source_facet"] = article.source
    if article.date:
        doc["date"] = dt.datetime.combine(article.date, dt.time())
        doc["year"] = f"{article.date.year:04d}"
        doc["month"] = f"{article.date.year:04d}-{article.date.month:02d}"
    return doc


def indexed_signatures(ix) -> dict[str, str]:
    """file -> signature for every file in the index, from column stores (no bodies loaded)."""
    signatures: dict[str, str] = {}
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return signatures
        files = reader.column_reader("file")
        sigs = reader.column_reader("signature")
        for docnum in reader.all_doc_ids():
            signatures.setdefault(files[docnum], sigs[docnum])
    return signatures


def read_file(found: FoundFile) -> tuple[list[Article], list[str]]:
    try:
        with open(found.abspath, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror or exc})") from None
    return read_articles(data, found.relpath)


def _read_all(files: Iterable[FoundFile]) -> Iterator[tuple[FoundFile, list[Article], list[str], str | None]]:
    for found in files:
        try:
            articles, warnings = read_file(found)
            yield found, articles, warnings, None
        except Unreadable as exc:
            yield found, [], [], str(exc)


def ingest(corpus: Corpus, progress: Progress | None = None) -> IngestReport:
    """Bring the index of `corpus` up to date with its folder."""
    started = time.perf_counter()
    report = IngestReport()
    ix, report.note = corpus.open_index()
    try:
        files, report.skipped = walk(corpus.root)
        known = indexed_signatures(ix)
        present = {f.relpath for f in files}
        changed = [f for f in files if known.get(f.relpath) != f.signature]
        report.unchanged = len(files) - len(changed)
        removed = [path for path in known if path not in present]

        if not changed and not removed:
            report.total_articles = ix.doc_count()
            report.seconds = time.perf_counter() - started
            return report

        writer = _writer(ix)
        for path in removed:
            writer.delete_by_term("file", path)
        report.removed = len(removed)

        pending = 0
        last_commit = time.monotonic()
        first_batch = True
        for done, (found, articles, warnings, error) in enumerate(_read_all(changed), start=1):
            writer.delete_by_term("file", found.relpath)
            if error:
                report.skipped.append(Skipped(found.relpath, error))
            else:
                for article in articles:
                    writer.add_document(**to_document(article, found.signature))
                report.files_indexed += 1
                report.articles_indexed += len(articles)
                pending += len(articles)
                report.warnings.extend(Skipped(found.relpath, w) for w in warnings)
            limit = FIRST_BATCH_ARTICLES if first_batch else BATCH_ARTICLES
            if pending >= limit or (pending and time.monotonic() - last_commit > BATCH_SECONDS):
                writer.commit()
                writer = _writer(ix)
                pending, last_commit, first_batch = 0, time.monotonic(), False
            if progress:
                progress(done, len(changed), report.articles_indexed)
        writer.commit()
        report.total_articles = ix.doc_count()
    finally:
        ix.close()
    report.seconds = time.perf_counter() - started
    return report


def _writer(ix):
    try:
        return ix.writer(timeout=LOCK_TIMEOUT, limitmb=128)
    except LockError:
        raise IndexBusy(
            "another dossier process is indexing this corpus right now; try again when it has finished"
        ) from None
    except OSError as exc:
        raise CorpusError(f"cannot write the index ({exc.strerror or exc})") from None
