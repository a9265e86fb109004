"""Whoosh's private parts: the only module that touches them.

dossier reads some of Whoosh-Reloaded's internals directly, where its public API costs too
much (a numeric column read value by value, a word's postings matcher by matcher), and
fixes three of its hot spots. Every private name of Whoosh that dossier uses is in this
file, so a new Whoosh is checked here: tests/test_whoosh_internals.py fails when the installed
version is not WHOOSH_VERSION and says what to re-check.

The fixes are applied by `apply_fixes()`, called where an index is opened or created
(index/corpus.py), not as a side effect of an import. Each keeps Whoosh's behaviour and only
removes repeated work; tests/test_whoosh_internals.py checks the behaviour did not change.
"""

from __future__ import annotations

import copy
import functools
import pickle
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile

from .schema import column_value

WHOOSH_VERSION = "2.7.5"  # whoosh-reloaded, pinned in pyproject.toml
# What to read again in a new Whoosh before moving the pin (each is used below):
RECHECK = (
    "W3PerDocReader._cached_reader/_readers/_perdoc, W3LeafMatcher block fields "
    "(_postfile, _dataoffset, _nextoffset, _compression, _blocklength, _lastblock, _goto), "
    "fixed-width column readers (_dbfile, _basepos, _count, _fixedlen, _typecode, _default), "
    "W3TermsReader (_tindex, _keycoder, the W3TermInfo layout), whoosh3.dumps, BufferFile.__init__, "
    "BM25F._field_B, TOC._latest_generation, SegmentWriter._commit_toc and add_reader, "
    "index.clean_files, pattern queries' _btexts, Schema._fields"
)


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




def _dumps_current_protocol(obj, protocol=None):
    """Posting blocks are pickled with protocol 5, not Whoosh's 2.

    A block holds each posting's character positions as a bytes value, and protocol 2 writes
    bytes as a call to `_codecs.encode`: reading a block ran one Python call per posting, which
    made unpickling 10x slower than the read and the blocks a third larger (Reuters: "said",
    15,000 postings, 24 -> 6 ms to decode). `pickle.loads` reads either protocol, so indexes
    written before this still open, and their segments are rewritten as they merge.
    """
    return pickle.dumps(obj, 5)  # fixed, not HIGHEST_PROTOCOL: an index must open on every Python we support


_applied = False


def apply_fixes() -> None:
    """Patch Whoosh's hot spots (above). Idempotent; called before an index is opened."""
    global _applied
    if _applied:
        return
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    BufferFile.__init__ = _buffer_file_init
    whoosh3.dumps = _dumps_current_protocol
    _applied = True


# -- reading what Whoosh keeps private ------------------------------------------------------

def numeric_column(leaf, field: str) -> Sequence[int]:
    """Every document's value of a numeric column in one segment, read as one block when
    Whoosh's column is the fixed-width kind (otherwise value by value)."""
    count = leaf.doc_count_all()
    if count == 0:  # an index with no commit yet has no columns at all (EmptyReader)
        return []
    column = leaf.column_reader(field, translate=False)
    try:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = array(column._typecode)
        values.frombytes(raw)
        if sys.byteorder == "little":  # stored big-endian
            values.byteswap()
        values.extend([column._default] * (count - len(values)))  # trailing defaults are not stored
        return values
    except AttributeError:
        return [column_value(column, d) or 0 for d in range(count)]


def length_bytes(leaf, field: str) -> bytes | None:
    """A segment's field lengths as Whoosh stores them (one byte per document, in its
    length code), or None when the field keeps no lengths."""
    column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return None
    return column._dbfile.get(column._basepos, column._count * column._fixedlen)


def term_matcher(leaf, field: str, btext: bytes):
    """A word's postings matcher in one segment, deletions not filtered (the caller does)."""
    return leaf._terms.matcher(field, btext, leaf.schema[field].format)


def posting_blocks(matcher) -> Iterator[tuple[int, Callable[[], tuple]]] | None:
    """For a matcher of postings stored in blocks: an iterator of each block's last document
    number (from its header) and a function that decodes the block in one piece into (ids as
    gaps, weights, values, count), so a block no wanted document falls in is never
    decompressed. None for postings kept inside the word's entry (a rare word), which are
    read through the matcher's public methods."""
    if not isinstance(matcher, W3LeafMatcher):
        return None

    def blocks():
        postfile = matcher._postfile
        while True:
            start, end = matcher._dataoffset, matcher._nextoffset
            yield matcher._maxid, functools.partial(_read_block, postfile, start, end,
                                                    matcher._compression, matcher._blocklength)
            if matcher._lastblock:
                break
            matcher._goto(matcher._nextoffset)

    return blocks()


def _read_block(postfile, start: int, end: int, compression, count: int) -> tuple:
    data = postfile.get(start, end - start)
    if compression:
        data = zlib.decompress(data)
    block_ids, block_weights, block_values = pickle.loads(data)
    return block_ids, block_weights, block_values, count


def field_b(weighting, field: str) -> float:
    """BM25F's B for a field (its per-field value, else the default)."""
    return weighting._field_B.get(field, weighting.B)


def segment_words(leaf, field: str) -> tuple[list[bytes], array] | None:
    """A segment's words of `field` with the number of articles holding each, read from its
    term table in one pass; None when the segment is not Whoosh's W3 codec."""
    terms = getattr(leaf, "_terms", None)
    table = getattr(terms, "_tindex", None)
    if table is None or not hasattr(terms, "_keycoder"):
        return None
    words, counts = [], array("I")
    prefix = terms._keycoder(field, b"")
    skip = len(prefix)
    doc_frequency = struct.Struct("!I").unpack_from  # W3TermInfo: flags, weight, doc frequency
    for key, value in table.items_from(prefix):
        if not key.startswith(prefix):
            break
        words.append(key[skip:])
        counts.append(doc_frequency(value, 5)[0])
    return words, counts


def pattern_words(node, reader):
    """The indexed words a pattern query (wildcard, prefix, regex, range) stands for."""
    return node._btexts(reader)


def schema_with_fields(schema, fields: dict):
    """A copy of a schema with more fields, for a query parser only (Schema.copy() fails on
    spelling fields; a shallow copy with its own field table will do)."""
    copied = copy.copy(schema)
    copied._fields = dict(schema._fields)
    for name, field in fields.items():
        if name not in copied:
            copied.add(name, field)
    return copied


def latest_generation(folder: str, name: str) -> int:
    """The newest table of contents' number of an index (it grows with every commit)."""
    return whoosh_index.TOC._latest_generation(FileStorage(folder), name)


def wrap_commit_points(before: Callable[[str, Callable], Callable]) -> None:
    """Wrap the moments of a commit the crash tests kill a process at (index/crashpoints.py)."""
    writing.SegmentWriter._commit_toc = before("commit-before-toc", writing.SegmentWriter._commit_toc)
    # _commit_toc imports clean_files from whoosh.index when it runs: wrap it there.
    whoosh_index.clean_files = before("commit-before-clean", whoosh_index.clean_files)
    writing.SegmentWriter.add_reader = before("merge-segment", writing.SegmentWriter.add_reader)


# -- merging ----------------------------------------------------------------------------------

def merge_small_and_emptied(writer, segments):
    """Whoosh's merge policy (MERGE_SMALL), after merging away every segment at least half of
    whose documents are deleted. Whoosh keeps a deleted document's postings until its segment
    is merged, and the entity pass replaces every article the text pass wrote: without this,
    searches walked the dead copies and the index stayed twice its size. A wholly deleted
    segment is simply left out; a half-deleted one is rewritten with its live documents."""
    from whoosh.reading import SegmentReader

    kept = []
    for segment in segments:
        total, deleted = segment.doc_count_all(), segment.deleted_count()
        if not total or deleted * 2 < total:
            kept.append(segment)
        elif deleted < total:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
    return writing.MERGE_SMALL(writer, kept)
