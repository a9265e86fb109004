"""The Python API for scripts and notebooks, used as the README shows it."""

import index
from index.query import QueryError

import pytest

from .conftest import SEEDS


def test_open_a_folder_search_read_and_list_entities(tmp_path):
    with index.open_folder(SEEDS, home=tmp_path, entities=False) as folder:
        results = folder.search("iran", limit=3)
        assert results.total >= 1 and results.hits
        hit = results.hits[0]
        assert "iran" in (hit.title + hit.snippet.text).lower()
        article = folder.article(hit.id)
        assert article.title == hit.title and len(article.text) > 200
        assert folder.count("iran") == results.total
        assert folder.entities() == []  # indexed without entities: none listed, no error
        with pytest.raises(QueryError):
            folder.search('"unclosed')


def test_an_already_indexed_folder_opens_without_indexing_again(tmp_path):
    index.open_folder(SEEDS, home=tmp_path, entities=False).close()
    with index.open_folder(SEEDS, home=tmp_path, update=False) as folder:
        assert folder.doc_count == 5
        assert len(folder.result_list(None)) == 5
