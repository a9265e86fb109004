"""The Whoosh schema. Bump SCHEMA_VERSION whenever a field changes: old indexes are rebuilt."""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.support.charset import accent_map
from whoosh.fields import COLUMN, DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.scoring import BM25F

from .kinds import KINDS

SCHEMA_VERSION = 3

# One index field per entity kind (index/kinds.py).
ENTITY_FIELDS = KINDS
# "1" on an article whose text is indexed and whose entities are not recognised yet: the entity
# pass (index/ingest.py) finds its work here, so it resumes after a kill and after entities
# are turned back on. Absent, as on every article indexed before text came first, means done.
PENDING_FIELD = "entities_pending"


def ranking() -> BM25F:
    """BM25F as dossier ranks: an entity field's words are repeated by how much the article is
    about the entity (index/ingest.py, `aboutness`), so its length must not count against it
    (B=0): a story naming Blair once and eleven other people is not more about him."""
    return BM25F(**{f"{field}_B": 0.0 for field in ENTITY_FIELDS})


def build_schema() -> Schema:
    words = StemmingAnalyzer()
    names = RegexTokenizer(r"\w+(?:[.'’]\w+)*") | LowercaseFilter()
    # Entity names as folded words: `person:soleimani` and `person:"qasem soleimani"` both match.
    entity_words = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
    path_parts = RegexTokenizer(r"[^/\\._\-\s]+") | LowercaseFilter()
    return Schema(
        id=ID(stored=True, unique=True),
        file=ID(stored=True, sortable=True),  # relative path: incremental updates delete by it
        signature=ID(stored=True, sortable=True),  # size:mtime of the file when it was read
        fingerprint=ID(sortable=True),  # of the text: a later copy of it is a duplicate (index/duplicates.py)
        position=STORED,
        path=TEXT(analyzer=path_parts),
        # chars=True stores character offsets, so hits highlight without re-tokenising.
        title=TEXT(stored=True, analyzer=words, field_boost=2.0, spelling=True, chars=True),
        body=TEXT(stored=True, analyzer=words, spelling=True, chars=True),
        author=TEXT(analyzer=names),
        authors=STORED,
        source=TEXT(stored=True, analyzer=names),
        source_facet=ID(sortable=True),
        date=DATETIME(stored=True, sortable=True),
        # YYYYMMDD, 0 when undated: sorting newest first puts undated articles last.
        sortdate=NUMERIC(bits=32, sortable=True, signed=False),
        year=ID(sortable=True),
        month=ID(sortable=True),
        url=STORED,
        # Added after SCHEMA_VERSION 3 without a rebuild: ingest adds stored fields an older
        # index lacks (they hold nothing to search, so old documents simply have none).
        dateline=STORED,
        date_from=STORED,  # "file name" or "text" when the date was inferred
        # Entities: each kind's canonical names and variants as words, for queries; every
        # canonical key with its mention count in a column, for facets; the spans, for
        # highlighting.
        person=TEXT(analyzer=entity_words),
        org=TEXT(analyzer=entity_words),
        place=TEXT(analyzer=entity_words),
        group=TEXT(analyzer=entity_words),
        event=TEXT(analyzer=entity_words),
        entity_keys=COLUMN(),
        entities=STORED,
        entities_pending=ID(),  # PENDING_FIELD; added to an older index by ingest, no rebuild
    )


def column_value(column, docnum: int):
    """A document's value in a column, or None. Whoosh leaves trailing documents without a
    value out of a segment's column (documents added by an older dossier, or without the
    field) and then fails with IndexError instead of returning the default."""
    try:
        return column[docnum]
    except IndexError:
        return None
