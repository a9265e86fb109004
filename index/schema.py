"""The Whoosh schema. Bump SCHEMA_VERSION whenever a field changes: old indexes are rebuilt."""

from __future__ import annotations

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

SCHEMA_VERSION = 1

# Entity kinds and the spaCy labels they gather (filled by the entities module).
ENTITY_FIELDS = ("person", "org", "place", "group", "event")


def build_schema() -> Schema:
    words = StemmingAnalyzer()
    names = RegexTokenizer(r"\w+(?:[.'’]\w+)*") | LowercaseFilter()
    path_parts = RegexTokenizer(r"[^/\\._\-\s]+") | LowercaseFilter()
    return Schema(
        id=ID(stored=True, unique=True),
        file=ID(stored=True, sortable=True),  # relative path: incremental updates delete by it
        signature=ID(stored=True, sortable=True),  # size:mtime of the file when it was read
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
        # Entities: canonical keys per kind, and the spans for highlighting (issue 3).
        person=KEYWORD(commas=True, scorable=True),
        org=KEYWORD(commas=True, scorable=True),
        place=KEYWORD(commas=True, scorable=True),
        group=KEYWORD(commas=True, scorable=True),
        event=KEYWORD(commas=True, scorable=True),
        entities=STORED,
    )
