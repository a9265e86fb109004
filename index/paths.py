"""Where dossier keeps its data: one index per corpus folder under the user's data directory."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import platformdirs

HOME_ENV = "DOSSIER_HOME"


def dossier_home(override: str | os.PathLike | None = None) -> Path:
    """--home, else $DOSSIER_HOME, else the platform's user data directory."""
    if override:
        return Path(override).expanduser().resolve()
    if env := os.environ.get(HOME_ENV):
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("dossier", appauthor=False))


def bundled_seeds() -> Path:
    """The seed articles: inside the installed package, or the repository's seeds/ folder."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "tui" / "_seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled seed articles are missing from this installation")


def index_dir(home: Path, corpus: Path) -> Path:
    """A readable, collision-free folder name for the index of `corpus`."""
    corpus = corpus.resolve()
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", corpus.name).strip("-")[:40] or "corpus"
    digest = hashlib.blake2b(str(corpus).encode("utf-8"), digest_size=6).hexdigest()
    return home / "indexes" / f"{slug}-{digest}"
