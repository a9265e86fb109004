"""dossier's engine: reading article files, indexing them with Whoosh, and searching.

Nothing in this package imports Textual or the tui package; it speaks in plain
dataclasses and character offsets.
"""

from . import whoosh_fixes  # noqa: F401  (patches Whoosh hot spots before any index is used)
