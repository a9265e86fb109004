"""dossier's engine: reading article files, indexing them with Whoosh, and searching.

Nothing in this package imports Textual or the tui package (a contract in pyproject.toml,
checked by the tests); it speaks in plain dataclasses and character offsets.

The Python API is `index.open_folder(folder)`, which returns an Engine (index/api.py).
It is loaded on first use, so that `from index.kinds import KINDS` stays cheap.
"""

__all__ = ["open_folder", "Engine"]


def __getattr__(name: str):
    if name == "open_folder":
        from .api import open_folder

        return open_folder
    if name == "Engine":
        from .search import Engine

        return Engine
    raise AttributeError(f"module 'index' has no attribute {name!r}")
