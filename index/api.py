"""dossier from Python: open a folder of articles, search it, read articles, list entities.

    import index

    with index.open_folder("~/news") as folder:          # indexes new and changed files first
        results = folder.search("person:blair budget", limit=5)
        for hit in results.hits:
            print(hit.date, hit.title, hit.snippet.text)
        article = folder.article(results.hits[0].id)      # title, text, date, entities (spans)
        for entity in folder.entities(kind="person", top=10):
            print(entity.name, entity.articles, entity.mentions)

`open_folder` returns the Engine the CLI and the reader use (index/search.py): `search`,
`result_list` (every match, rows read lazily), `count`, `facets`, `entities`, `article`,
`hit_spans`, `also_in`, `stats`, `library` (read state, stars, tags, notes). Results are the
plain dataclasses of index/results.py, each with `to_json()`.
"""

from __future__ import annotations

from pathlib import Path

from .corpus import Corpus
from .search import Engine


def open_folder(folder: str | Path | None = None, home: str | Path | None = None, update: bool = True,
                entities: bool = True) -> Engine:
    """An engine on a folder of articles (the bundled seeds for None). With `update`, new and
    changed files are indexed first (recognising entities unless `entities` is False); the
    index lives under `home` (default: dossier's data folder, env DOSSIER_HOME), as for the
    CLI. Raises CorpusError for a folder that cannot be read or indexed."""
    corpus = Corpus.open(folder, home)
    if update:
        from .ingest import ingest

        ingest(corpus, entities=entities)
    return Engine(corpus)
