"""A list of names to cross-reference with a corpus (`dossier xref`, the reader's R): one name
per line (blank lines and # comments skipped), or a CSV with a `name` column and, if wanted,
a `kind` column."""

from __future__ import annotations

import csv
from pathlib import Path

from .kinds import KINDS


class NamesError(ValueError):
    """The list cannot be read, or a line of it is wrong (the message says which)."""


def parse_names(text: str, label: str = "the list", csv_hint: bool = False) -> list[tuple[str, str | None]]:
    """(name, kind or None) per entry of the text of a list."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise NamesError(f"no names in {label}")
    header = [h.strip().lower() for h in next(csv.reader([lines[0]]))]
    if "name" not in header or not (csv_hint or len(header) > 1):
        return [(line.strip(), None) for line in lines]
    names = []
    for number, fields in enumerate(csv.reader(lines[1:]), start=2):
        row = dict(zip(header, (f.strip() for f in fields)))
        kind = (row.get("kind") or "").lower() or None
        if kind is not None and kind not in KINDS:
            raise NamesError(f"{label}, line {number}: unknown kind '{kind}' (use {', '.join(KINDS)})")
        if row.get("name"):
            names.append((row["name"], kind))
    return names


def read_names(path: str | Path) -> list[tuple[str, str | None]]:
    path = Path(path).expanduser()
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise NamesError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_names(text, str(path), path.suffix.lower() == ".csv")
