"""A plain `pip install .` (not editable) must carry the seeds and the alias table."""

import subprocess
import sys
import zipfile

from .conftest import REPO


def test_wheel_contains_the_seeds_and_the_alias_table(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("dossier-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    seeds = {n for n in names if n.startswith("tui/_seeds/") and n.endswith(".txt")}
    assert len(seeds) == 5
    assert "index/data/aliases.toml" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_the_engine_imports_neither_the_reader_nor_textual():
    # The contract is in pyproject.toml ([tool.importlinter]); import-linter follows every
    # import, indirect ones too, so index/ stays usable from scripts without Textual.
    lint = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"]
    run = subprocess.run(lint, cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
