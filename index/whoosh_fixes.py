"""Fixes for Whoosh-Reloaded 2.7.5 hot spots, applied once when `index` is imported.

Each fix keeps Whoosh's behaviour and only removes repeated work; tests/test_whoosh_fixes.py
checks the behaviour did not change.
"""

from __future__ import annotations

from whoosh.codec import whoosh3


def _cached_reader(self, fieldname, column):
    """Cache a missing column too, not only a present one.

    Whoosh asks the per-document reader for a field's length column once per posting when
    it writes a segment (and once per scored document when it ranks). For fields without
    lengths (ID fields, spelling words) the original looked for the column file on disk every
    time: a third of the indexing time went on os.path.exists.
    """
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


whoosh3.W3PerDocReader._cached_reader = _cached_reader
