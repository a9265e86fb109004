"""index.whoosh_internals removes repeated work from Whoosh without changing what it returns."""

import io
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from whoosh.filedb.filestore import FileStorage

from index.corpus import Corpus
from index.ingest import ingest

from .conftest import SEEDS


def test_field_lengths_are_unchanged_and_missing_columns_are_looked_up_once(tmp_path):
    corpus = Corpus.open(SEEDS, tmp_path)
    ingest(corpus, entities=False)
    ix, _ = corpus.open_index()
    with ix.reader() as reader:
        perdoc = reader._perdoc  # the seeds fit one segment, so this is a SegmentReader
        with mock.patch.object(FileStorage, "file_exists", autospec=True, side_effect=FileStorage.file_exists) as exists:
            for docnum in range(reader.doc_count_all()):
                assert perdoc.doc_field_length(docnum, "id") == 0  # ID fields keep no lengths
                assert perdoc.doc_field_length(docnum, "body") > 100  # every seed has a body
        # One look on disk per field, not one per document.
        assert exists.call_count <= 2
        assert reader.doc_field_length(0, "body") == perdoc.doc_field_length(0, "body")
    ix.close()


def test_files_inside_a_compound_segment_are_read_in_place_not_copied():
    from whoosh.filedb.structfile import BufferFile

    data = bytes(range(256)) * 40_000  # 10 MB
    view = memoryview(data)
    f = BufferFile(view, name="segment.pst")
    assert f.file._buf is view  # Whoosh's BytesIO(view) held a second 10 MB copy
    f.seek(1000)
    assert f.read(4) == data[1000:1004] and f.tell() == 1004
    assert f.get(5, 3) == data[5:8]
    f.close()


@given(st.binary(max_size=300), st.lists(st.tuples(st.sampled_from(["seek", "read", "readline", "tell", "peek"]),
                                                    st.integers(-5, 320), st.integers(0, 2)), max_size=30))
def test_in_place_reader_behaves_like_bytesio(data, operations):
    from index.whoosh_internals import _ViewReader

    ours, theirs = _ViewReader(memoryview(data)), io.BytesIO(data)
    for op, n, whence in operations:
        if op == "seek":
            if whence == 0 and n < 0:
                continue  # BytesIO refuses negative absolute positions
            try:
                expected = theirs.seek(n, whence)
            except (ValueError, OSError):
                continue
            assert ours.seek(n, whence) == expected
        elif op == "read":
            assert ours.read(n) == theirs.read(n)
        elif op == "readline":
            assert ours.readline(n) == theirs.readline(n)
        elif op == "peek":  # like BufferedReader.peek: the next bytes (maybe fewer), not moving
            here = theirs.tell()
            ahead = ours.peek(n)
            assert ahead and data[here:].startswith(ahead) if here < len(data) else ahead == b""
            assert ours.tell() == here
        else:
            assert ours.tell() == theirs.tell()


def test_postings_written_by_older_dossier_still_read_the_same(tmp_path, monkeypatch):
    """Posting blocks are now pickled with protocol 5; an index written with Whoosh's
    protocol 2 (every index made before) must open and find exactly the same."""
    import pickle

    from whoosh.codec import whoosh3

    from index.search import Engine

    def search_all(home):
        corpus = Corpus.open(SEEDS, home)
        ingest(corpus, entities=False)
        with Engine(corpus) as engine:
            return [[(h.id, round(h.score, 9), h.snippet) for h in engine.search(q, limit=None).hits]
                    for q in ("iran", "launches", "space OR missile", "iran NOT kermanshah")]

    old = tmp_path / "old"
    with monkeypatch.context() as patch:
        patch.setattr(whoosh3, "dumps", lambda obj, protocol=2: pickle.dumps(obj, 2))
        found_old = search_all(old)
    assert found_old == search_all(tmp_path / "new")
    assert all(found_old)
    assert _block_protocol(old) == 2 and _block_protocol(tmp_path / "new") == 5  # really old and new


def _block_protocol(home) -> int:
    import zlib

    corpus = Corpus.open(SEEDS, home)
    ix, _ = corpus.open_index()
    with ix.reader() as reader:
        matcher = reader._terms.matcher("body", b"said", reader.schema["body"].format)
        data = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    ix.close()
    data = zlib.decompress(data) if matcher._compression else data
    return data[1]  # a pickle opens with PROTO and its number


def test_pickles_load_from_the_in_place_reader_and_it_stops_after_each():
    import pickle

    from index.whoosh_internals import _ViewReader

    objects = [(128, 5_000_000, 3.5, 3, 1, 255), {"a": [1, 2, b"x" * 500]}, "last"]
    data = b"".join(pickle.dumps(o, p) for o, p in zip(objects, (2, 5, 5)))
    reader = _ViewReader(memoryview(data))
    assert [pickle.load(reader) for _ in objects] == objects  # peek must not skip a byte
    assert reader.tell() == len(data)


def test_the_installed_whoosh_is_the_one_whose_internals_dossier_reads():
    from importlib.metadata import version

    from index.whoosh_internals import RECHECK, WHOOSH_VERSION

    installed = version("whoosh-reloaded")
    assert installed == WHOOSH_VERSION, (
        f"Whoosh-Reloaded {installed} is installed, index/whoosh_internals.py was written for "
        f"{WHOOSH_VERSION}: re-read {RECHECK} in the new version, then move WHOOSH_VERSION and the pin")


def test_importing_the_engine_patches_nothing():
    # The fixes are applied where an index is opened (Corpus.open_index), not on import.
    import subprocess
    import sys

    code = ("import whoosh.codec.whoosh3 as w, whoosh.filedb.structfile as f; d, i = w.dumps, f.BufferFile.__init__; "
            "import index, index.search, index.ingest; assert (w.dumps, f.BufferFile.__init__) == (d, i)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_only_whoosh_internals_reaches_into_whoosh_private_names():
    # Whoosh's private names (attributes starting with "_" read on Whoosh's objects) are used in
    # index/whoosh_internals.py only, so a new Whoosh is checked in one file. An attribute of
    # dossier's own objects is not Whoosh's: those are listed by the class that owns them.
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    own = {"_library", "_kept", "_lock", "_exit"}  # Engine._library, os._exit, ...
    found = []
    for path in sorted([*root.glob("index/*.py"), *root.glob("tui/**/*.py")]):
        if path.name == "whoosh_internals.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
                    and node.attr not in own):
                found.append(f"{path.relative_to(root)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
                found += [f"{path.relative_to(root)}:{node.lineno} {node.module}.{alias.name}"
                          for alias in node.names if alias.name.startswith("_")]
    assert not found, "\n".join(found)


def test_a_one_off_command_does_not_import_what_whoosh_imports_and_never_uses():
    # whoosh.compat imports urllib.request (26 ms) and cached_property imports asyncio (16 ms);
    # index/__init__.py lets them import without, and the real modules still load later.
    import subprocess
    import sys

    code = ("import sys, index.search, tui.output\n"
            "assert 'urllib.request' not in sys.modules and 'asyncio' not in sys.modules, 'imported'\n"
            "assert 'numpy' not in sys.modules and 'rapidfuzz' not in sys.modules, 'imported'\n"
            "import asyncio, urllib.request, whoosh.compat, cached_property\n"
            "assert asyncio.run(asyncio.sleep(0, 'ok')) == 'ok' and urllib.request.Request('http://x').host == 'x'\n"
            "assert whoosh.compat.urlretrieve.__name__ == 'urlretrieve'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
