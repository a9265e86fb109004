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


def test_the_readme_example_runs_as_written(tmp_path, monkeypatch, capsys):
    # The README's "From Python" block, on the seeds instead of ~/news, entities and all.
    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert '"~/news"' in code
    monkeypatch.setenv("DOSSIER_HOME", str(tmp_path))
    exec(compile(code.replace('"~/news"', repr(str(SEEDS))).replace('"person:blair budget"', '"person:soleimani"'),
                 "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Soleimani" in printed or "Suleimani" in printed  # a hit's title or snippet, and the top people
