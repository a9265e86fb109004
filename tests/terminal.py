"""A real terminal for the installed `dossier`: tmux, as a user over SSH has it.

Keys are sent the way SSH delivers typing: several in one write, with no pause between
them. Every wait is for something on the screen, with a deadline, never for a fixed time,
and every screen seen on the way is checked for text that must never appear (a traceback,
an exception's name)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

DEADLINE = 90.0  # seconds: on a machine busy with other work a first launch takes ~25 s
POLL = 0.05
# Text that means something broke, whichever screen it is on.
NEVER = re.compile(r"Traceback|cannot run this query|\b(?:[A-Z][a-z]+)+Error\b")

DOSSIER = shutil.which("dossier") or str(Path(sys.executable).with_name("dossier"))


def available() -> bool:
    return shutil.which("tmux") is not None and Path(DOSSIER).exists()


class Terminal:
    """`dossier ARGS` in a tmux window of width x height, TERM=screen-256color, no COLORTERM,
    SSH_CONNECTION set (the reader then turns off its blinking cursor and animation)."""

    def __init__(self, home: Path, args: list[str] = (), width: int = 100, height: int = 30,
                 cwd: Path | None = None, env: dict | None = None, raw: Path | None = None):
        self.home, self.width, self.height = home, width, height
        self.name = f"dossier-{uuid.uuid4().hex[:8]}"
        self.frames = 0
        # The reader logs where each key went (tui/keys.py): a failure shows the last ones.
        self.key_log = Path(home).parent / f"{self.name}.keys"
        extra = {"TERM": "screen-256color", "DOSSIER_HOME": str(home), "DOSSIER_CONFIG": str(home / "config.toml"),
                 "SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22", "DOSSIER_KEY_LOG": str(self.key_log), **(env or {})}
        command = " ".join(["env", "-u", "COLORTERM", *(f"{k}={_quote(v)}" for k, v in extra.items()),
                            _quote(DOSSIER), *(_quote(a) for a in args)])
        if raw is not None:
            # Every byte dossier writes goes to `raw` (tmux pipe-pane), from the first one:
            # the command waits until the pipe is in place.
            go = Path(home).parent / f"{self.name}.go"
            command = f"sh -c {_quote(f'while [ ! -e {_quote(str(go))} ]; do sleep 0.02; done; exec {command}')}"
        # remain-on-exit: a crash leaves its last screen (the traceback) to be read.
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        "-c", str(cwd or home), command], check=True, env={k: v for k, v in os.environ.items() if k != "TMUX"})
        self.target = f"={self.name}:"  # exactly this session: "-t name" also matches other windows by prefix
        subprocess.run(["tmux", "set-option", "-t", self.target, "remain-on-exit", "on"], check=True)
        if raw is not None:
            subprocess.run(["tmux", "pipe-pane", "-o", "-t", self.target, f"cat >> {_quote(str(raw))}"], check=True)
            go.touch()

    # -- what is on the screen ------------------------------------------------------------
    def screen(self) -> str:
        out = subprocess.run(["tmux", "capture-pane", "-t", self.target, "-p"], capture_output=True, text=True)
        self.frames += 1
        if NEVER.search(out.stdout):
            raise AssertionError(f"an error reached the screen:\n{out.stdout}")
        return out.stdout

    def styled(self) -> str:
        """The screen with its SGR escape sequences (colours and attributes)."""
        return subprocess.run(["tmux", "capture-pane", "-t", self.target, "-p", "-e"], capture_output=True,
                              text=True).stdout

    def lines(self) -> list[str]:
        return self.screen().rstrip("\n").split("\n")

    def status(self) -> str:
        return self.lines()[-1]

    def search_bar(self) -> str:
        return self.lines()[0]

    def message(self) -> str:
        return self.lines()[1] if len(self.lines()) > 1 else ""

    # -- keys ----------------------------------------------------------------------------
    def keys(self, *keys: str) -> None:
        """Key names in tmux's terms (Enter, Escape, C-u, BSpace, PageDown) or characters,
        all in one write to the terminal: a burst."""
        subprocess.run(["tmux", "send-keys", "-t", self.target, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.target, "-l", text], check=True)

    # -- waiting -----------------------------------------------------------------------------
    def wait(self, condition: Callable[[str], bool], what: str, timeout: float = DEADLINE) -> str:
        """Until condition(screen) holds; fails with the last screen after the deadline."""
        deadline = time.monotonic() + timeout
        screen = ""
        while True:
            if not self.alive():
                raise AssertionError(f"dossier exited while waiting for {what}; its last screen:\n{self._last()}\n"
                                     f"the last keys:\n{self.keys_seen()}")
            screen = self.screen()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not seen within {timeout:.0f} s; the screen was:\n{screen}\n"
                                     f"the last keys:\n{self.keys_seen()}")
            time.sleep(POLL)

    def wait_for(self, text: str, timeout: float = DEADLINE) -> str:
        return self.wait(lambda screen: text in screen, repr(text), timeout)

    def wait_status(self, condition: Callable[[str], bool], what: str, timeout: float = DEADLINE) -> str:
        return self.wait(lambda screen: condition(screen.rstrip("\n").split("\n")[-1]), what, timeout)

    def wait_exit(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(POLL)
        assert not self.alive(), f"dossier did not quit; the screen:\n{self.screen()}"

    def keys_seen(self, last: int = 40) -> str:
        try:
            return "\n".join(self.key_log.read_text(encoding="utf-8").splitlines()[-last:])
        except OSError:
            return "(no key log)"

    def alive(self) -> bool:
        out = subprocess.run(["tmux", "display-message", "-p", "-t", self.target, "#{pane_dead}"],
                             capture_output=True, text=True)
        return out.returncode == 0 and out.stdout.strip() == "0"

    def _last(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-t", self.target, "-p", "-S", "-50"], capture_output=True,
                              text=True).stdout

    def save_text(self, path: Path) -> None:
        path.write_text(self._last())

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", f"={self.name}"], capture_output=True)


def _quote(value: str) -> str:
    import shlex

    return shlex.quote(str(value))


# -- a busy machine ----------------------------------------------------------------------------
class Load:
    """Both cores busy, as on a shared or small server: stress-ng --cpu 2 (Debian's stress-ng),
    else two spinning processes."""

    def __init__(self, cpus: int = 2):
        self.cpus = cpus
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> "Load":
        if shutil.which("stress-ng"):
            self.procs.append(subprocess.Popen(["stress-ng", "--cpu", str(self.cpus), "--timeout", "1800", "--quiet"],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                               start_new_session=True))
        else:
            for _ in range(self.cpus):
                self.procs.append(subprocess.Popen([sys.executable, "-c", "while True: pass"],
                                                   start_new_session=True))
        return self

    def __exit__(self, *exc) -> None:
        import signal

        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
