"""Bytes the reader sends over SSH: per list keypress, per typed query character, and idle.

    python -m benchmarks.ssh_bench [--scale N --home DIR]

Starts a loopback sshd on a free port with throwaway host and user keys (stopped by its PID
at the end), runs `ssh -t 127.0.0.1 dossier FOLDER` inside a 120x40 tmux pane with 256
colours, sends keys with tmux, and reads the server's TCP byte counter (`ss -ti`:
bytes_acked of the sshd socket) before and after. Figures include SSH's own framing and
encryption, as a user's link carries them. Needs openssh-server (apt-get install
openssh-server); runs as the current user, so sshd must be able to log them in.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from index.corpus import Corpus
from index.ingest import ingest
from index.paths import bundled_seeds

from .corpora import OUT, reuters_jsonl
from .tui_bench import _tmux

SIZE = (120, 40)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sshd(tmp: Path) -> tuple[subprocess.Popen, int, Path]:
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    if not Path(sshd).exists():
        sys.exit("sshd not found: apt-get install openssh-server")
    for name in ("host", "user"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp / name)], check=True)
    (tmp / "authorized_keys").write_text((tmp / "user.pub").read_text())
    port = _free_port()
    config = tmp / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {tmp / 'host'}\nPidFile {tmp / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {tmp / 'authorized_keys'}\nStrictModes no\nPermitRootLogin yes\n"
        "PasswordAuthentication no\nUsePAM no\nClientAliveInterval 0\nTCPKeepAlive no\nCompression no\n"
        "AcceptEnv DOSSIER_HOME\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation directory Debian's sshd wants
    server = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)], stderr=open(tmp / "sshd.log", "w"))
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, port, tmp / "user"


def server_bytes(port: int) -> int:
    """Bytes the sshd side of the connection has had acknowledged (sent) so far."""
    out = subprocess.run(["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True).stdout
    return sum(int(n) for n in re.findall(r"bytes_acked:(\d+)", out))


def settle_on(count, quiet: float = 0.6, timeout: float = 20.0) -> int:
    """Wait until `count()` (bytes sent so far) has not moved for `quiet` seconds; its value then."""
    last, since, start = count(), time.monotonic(), time.monotonic()
    while time.monotonic() - start < timeout:
        time.sleep(0.05)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return last


def settle(port: int, quiet: float = 0.6, timeout: float = 20.0) -> int:
    """Wait until nothing more is sent for `quiet` seconds; the byte count then."""
    return settle_on(lambda: server_bytes(port), quiet, timeout)


def measure(folder: Path, home: Path, expected: str, presses: int, typed: str) -> dict:
    dossier = shutil.which("dossier") or sys.exit("install dossier first (pip install -e .)")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        server, port, key = start_sshd(tmp)
        name = f"ssh-bench-{os.getpid()}"
        remote = f"env DOSSIER_HOME={home} TERM=screen-256color {dossier} {folder}"
        ssh = (f"ssh -tt -p {port} -i {key} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
               f"-o LogLevel=ERROR -o Compression=no 127.0.0.1 '{remote}'")
        try:
            subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]),
                            f"env TERM=screen-256color {ssh}"], check=True)
            start = time.monotonic()
            while expected not in _tmux("capture-pane", "-t", name, "-p"):
                if time.monotonic() - start > 120:
                    raise RuntimeError(f"{expected!r} never appeared:\n" + _tmux("capture-pane", "-t", name, "-p"))
                time.sleep(0.05)
            startup = settle(port, quiet=3.0)

            idle_from = server_bytes(port)
            time.sleep(10)
            idle = server_bytes(port) - idle_from

            before = settle(port)
            for _ in range(presses):
                _tmux("send-keys", "-t", name, "j")
                time.sleep(0.05)
            per_key = (settle(port, quiet=2.5) - before) / presses  # the reader renders when the cursor settles

            before = settle(port)
            for _ in range(5):  # one press, then read: the reader redraws the next article
                _tmux("send-keys", "-t", name, "j")
                settle(port, quiet=1.5)
            per_article = (server_bytes(port) - before) / 5

            _tmux("send-keys", "-t", name, "/")
            before = settle(port)
            for ch in typed:
                _tmux("send-keys", "-t", name, "-l", ch)
                time.sleep(0.4)  # longer than the search debounce: every character searches
            per_char = (settle(port, quiet=2.0) - before) / len(typed)
            _tmux("send-keys", "-t", name, "Escape")
            time.sleep(0.5)
            _tmux("send-keys", "-t", name, "q")
            time.sleep(1)
        finally:
            _tmux("kill-session", "-t", name)
            server.terminate()
            server.wait(timeout=10)
    return {"startup_bytes": startup, "idle_bytes_10s": idle, "list_presses": presses,
            "bytes_per_list_key": round(per_key), "bytes_per_key_then_article_shown": round(per_article),
            "typed": typed, "bytes_per_typed_char": round(per_char)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=0, help="Reuters copies to open (0 = the bundled seeds)")
    ap.add_argument("--home", help="dossier home holding (or to hold) the index")
    ap.add_argument("--presses", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(args.home or tmp)
        folder = reuters_jsonl(args.scale) if args.scale else bundled_seeds()
        report = ingest(Corpus.open(folder, home), entities=not args.scale)
        label = f"reuters-x{args.scale}" if args.scale else "seeds"
        result = {"corpus": label, "articles": report.total_articles, "size": list(SIZE), "term": "screen-256color",
                  **measure(folder, home, f"{report.total_articles:,} article", args.presses, "oil prices")}
    print(json.dumps(result, indent=2))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"ssh-{label}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
