"""Run the whole benchmark suite at one scale; each part writes its JSON to benchmarks/out/.

    python -m benchmarks.suite                # small: BBC and Reuters-21578 (about 5 minutes)
    python -m benchmarks.suite --scale 16     # adds Reuters x16 (345k articles; the first
                                              # run builds its index, about 13 minutes)
    python -m benchmarks.suite --entities     # adds entity ingest on BBC (about 4 minutes)

Indexes are kept in benchmarks/out/homes/ and reused by later runs (their build time is
reported only when they are built). Every figure is set against a reference from the same
run; see benchmarks/RESULTS.md for what each one means.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from .corpora import OUT


def run(*args: str) -> None:
    print(f"\n$ python -m {' '.join(args)}", flush=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", *args], check=True)
    print(f"({time.monotonic() - started:.0f} s)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=0, help="also run on Reuters x N (4 = 86k, 16 = 345k)")
    ap.add_argument("--entities", action="store_true", help="also measure entity recognition during ingest")
    args = ap.parse_args()
    homes = OUT / "homes"
    x1 = str(homes / "reuters-x1")
    run("benchmarks.search_bench", "--corpus", "bbc")
    run("benchmarks.search_bench", "--corpus", "reuters", "--home", x1)
    run("benchmarks.search_bench", "--corpus", "reuters", "--pathological", "--home", x1)
    run("benchmarks.tui_bench", "--runs", "3", "--scale", "1", "--home", x1)
    if shutil.which("sshd") or shutil.which("/usr/sbin/sshd"):
        run("benchmarks.ssh_bench", "--scale", "1", "--home", x1)
    else:
        print("\n(skipped the SSH benchmark: apt-get install openssh-server)")
    if args.scale:
        scaled = str(homes / f"reuters-x{args.scale}")
        run("benchmarks.search_bench", "--corpus", "reuters", "--scale", str(args.scale), "--home", scaled)
        run("benchmarks.search_bench", "--corpus", "reuters", "--scale", str(args.scale), "--pathological", "--home", scaled)
        run("benchmarks.tui_bench", "--runs", "3", "--scale", str(args.scale), "--home", scaled)
        if shutil.which("sshd") or shutil.which("/usr/sbin/sshd"):
            run("benchmarks.ssh_bench", "--scale", str(args.scale), "--home", scaled)
    if args.entities:
        run("benchmarks.entities_bench", "ingest")


if __name__ == "__main__":
    main()
