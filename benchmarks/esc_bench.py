"""How long Esc alone takes to leave the search bar: dossier's input driver and Esc delay
against Textual's.

    python -m benchmarks.esc_bench [--runs 30]

Opens the reader on the seeds in a tmux pane, types "/" and a word, then sends Esc alone
and polls the pane (with its colours) until the search bar's style changes (the bar loses
the focus). The same is done with TEXTUAL_DRIVER naming Textual's own LinuxDriver and
ESCDELAY=100 (Textual's default), runs interleaved. A lone ESC may start a key's escape
sequence, so it waits ESCDELAY for more bytes: dossier waits 50 ms, and its driver
(tui/driver.py) acts when the wait ends, where Textual's notices only at its next 100 ms
select() tick. Wall time, median and p95.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

STOCK = "textual.drivers.linux_driver:LinuxDriver"


def _capture(target: str, styled: bool = False) -> str:
    args = ["tmux", "capture-pane", "-t", target, "-p"] + (["-e"] if styled else [])
    return subprocess.run(args, capture_output=True, text=True).stdout


def _wait(condition, timeout: float = 60.0) -> float:
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        time.sleep(0.002)
    return time.perf_counter() - start


def one_session(home: Path, stock: bool, presses: int) -> list[float]:
    name = f"escbench-{uuid.uuid4().hex[:6]}"
    target = f"={name}:"
    # Textual's own: its driver and its 100 ms ESCDELAY; dossier's: its driver and 50 ms.
    env = f"TERM=screen-256color DOSSIER_HOME={home}" + (f" TEXTUAL_DRIVER={STOCK} ESCDELAY=100" if stock else "")
    dossier = shutil.which("dossier") or str(Path(sys.executable).with_name("dossier"))
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", f"env {env} {dossier}"], check=True)
    try:
        _wait(lambda: "5 articles" in _capture(target))
        times = []
        for _ in range(presses):
            subprocess.run(["tmux", "send-keys", "-t", target, "/", "x"], check=True)
            _wait(lambda: _capture(target).split("\n")[0].rstrip().endswith("/ x"))
            focused = _capture(target, styled=True).split("\n")[0]
            time.sleep(0.3)  # the keys before are done with: Esc must arrive on its own
            subprocess.run(["tmux", "send-keys", "-t", target, "Escape"], check=True)
            times.append(_wait(lambda: _capture(target, styled=True).split("\n")[0] != focused))
            subprocess.run(["tmux", "send-keys", "-t", target, "c"], check=True)  # clear for the next round
            time.sleep(0.3)
        return times
    finally:
        subprocess.run(["tmux", "kill-session", "-t", f"={name}"], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        subprocess.run([shutil.which("dossier") or "dossier", "index"], env={**os.environ, "DOSSIER_HOME": str(home)},
                       check=True, capture_output=True)
        ours, stock = [], []
        rounds = max(args.runs // 10, 1)
        for _ in range(rounds):  # interleaved: a change in the machine's load hits both
            ours += one_session(home, False, 10)
            stock += one_session(home, True, 10)
    for label, values in (("dossier driver", ours), ("Textual LinuxDriver", stock)):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"{label:22} Esc -> bar left: median {statistics.median(values) * 1000:5.0f} ms, "
              f"p95 {p95 * 1000:5.0f} ms, n={len(values)}")


if __name__ == "__main__":
    main()
