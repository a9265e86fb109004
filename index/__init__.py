"""dossier's engine: reading article files, indexing them with Whoosh, and searching.

Nothing in this package imports Textual or the tui package (a contract in pyproject.toml,
checked by the tests); it speaks in plain dataclasses and character offsets.

The Python API is `index.open_folder(folder)`, which returns an Engine (index/api.py).
It is loaded on first use, so that `from index.kinds import KINDS` stays cheap.
"""

import sys
import types

__all__ = ["open_folder", "Engine"]


def _import_whoosh_without_its_extras() -> None:
    """Import whoosh.compat and cached_property (Whoosh's dependency) without what they
    import and dossier never uses: urllib.request (http.client, email: 26 ms) for
    whoosh.compat's urlretrieve, and asyncio (16 ms) for cached_property's coroutine support
    (Whoosh's cached properties are plain methods). Each stands in sys.modules only while
    those two import, so anything importing it later gets the real module; urlretrieve
    still works, importing the real one when called. Nothing to do when Whoosh is loaded."""
    if "whoosh.compat" in sys.modules:
        return
    stand_ins = {}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")

        def urlretrieve(*args, **kwargs):
            from urllib.request import urlretrieve as real

            return real(*args, **kwargs)

        request.urlretrieve = urlretrieve
        stand_ins["urllib.request"] = request
    if "asyncio" not in sys.modules and "cached_property" not in sys.modules:
        import inspect

        coroutines = types.ModuleType("asyncio")
        coroutines.iscoroutinefunction = inspect.iscoroutinefunction  # all cached_property reads
        stand_ins["asyncio"] = coroutines
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        try:
            import cached_property  # noqa: F401
        except ImportError:
            pass  # a Whoosh that does not use it
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


_import_whoosh_without_its_extras()


def __getattr__(name: str):
    if name == "open_folder":
        from .api import open_folder

        return open_folder
    if name == "Engine":
        from .search import Engine

        return Engine
    raise AttributeError(f"module 'index' has no attribute {name!r}")
