"""Bytes the reader writes to the terminal to move to the next article (issue 19).

    python -m benchmarks.article_bytes_bench [--corpus bbc|reuters] [--size 100x30]

The reader runs in a tmux pane of the given size (256 colours, as over SSH) on an index
built first with entities (so nothing is indexed while measuring); tmux's pipe-pane keeps
every byte it writes. `j` moves down the list, at the pace a person reads (one key a
second: the bytes from one key until the output has been quiet for a second) and at key
repeat (20 keys 33 ms apart: the bytes of the burst over 20). Then the same with entity
highlighting off (`H`). These are the terminal's bytes; SSH adds its framing (about 10% in
benchmarks/ssh_bench.py's figures).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from .corpora import bbc_folder, reuters_jsonl
from .ssh_bench import settle_on

ARTICLES = 40


def _settle(raw: Path, quiet: float = 1.0, limit: float = 30.0) -> int:
    """The byte count once nothing has been written for `quiet` seconds."""
    return settle_on(lambda: raw.stat().st_size if raw.exists() else 0, quiet, limit)


def measure(folder: Path, home: Path, width: int, height: int) -> dict:
    dossier = shutil.which("dossier") or "dossier"
    raw = home.parent / "raw.bytes"
    session = f"bytes-{int(time.time())}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
                    f"env DOSSIER_HOME={home} DOSSIER_CONFIG=/nonexistent TERM=screen-256color {dossier} {folder}"],
                   check=True)
    try:
        subprocess.run(["tmux", "pipe-pane", "-o", "-t", session, f"cat >> {raw}"], check=True)
        _settle(raw, 2.0)
        result = {}
        for label, toggle in (("highlighted", None), ("plain", "H")):
            if toggle:
                subprocess.run(["tmux", "send-keys", "-t", session, toggle], check=True)
            subprocess.run(["tmux", "send-keys", "-t", session, "1"], check=True)  # the list
            _settle(raw)
            paced = []
            for _ in range(8):
                before = _settle(raw)
                subprocess.run(["tmux", "send-keys", "-t", session, "j"], check=True)
                paced.append(_settle(raw) - before)
            before = _settle(raw)
            for _ in range(20):
                subprocess.run(["tmux", "send-keys", "-t", session, "j"], check=True)
                time.sleep(0.033)
            burst = (_settle(raw, 1.5) - before) / 20
            result[label] = {"one_a_second_bytes": paced, "median": statistics.median(paced),
                             "max": max(paced), "key_repeat_per_key": round(burst)}
        return result
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=["bbc", "reuters"], default="bbc")
    parser.add_argument("--size", default="100x30")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    work = Path(tempfile.mkdtemp(prefix="article-bytes-"))
    try:
        folder = work / "news"
        folder.mkdir()
        if args.corpus == "bbc":
            for path in sorted((bbc_folder() / "bbc" / "business").glob("*.txt"))[:ARTICLES]:
                shutil.copy(path, folder / path.name)
        else:  # the first stories of Reuters-21578, one JSONL file
            lines = next(iter(sorted(reuters_jsonl(1).glob("*.jsonl")))).read_text().splitlines()[:ARTICLES]
            (folder / "reuters.jsonl").write_text("\n".join(lines))
        home = work / "home"
        subprocess.run([shutil.which("dossier") or "dossier", "index", str(folder), "--home", str(home)],
                       check=True, capture_output=True)
        result = measure(folder, home, width, height)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for label, figures in result.items():
        print(f"{args.corpus} {args.size} {label:>11}: one a second {figures['one_a_second_bytes']}, median {figures['median']:,} B "
              f"(max {figures['max']:,}), key repeat {figures['key_repeat_per_key']:,} B a key")


if __name__ == "__main__":
    main()
