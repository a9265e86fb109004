"""The reader in tmux: time to first paint and CPU per keypress in the list.

    python -m benchmarks.tui_bench [--reuters] [--scale N --home DIR]

First paint = launch until the screen shows the filled list ("N articles" in the status
line), polled with tmux capture-pane every 10 ms; the reference is a minimal Textual app
(one Static and a Footer) launched the same way in the same run. CPU per keypress = the
dossier process's user+system time over 200 `j` presses, divided by 200. Memory = the
process's resident memory after those presses and a few searches (anonymous and file-backed:
Whoosh maps index files, and those pages are the page cache's to reclaim).
The Reuters index is built without entities here (recognising 21k stories takes ~15 min;
first paint does not depend on them).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from index.corpus import Corpus
from index.ingest import ingest
from index.paths import bundled_seeds

from .corpora import OUT, REPO, reuters_jsonl

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Minimal(App):
    def compose(self):
        yield Static("minimal app ready")
        yield Footer()

Minimal().run()
"""


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def time_to_text(command: list[str], text: str, env: dict, size=(120, 40), timeout=120.0) -> tuple[float, str]:
    name = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    shell = " ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(command)
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), f"env {shell}"], check=True)
    try:
        while time.perf_counter() - start < timeout:
            if text in _tmux("capture-pane", "-t", name, "-p"):
                return time.perf_counter() - start, name
            time.sleep(0.01)
        raise RuntimeError(f"{text!r} did not appear within {timeout} s")
    except Exception:
        _tmux("kill-session", "-t", name)
        raise


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_paint(folder: Path, home: Path, expected: str, runs: int) -> dict:
    dossier = shutil.which("dossier") or sys.exit("install dossier first (pip install -e .)")
    env = {"TERM": "screen-256color", "DOSSIER_HOME": str(home)}
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(MINIMAL_APP)
    minimal, ours = [], []
    for _ in range(runs):
        seconds, name = time_to_text([sys.executable, fh.name], "minimal app ready", env)
        minimal.append(seconds)
        _tmux("kill-session", "-t", name)
        seconds, name = time_to_text([dossier, str(folder)], expected, env)
        ours.append(seconds)
        _tmux("kill-session", "-t", name)
    os.unlink(fh.name)
    return {"minimal_s": round(statistics.median(minimal), 3), "dossier_s": round(statistics.median(ours), 3),
            "difference_s": round(statistics.median(ours) - statistics.median(minimal), 3)}


def cpu_per_key(folder: Path, home: Path, expected: str, presses: int = 200) -> dict:
    env = {"TERM": "screen-256color", "DOSSIER_HOME": str(home)}
    _, name = time_to_text([shutil.which("dossier"), str(folder)], expected, env)
    try:
        time.sleep(3)  # let background indexing (a no-op walk here) finish
        pid = int(_tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip())
        before = cpu_seconds(pid)
        for _ in range(presses):
            _tmux("send-keys", "-t", name, "j")
            time.sleep(0.02)
        time.sleep(1)
        used = cpu_seconds(pid) - before
        for query in ("oil", "bank", "trade deficit", "inflaton~"):
            _tmux("send-keys", "-t", name, "/")
            _tmux("send-keys", "-t", name, "-l", query)
            _tmux("send-keys", "-t", name, "Enter")
            time.sleep(2)
        memory = resident_mb(pid)
    finally:
        _tmux("send-keys", "-t", name, "q")
        time.sleep(0.5)
        _tmux("kill-session", "-t", name)
    return {"presses": presses, "cpu_ms_per_key": round(used / presses * 1000, 2), "memory_mb": memory}


def resident_mb(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if line.startswith(("RssAnon", "RssFile")))
    return {k: int(v.split()[0]) // 1024 for k, v in fields.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reuters", action="store_true", help="also measure the 21k Reuters index")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scale", type=int, default=0, help="also measure Reuters x N (16 = 345k articles)")
    ap.add_argument("--home", help="dossier home holding (or to hold) that index; reused if built")
    args = ap.parse_args()
    # Start-up as an installed dossier has it: with compiled bytecode. pip compiles on install
    # and an editable install writes it on first run, unless PYTHONDONTWRITEBYTECODE is set
    # (it is on these machines); then every launch compiled our ~50 modules again, about
    # 0.1 s the minimal app (compiled Textual, one small file) never paid.
    for package in ("index", "tui"):
        compileall.compile_dir(REPO / package, quiet=1)
    results = {}
    # One session kept open for the whole run: tmux's server exits with its last session, and
    # a launch that came while it was exiting failed ("server exited unexpectedly").
    keeper = f"bench-keeper-{os.getpid()}"
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 86400"], check=True)
    try:
        run_all(args, results)
    finally:
        _tmux("kill-session", "-t", keeper)


def run_all(args, results: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        seeds = bundled_seeds()
        ingest(Corpus.open(seeds, home))
        results["seeds"] = first_paint(seeds, home, "5 articles", args.runs)
        results["seeds"].update(cpu_per_key(seeds, home, "5 articles"))
        if args.reuters:
            folder = reuters_jsonl(1)
            report = ingest(Corpus.open(folder, home), entities=False)
            expected = f"{report.total_articles:,} articles"
            results["reuters"] = first_paint(folder, home, expected, args.runs)
            results["reuters"].update(cpu_per_key(folder, home, expected))
        if args.scale:
            scaled_home = Path(args.home) if args.home else home
            folder = reuters_jsonl(args.scale)
            report = ingest(Corpus.open(folder, scaled_home), entities=False)
            expected = f"{report.total_articles:,} articles"
            label = f"reuters-x{args.scale}"
            results[label] = first_paint(folder, scaled_home, expected, args.runs)
            results[label].update(cpu_per_key(folder, scaled_home, expected))
    print(json.dumps(results, indent=2))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tui.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
