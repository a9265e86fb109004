"""index.whoosh_fixes removes repeated work from Whoosh without changing what it returns."""

from unittest import mock

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
