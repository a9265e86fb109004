"""Incremental indexing: read new and changed files, drop deleted ones, commit in batches.

The index itself is the catalogue: every document stores the file it came from and that
file's size:mtime signature, so an interrupted run leaves a consistent index (a file is
deleted before it is re-added, inside the same commit) and the next run finishes the job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import sqlite3
import stat
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from whoosh.fields import STORED
from whoosh.index import LockError
from whoosh.query import Term

from . import crashpoints
from .aliases import fold, load_aliases
from .kinds import KIND_OF_LABEL
from .article import Article
from .corpus import Corpus, CorpusError, IndexBusy
from .duplicates import DuplicateStore, fingerprint
from .duplicates import row as duplicate_row
from .article import EntitySpan
from .entities import MAX_CHARS, ModelUnavailable, recognize_many
from .entity_registry import REGISTRY_NAME, EntityRegistry
from .formats import Unreadable, read_articles
from .lexicon import PATTERN_FIELDS, Lexicons
from .lifeline import die_with_parent
from .schema import PENDING_FIELD, build_schema, column_value
from .stories import StoryStore, sign_many
from .walk import FoundFile, Skipped, walk
from .whoosh_internals import merge_small_and_emptied

LOCK_TIMEOUT = 5.0  # seconds to wait for another writer before giving up
FIRST_BATCH_ARTICLES = 50  # commit early so the first articles are searchable at once
BATCH_ARTICLES = 1000
BATCH_SECONDS = 2.0
# Every commit merges segments, which rewrites their postings: a long run commits less and
# less often (a tenth of the time and articles so far), so new articles still appear within
# half a minute while a 345k-article build does about 60 commits instead of 345.
BATCH_GROWTH = 0.1
MAX_BATCH_ARTICLES = 20_000
MAX_BATCH_SECONDS = 30.0
WRITER_MB = 128  # postings Whoosh sorts in memory before spilling to disk (its estimate; real use ~1.5x)
FIRST_CHUNK_FILES = 4  # files per reading job: small first, so the first commit is quick
CHUNK_FILES = 32
# Recognition jobs are measured in articles (a JSONL file may hold thousands): small enough
# that the status line moves every few seconds, large enough to keep the model busy.
FIRST_CHUNK_ARTICLES = 16
CHUNK_ARTICLES = 200
IN_PROCESS_ARTICLES = 60  # fewer articles to recognise than this: no worker process to start
@dataclass
class IngestReport:
    files_indexed: int = 0
    articles_indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0  # articles found again in another file: recorded, not indexed twice
    in_stories: int = 0  # articles this run found to be a version of a story already indexed
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    total_articles: int = 0
    seconds: float = 0.0
    note: str | None = None  # e.g. why the index was rebuilt
    entities_error: str | None = None  # why articles were indexed without entities
    entities_recognised: int = 0  # articles given their entities by this run
    entities_pending: int = 0  # articles still waiting for them (entities off, or the run stopped)
    entities_on: bool = True  # whether this run recognised entities (the folder's setting)

    def to_json(self) -> dict:
        return {
            "files_indexed": self.files_indexed,
            "articles_indexed": self.articles_indexed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "duplicates": self.duplicates,
            "in_stories": self.in_stories,
            "skipped": [{"path": s.relpath, "reason": s.reason} for s in self.skipped],
            "warnings": [{"path": s.relpath, "reason": s.reason} for s in self.warnings],
            "total_articles": self.total_articles,
            "seconds": round(self.seconds, 3),
            "note": self.note,
            "entities_error": self.entities_error,
            "entities_recognised": self.entities_recognised,
            "entities_pending": self.entities_pending,
            "entities_on": self.entities_on,
        }


TEXT, ENTITIES = "text", "entities"  # the two passes of a run, in this order
# progress(done, total, articles, stage): the text pass counts files (done of total) and the
# articles indexed; the entity pass counts articles recognised of those waiting.
Progress = Callable[[int, int, int, str], None]


MAX_ABOUTNESS = 12
LEAD_CHARS = 400  # the opening: the first paragraph, at most this long


def aboutness(mentions: int, in_title: bool, in_lead: bool) -> int:
    """How much an article is about an entity, from 1 (named once, in passing) to
    MAX_ABOUTNESS: its mentions, and more when the headline or the opening names it."""
    return min(MAX_ABOUTNESS, mentions + 3 * in_title + in_lead)


def _in_title(folded_title: str, names: set[str]) -> bool:
    return any(name and f" {name} " in folded_title for name in names)


def _lead_end(text: str) -> int:
    paragraph = text.find("\n\n", 1)
    return min(LEAD_CHARS, paragraph) if paragraph > 0 else LEAD_CHARS


def entity_fields(article: Article, registry: EntityRegistry | None) -> dict:
    """Keys as recognised (the registry learns them); query words per kind; facet column; spans."""
    if not article.entities:
        return {}
    spans: list[list] = []
    mentions: Counter = Counter()
    first_at: dict[str, int] = {}
    words: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for span in article.entities:
        surface = article.text[span.start:span.end]
        if registry:
            registry.canonical(span.key, span.name, surface)  # the registry learns the name
        # The key as recognised, not as the registry has it merged today: readers resolve it
        # (index/entity_registry.py), so a merge undone or a variant split off later moves
        # exactly these mentions, without re-indexing.
        key, name = span.key, span.name
        spans.append([span.start, span.end, span.label, key, name])
        mentions[key] += 1
        first_at.setdefault(key, span.start)
        kind = KIND_OF_LABEL[span.label]
        names = words[kind][key]
        names.update((fold(name), key.partition(":")[2], fold(surface)))
    fields: dict = {"entities": spans}
    folded_title, lead_end = f" {fold(article.title)} ", _lead_end(article.text)  # once per article
    for kind, by_key in words.items():
        parts = []
        for key, names in by_key.items():
            # This article's own words for the entity: a search for it reaches the other
            # spellings through the registry when it is run (query.with_entity_variants).
            parts.append(" ".join(sorted(names)))
            # The key's own words once more per point of aboutness: an entity query ranks the
            # articles about the entity above those that name it in passing.
            weight = aboutness(mentions[key], _in_title(folded_title, names), first_at[key] < lead_end)
            parts.extend([key.partition(":")[2]] * (weight - 1))
        fields[kind] = " , ".join(parts)
    fields["entity_keys"] = "\n".join(f"{k}\t{n}" for k, n in mentions.items()).encode("utf-8")
    return fields


def to_document(article: Article, signature: str, registry: EntityRegistry | None = None,
                fp: str | None = None, pending: bool = False) -> dict:
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
    if fp:
        doc["fingerprint"] = fp
    if article.dateline:
        doc["dateline"] = article.dateline
    if article.date_from:
        doc["date_from"] = article.date_from
    if article.authors:
        doc["author"] = " ; ".join(article.authors)
    if article.source:
        doc["source"] = article.source
        doc["source_facet"] = article.source
    if article.date:
        doc["date"] = dt.datetime.combine(article.date, dt.time())
        doc["year"] = f"{article.date.year:04d}"
        doc["month"] = f"{article.date.year:04d}-{article.date.month:02d}"
    if pending:
        doc[PENDING_FIELD] = "1"
    doc.update(entity_fields(article, registry))
    return doc


def waiting_for_entities(ix) -> dict[str, tuple[str, int]]:
    """file -> (signature, articles) for every file with articles still waiting for entities."""
    waiting: dict[str, tuple[str, int]] = {}
    with ix.searcher() as searcher:
        if PENDING_FIELD not in searcher.schema:
            return waiting
        docnums = list(searcher.docs_for_query(Term(PENDING_FIELD, "1")))
        if not docnums:
            return waiting  # (an empty index has no columns to read)
        reader = searcher.reader()
        files, sigs = reader.column_reader("file"), reader.column_reader("signature")
        for docnum in docnums:
            path = files[docnum]
            _, count = waiting.get(path, ("", 0))
            waiting[path] = (sigs[docnum], count + 1)
    return waiting


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


class Fingerprints:
    """Which file holds the indexed copy of each text, kept up to date through a run, and
    the duplicate records to write with each commit."""

    def __init__(self, ix, store: DuplicateStore):
        self.store = store
        self.owner: dict[str, str] = {}  # fingerprint -> file
        self.of_file: dict[str, set[str]] = defaultdict(set)
        with ix.reader() as reader:
            if reader.doc_count():
                files = reader.column_reader("file")
                prints = reader.column_reader("fingerprint")
                for docnum in reader.all_doc_ids():
                    if fp := column_value(prints, docnum):
                        self.owner.setdefault(fp, files[docnum])
                        self.of_file[files[docnum]].add(fp)
        self.forget: set[str] = set()  # files whose duplicate records go
        self.rows: list[tuple] = []  # duplicate records to add

    def release(self, path: str) -> None:
        """The file's articles leave the index: its texts are free to be indexed from another."""
        for fp in self.of_file.pop(path, ()):
            if self.owner.get(fp) == path:
                del self.owner[fp]
        self.forget.add(path)

    def claim(self, article: Article, signature: str) -> str | None:
        """The article's fingerprint if it is to be indexed, or None when it is a copy (recorded)."""
        fp = fingerprint(article)
        if fp is None:
            return ""
        if fp in self.owner:
            self.rows.append(duplicate_row(article, signature, fp))
            return None
        self.owner[fp] = article.path
        self.of_file[article.path].add(fp)
        return fp

    def save(self) -> None:
        """With each index commit: a crash in between only makes the next run read a copy again."""
        self.store.replace(self.forget, self.rows)
        self.forget, self.rows = set(), []


def read_file(found: FoundFile) -> tuple[list[Article], list[str]]:
    data = read_regular_file(found.abspath)
    return read_articles(data, found.relpath)


def read_regular_file(path: str) -> bytes:
    """The bytes of a regular file, never blocking: opened without waiting (a FIFO or device
    swapped in after the walk is refused, not waited on) and read only up to the size the
    file has when opened (a kernel file that says 0 and streams forever reads as empty)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file")
        chunks, left = [], st.st_size
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


@dataclass
class Prepared:
    found: FoundFile
    articles: list[Article]
    warnings: list[str]
    error: str | None


def prepare_files(files: list[FoundFile], with_entities: bool) -> tuple[list[Prepared], str | None]:
    """Read files and recognise their entities. Runs in a worker process for large jobs.

    Returns the prepared files and, if the recogniser could not be loaded, why.
    """
    prepared = []
    for found in files:
        try:
            articles, warnings = read_file(found)
            prepared.append(Prepared(found, articles, warnings, None))
        except Unreadable as exc:
            prepared.append(Prepared(found, [], [], str(exc)))
        except Exception as exc:  # a reader bug must cost one file, never the run
            prepared.append(Prepared(found, [], [], f"could not be read ({type(exc).__name__}: {exc})"))
    if not with_entities:
        return prepared, None
    articles = [a for p in prepared for a in p.articles]
    try:
        spans = recognize_many([a.text for a in articles])
    except ModelUnavailable as exc:
        return prepared, str(exc)
    except Exception:
        spans = [_recognize_one(a.text) for a in articles]  # find the article that fails
    recognised = iter(spans)
    for p in prepared:
        p.articles = [dataclasses.replace(a, entities=tuple(next(recognised))) for a in p.articles]
        for a in p.articles:
            if len(a.text) > MAX_CHARS:
                p.warnings.append(f"entities recognised in the first {MAX_CHARS:,} of {len(a.text):,} characters")
    return prepared, None


def _recognize_one(text: str) -> list[EntitySpan]:
    try:
        return recognize_many([text])[0]
    except ModelUnavailable:
        raise
    except Exception:
        return []  # this article is indexed without entities


def _chunks(files: list[FoundFile], articles: dict[str, int] | None) -> Iterator[list[FoundFile]]:
    """Jobs of files: counted in files when reading, in articles when recognising (a file's
    articles stay together: they are replaced in the index together)."""
    chunk: list[FoundFile] = []
    weight, limit = 0, FIRST_CHUNK_ARTICLES if articles else FIRST_CHUNK_FILES
    for found in files:
        chunk.append(found)
        weight += articles.get(found.relpath, 1) if articles else 1
        if weight >= limit:
            yield chunk
            chunk, weight, limit = [], 0, CHUNK_ARTICLES if articles else CHUNK_FILES
    if chunk:
        yield chunk


def worker_count() -> int:
    if env := os.environ.get("DOSSIER_WORKERS"):
        return max(1, int(env))
    # One core stays with the writer, which overlaps with recognition.
    return max(1, (os.cpu_count() or 2) - 1)


def _prepared_stream(files: list[FoundFile], articles: dict[str, int] | None
                     ) -> Iterator[tuple[list[Prepared], str | None]]:
    """Prepared chunks in file order: read only, or read and recognised when `articles` (file
    -> articles to recognise) is given. Recognition runs in worker processes while the caller
    writes the previous chunks, with a bounded number of chunks in flight."""
    with_entities = articles is not None
    chunks = _chunks(files, articles)
    if not with_entities or sum(articles.values()) <= IN_PROCESS_ARTICLES:  # not worth a process
        for chunk in chunks:
            yield prepare_files(chunk, with_entities)
        return
    workers = worker_count()
    context = multiprocessing.get_context("spawn")  # no forked copies of a threaded parent
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(prepare_files, chunk, with_entities))
            if len(pending) >= workers * 3:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def ingest(corpus: Corpus, progress: Progress | None = None, entities: bool = True,
           reread: bool = False, stories: bool = True) -> IngestReport:
    """Bring the index of `corpus` up to date with its folder, in two passes: the text of new
    and changed files first (searchable as each batch commits), then, when `entities`, the
    named entities of every article still waiting for them. A run stopped in either pass
    resumes where it stopped. With `reread`, every file is read again, changed or not: for
    text read by a newer dossier (its repairs, its formats). `stories=False` leaves stories
    out (index/stories.py; for measuring what grouping costs)."""
    started = time.perf_counter()
    report = IngestReport(entities_on=entities)
    ix, report.note = corpus.open_index()
    store = story_store = None
    try:
        store = DuplicateStore(corpus.index_path)
        if stories:
            story_store = StoryStore(corpus.index_path)
            if not story_store.is_complete():
                _record_stories_of_index(ix, story_store)
        files, report.skipped = walk(corpus.root)
        files_seen = len(files) + len(report.skipped)
        # Files whose articles are all copies are known by their duplicate records.
        known = {**store.signatures(), **indexed_signatures(ix)}
        present = {f.relpath for f in files}
        changed = files if reread else [f for f in files if known.get(f.relpath) != f.signature]
        report.unchanged = len(files) - len(changed)
        removed = [path for path in known if path not in present]

        if changed or removed:
            prints = Fingerprints(ix, store)
            # Copies of what a changed or removed file held are read again after it: one of
            # them may now be the copy to index.
            touched = set(removed) | {f.relpath for f in changed}
            orphaned = set().union(*(prints.of_file.get(p, set()) for p in touched)) if touched else set()
            again = store.files_with(orphaned) - touched if orphaned else set()
            changed += [f for f in files if f.relpath in again]

            if progress:  # the files are found: say how many there are before the first is read
                progress(0, len(changed), 0, TEXT)

            def text_done(files_done: int) -> None:
                if progress:
                    progress(files_done, len(changed), report.articles_indexed, TEXT)

            _guard_disk(corpus, _write_changes, ix, report, removed, changed, None, text_done, prints,
                        story_store)
            _keep_word_lists(ix, corpus)
        if story_store is not None:
            story_store.mark_complete()
        corpus.record_run(files_seen, [(s.relpath, s.reason) for s in report.skipped])

        waiting = waiting_for_entities(ix)
        # A file changed since its text went in is read again by the next run's text pass.
        todo = [f for f in files if f.relpath in waiting and waiting[f.relpath][0] == f.signature]
        if entities and todo:
            _recognise(corpus, ix, store, report, todo, {f.relpath: waiting[f.relpath][1] for f in todo}, progress)
            waiting = waiting_for_entities(ix)
        report.entities_pending = sum(count for _, count in waiting.values())
        report.total_articles = ix.doc_count()
    except sqlite3.Error as exc:
        raise CorpusError(f"cannot use the duplicate or story records in {corpus.index_path} ({exc})") from None
    finally:
        ix.close()
        if store is not None:
            store.close()
        if story_store is not None:
            story_store.close()
    report.seconds = time.perf_counter() - started
    return report


# Signing a text for stories (index/stories.py) costs the writer a sixth of its time per
# article: a big run signs in a worker process while the writer writes. Small runs sign
# here (a worker takes a second to start).
SIGN_BATCH = 250  # texts per job
SIGN_IN_PROCESS = 2000  # articles a run signs itself before it starts the worker


class StoryFeed:
    """The run's texts on their way to the story store, in the order they were indexed:
    signed here while the run is small, then in a worker process, and recorded as the
    signatures come back. flush() before each commit: the store holds every article the
    index does."""

    def __init__(self, store: StoryStore, report: IngestReport):
        self.store, self.report = store, report
        self.fed = 0
        self.waiting: list[tuple[str, str, str]] = []
        self.jobs: deque = deque()
        self.pool: ProcessPoolExecutor | None = None
        self.broken = False  # the worker died: the rest is signed here

    def add(self, fp: str, file: str, text: str) -> None:
        self.fed += 1
        if self.broken or (self.pool is None and self.fed <= SIGN_IN_PROCESS):
            self._record(self.store.add(fp, file, text))
            return
        self.waiting.append((fp, file, text))
        if len(self.waiting) >= SIGN_BATCH:
            self._send()
        self._collect(wait=False)

    def remove_files(self, files: set[str]) -> None:
        self.flush()  # a file read again: its old articles go before its new ones come
        self.store.remove_files(files)

    def flush(self) -> None:
        if self.waiting:
            self._send()
        self._collect(wait=True)

    def save(self) -> None:
        self.flush()
        self.store.save()

    def close(self) -> None:
        if self.pool is not None:  # after a flush nothing is running: wait for the worker's exit
            self.pool.shutdown(wait=not self.jobs, cancel_futures=True)

    def _send(self) -> None:
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                            initializer=die_with_parent, initargs=(os.getpid(),))
        batch, self.waiting = self.waiting, []
        self.jobs.append((batch, self.pool.submit(sign_many, [text for _, _, text in batch])))

    def _collect(self, wait: bool) -> None:
        while self.jobs and (wait or self.jobs[0][1].done()):
            batch, job = self.jobs.popleft()
            try:
                signed = job.result()
            except Exception:  # the worker died (killed, out of memory): sign here from now on
                self.broken = True
                signed = [None] * len(batch)
            for (fp, file, text), made in zip(batch, signed):
                self._record(self.store.add(fp, file, signed=made) if made is not None
                             else self.store.add(fp, file, text))

    def _record(self, outcome: str) -> None:
        self.report.in_stories += outcome == "joined"


def _record_stories_of_index(ix, story_store: StoryStore) -> None:
    """An index made before stories existed: group the articles it holds (their text is
    stored), once, before the run adds new ones."""
    with ix.reader() as reader:
        if reader.doc_count():
            prints = reader.column_reader("fingerprint")
            for docnum, stored in reader.iter_docs():
                if fp := column_value(prints, docnum):
                    story_store.add(fp, stored.get("file", ""), stored.get("body", ""))
    story_store.save()


def _recognise(corpus: Corpus, ix, store: DuplicateStore, report: IngestReport, files: list[FoundFile],
               articles: dict[str, int], progress: Progress | None) -> None:
    """The entity pass: each file's articles are read again, recognised, and replace their
    text-only versions (same signature, so the text pass leaves them alone)."""
    total = sum(articles.values())
    if progress:
        progress(0, total, 0, ENTITIES)
    registry = EntityRegistry(load_aliases(), corpus.index_path / REGISTRY_NAME)
    passed = IngestReport()

    def recognised(_files_done: int) -> None:
        if progress:
            progress(passed.articles_indexed, total, passed.articles_indexed, ENTITIES)

    _guard_disk(corpus, _write_changes, ix, passed, [], files, (registry, articles), recognised,
                Fingerprints(ix, store))
    report.entities_recognised = passed.articles_indexed
    report.entities_error = passed.entities_error
    # A file that became unreadable since the text pass, or a recognition warning.
    report.skipped.extend(s for s in passed.skipped if s not in report.skipped)
    report.warnings.extend(passed.warnings)


def _guard_disk(corpus: Corpus, write, *args) -> None:
    try:
        write(*args)
    except OSError as exc:
        # A full or read-only disk mid-run: the uncommitted batch is dropped; what was
        # committed before stays searchable, and the next run resumes from there.
        raise CorpusError(f"cannot write the index in {corpus.index_path} ({exc.strerror or exc}); "
                          "earlier batches are kept, run dossier index again when there is room") from None


def _keep_word_lists(ix, corpus: Corpus) -> None:
    """Read the new segments' words into the word cache now, so that the first wildcard or
    fuzzy term after indexing does not pay for it (0.1 s per segment and field)."""
    try:
        with ix.reader() as reader:
            lexicons = Lexicons(reader, corpus.word_cache)
            for name in PATTERN_FIELDS:
                lexicons.words(name)
    except OSError:
        pass  # only a head start: the first query reads them instead


def _write_changes(ix, report: IngestReport, removed, changed, recognition, done_files: Callable[[int], None],
                   prints: Fingerprints, story_store: StoryStore | None = None) -> None:
    """Delete removed files, then read changed ones and add their articles, committing in
    batches. Without `recognition` the articles go in text only, marked as waiting for
    entities; with it, (registry, file -> articles) of the entity pass, with their entities.
    With `story_store`, each new text joins its story (the text pass: the entity pass adds
    the same texts again)."""
    registry, articles_of = recognition or (None, None)
    feed = StoryFeed(story_store, report) if story_store is not None else None
    writer = _writer(ix)
    try:
        for path in removed:
            writer.delete_by_term("file", path)
            prints.release(path)
        if feed is not None:
            feed.remove_files(set(removed))
        report.removed = len(removed)
        pending = done = 0
        began = last_commit = time.monotonic()
        first_batch = True
        for prepared, model_error in _prepared_stream(changed, articles_of):
            if model_error:
                # No model: these articles keep their text-only versions and stay waiting, so
                # they are recognised once the model is installed.
                report.entities_error = model_error
                break
            for item in prepared:
                done += 1
                indexed_before = item.found.relpath in prints.of_file
                writer.delete_by_term("file", item.found.relpath)
                prints.release(item.found.relpath)
                if feed is not None and indexed_before:  # its old texts leave their stories
                    feed.remove_files({item.found.relpath})
                if item.error:
                    report.skipped.append(Skipped(item.found.relpath, item.error))
                    continue
                added = 0
                for article in item.articles:
                    fp = prints.claim(article, item.found.signature)
                    if fp is None:
                        report.duplicates += 1
                        continue
                    writer.add_document(**to_document(article, item.found.signature, registry, fp,
                                                      pending=recognition is None))
                    added += 1
                    if feed is not None and fp:
                        feed.add(fp, article.path, article.text)
                report.files_indexed += 1
                report.articles_indexed += added
                pending += added
                report.warnings.extend(Skipped(item.found.relpath, w) for w in item.warnings)
            now = time.monotonic()
            if first_batch:
                limit, interval = FIRST_BATCH_ARTICLES, BATCH_SECONDS
            else:
                limit = min(max(BATCH_ARTICLES, int(report.articles_indexed * BATCH_GROWTH)), MAX_BATCH_ARTICLES)
                interval = min(max(BATCH_SECONDS, (now - began) * BATCH_GROWTH), MAX_BATCH_SECONDS)
            if pending >= limit or (pending and now - last_commit > interval):
                # The registry and stories first: a reader that sees the commit must find them.
                if registry:
                    registry.save(decide=False)
                if feed is not None:
                    feed.save()
                writer.commit(mergetype=merge_small_and_emptied)
                prints.save()
                crashpoints.reached("batch-committed")
                writer = _writer(ix)
                pending, last_commit, first_batch = 0, time.monotonic(), False
            done_files(done)
        if registry:
            registry.save()
        if feed is not None:
            feed.save()
        writer.commit(mergetype=merge_small_and_emptied)
        prints.save()
        crashpoints.reached("batch-committed")
    except BaseException:
        try:
            writer.cancel()  # release the lock; the batch in progress is dropped
        except Exception:
            pass
        raise
    finally:
        if feed is not None:
            feed.close()


def _writer(ix):
    try:
        writer = ix.writer(timeout=LOCK_TIMEOUT, limitmb=WRITER_MB)
    except LockError:
        raise IndexBusy(
            "another dossier process is indexing this corpus right now; try again when it has finished"
        ) from None
    except OSError as exc:
        raise CorpusError(f"cannot write the index ({exc.strerror or exc})") from None
    # Fields added since the index was made, without a rebuild: stored ones hold nothing to
    # search, and an older index's articles have no entities waiting.
    for name, field_type in build_schema().items():
        if name not in writer.schema and (isinstance(field_type, STORED) or name == PENDING_FIELD):
            writer.add_field(name, field_type)
    return writer
