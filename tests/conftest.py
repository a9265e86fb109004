from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
CORPORA = Path(os.environ.get("DOSSIER_CORPORA", SHARED / "corpora"))


@pytest.fixture(autouse=True)
def home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own dossier home, so none touches the user's real one."""
    path = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DOSSIER_HOME", str(path))
    # Nor the user's config.toml: each test starts from the defaults unless it writes one.
    monkeypatch.setenv("DOSSIER_CONFIG", str(path / "config.toml"))
    return path


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of the seed articles."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    path = tmp_path / "corpus"
    path.mkdir()
    return path


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def corpus_path(name: str) -> Path:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"corpus {name} not found at {path} (set DOSSIER_CORPORA to its parent folder)")
    return path


# The modules that drive the installed reader through tmux (also with both cores busy) or
# kill the indexer at named moments: `-m tmux` runs them alone, `-m "not tmux"` the rest.
TMUX_MODULES = {"test_journeys", "test_terminal_bytes", "test_crash"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in TMUX_MODULES:
            item.add_marker(pytest.mark.tmux)
