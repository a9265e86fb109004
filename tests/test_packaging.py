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
