"""Reading one article back from the index: by id or a prefix of one, with its entities
under the names the corpus gives them now, and where else its text appeared."""

from __future__ import annotations

import dataclasses
import sqlite3

from whoosh import query as wq

from .article import Article
from .corpus import CorpusError
from .duplicates import STORE_NAME, Appearance, DuplicateStore
from .article import EntitySpan
from .kinds import KIND_OF_LABEL, LABEL_OF_KIND
from .results import to_date
from .schema import column_value
from .view import IndexView


def resolve_id(view: IndexView, id_or_prefix: str) -> str:
    """A full article id from an id or a unique prefix of one (at least 4 characters)."""
    key = id_or_prefix.strip().lower()
    searcher = view.searcher
    if searcher.document_number(id=key) is not None:
        return key
    if len(key) >= 4:
        ids = [f["id"] for f in searcher.search(wq.Prefix("id", key), limit=2)]
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise CorpusError(f"'{id_or_prefix}' matches more than one article; give more of the id")
    raise CorpusError(f"no article with id '{id_or_prefix}'")


def read_article(view: IndexView, article_id: str) -> Article:
    stored = view.searcher.document(id=article_id)
    return Article(
        id=stored["id"],
        path=stored.get("file", ""),
        title=stored.get("title", ""),
        text=stored.get("body", ""),
        authors=tuple(stored.get("authors") or ()),
        date=to_date(stored.get("date")),
        source=stored.get("source"),
        url=stored.get("url"),
        dateline=stored.get("dateline"),
        date_from=stored.get("date_from"),
        position=stored.get("position") or 0,
        entities=tuple(current_span(view, EntitySpan(*span)) for span in stored.get("entities") or ()
                       if not view.registry.is_ignored(span[3])),
    )


def current_span(view: IndexView, span: EntitySpan) -> EntitySpan:
    """A stored span under the key and name the registry gives it now (its key may have
    been taken into another, or its group named otherwise, since the article was indexed)."""
    registry = view.registry
    key = registry.resolve(span.key)
    # A registry older than the article (read between an index commit and its save, or
    # lost) does not know the key: the name stored with the span stands.
    name = registry.name(key, default=span.name if key == span.key else None)
    if (key, name) == (span.key, span.name):
        return span
    kind = key.partition(":")[0]
    label = span.label if KIND_OF_LABEL.get(span.label) == kind else LABEL_OF_KIND[kind]
    return dataclasses.replace(span, key=key, name=name, label=label)


def fingerprint(view: IndexView, article_id: str) -> str | None:
    docnum = view.searcher.document_number(id=article_id)
    if docnum is None:
        return None
    return column_value(view.reader.column_reader("fingerprint"), docnum)


def also_in(view: IndexView, fp: str | None) -> list[Appearance]:
    """Where else a text appeared (copies in other files, not indexed again)."""
    if not fp:
        return []
    path = view.corpus.index_path / STORE_NAME
    if not path.exists():
        return []
    try:
        store = DuplicateStore(view.corpus.index_path)
        try:
            return store.appearances(fp)
        finally:
            store.close()
    except sqlite3.Error:
        return []  # the records are rebuilt by the next indexing run
