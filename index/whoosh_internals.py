"""Fixes for Whoosh-Reloaded 2.7.5 hot spots, applied once when `index` is imported.

Each fix keeps Whoosh's behaviour and only removes repeated work; tests/test_whoosh_fixes.py
checks the behaviour did not change.
"""

from __future__ import annotations

import pickle

from whoosh.codec import whoosh3
from whoosh.filedb.structfile import BufferFile


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


_PEEK_BYTES = 64  # a block header is ~30 bytes; the unpickler falls back to read() for more


class _ViewReader:
    """A read-only, seekable file over a buffer that copies only the bytes read."""

    def __init__(self, buf):
        self._buf = buf
        self._pos = 0

    def seek(self, offset, whence=0):
        base = (0, self._pos, len(self._buf))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self):
        return self._pos

    def read(self, size=-1):
        end = len(self._buf) if size is None or size < 0 else min(self._pos + size, len(self._buf))
        data = bytes(self._buf[self._pos:end])
        self._pos = max(self._pos, end)
        return data

    def peek(self, size=1):
        """The next bytes without moving. Whoosh reads each posting block's header with
        pickle.load; with peek, the unpickler takes the header in one call instead of one
        read() per opcode (17 -> 3 µs a block, ~2,000 blocks for a common word at 345k)."""
        return bytes(self._buf[self._pos:self._pos + min(max(size, 1), _PEEK_BYTES)])

    def readline(self, size=-1):
        end = len(self._buf) if size is None or size < 0 else min(self._pos + size, len(self._buf))
        view = bytes(self._buf[self._pos:end])
        cut = view.find(b"\n")
        return self.read(cut + 1 if cut >= 0 else len(view))

    def __iter__(self):
        while line := self.readline():
            yield line

    def close(self):
        self._buf = b""


def _buffer_file_init(self, buf, name=None, onclose=None):
    """Whoosh opened every file inside a compound segment as BytesIO(memoryview of the
    mmap), which copies the whole file: opening a 345k-article index copied its terms and
    postings into memory (over 600 MB anonymous memory after one search, 2 s to open), and the
    indexer's memory grew with every commit. The file now reads the mmap in place."""
    self._buf = buf
    self._name = name
    self.file = _ViewReader(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


BufferFile.__init__ = _buffer_file_init


def _dumps_current_protocol(obj, protocol=None):
    """Posting blocks are pickled with protocol 5, not Whoosh's 2.

    A block holds each posting's character positions as a bytes value, and protocol 2 writes
    bytes as a call to `_codecs.encode`: reading a block ran one Python call per posting, which
    made unpickling 10x slower than the read and the blocks a third larger (Reuters: "said",
    15,000 postings, 24 -> 6 ms to decode). `pickle.loads` reads either protocol, so indexes
    written before this still open, and their segments are rewritten as they merge.
    """
    return pickle.dumps(obj, 5)  # fixed, not HIGHEST_PROTOCOL: an index must open on every Python we support


whoosh3.dumps = _dumps_current_protocol
