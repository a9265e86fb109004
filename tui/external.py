"""Handing an article to other programs: $PAGER, $EDITOR, a pipe, the browser.

The reader is suspended while the program has the terminal (Textual gives the screen back
afterwards). Where the terminal cannot be handed over (tests, a headless run) the program
runs without it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from textual.app import App, SuspendNotSupported

# Over SSH a browser or a window would open on the remote machine, out of the user's sight.
OVER_SSH = bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))
PIPE_PAUSE = 'printf "\\n[dossier: press Enter to return] " >/dev/tty; read _ </dev/tty'


class ExternalError(Exception):
    """A program could not be run; the message says which and why."""


def pager() -> list[str]:
    # Plain `less`: the text it gets is clean, there are no colours to let through.
    return shlex.split(os.environ.get("PAGER") or "less") or ["less"]


def editor() -> list[str]:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        command = next((e for e in ("nano", "vi") if shutil.which(e)), "vi")
    return shlex.split(command)


def run(app: App, argv: list[str], stdin_text: str | None = None, shell: bool = False) -> int:
    """Run a program with the terminal; returns its exit status."""
    def call() -> int:
        try:
            completed = subprocess.run(argv if not shell else argv[0], shell=shell,
                                       input=stdin_text, text=stdin_text is not None)
        except FileNotFoundError:
            raise ExternalError(f"cannot run '{argv[0]}': no such program (check $PAGER / $EDITOR)") from None
        except OSError as exc:
            raise ExternalError(f"cannot run '{argv[0]}' ({exc.strerror or exc})") from None
        return completed.returncode

    try:
        with app.suspend():
            return call()
    except SuspendNotSupported:
        return call()


def edit_text(app: App, text: str, suffix: str = ".txt") -> str | None:
    """`text` in the user's editor; the edited text, or None when the editor failed."""
    with tempfile.TemporaryDirectory(prefix="dossier-") as folder:
        path = Path(folder) / f"dossier{suffix}"
        path.write_text(text, encoding="utf-8")
        status = run(app, [*editor(), str(path)])
        if status != 0:
            return None
        return path.read_text(encoding="utf-8", errors="replace")


def view_in_editor(app: App, text: str, name: str) -> None:
    """A copy of the article's text in the editor (the article's file is never touched)."""
    with tempfile.TemporaryDirectory(prefix="dossier-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        run(app, [*editor(), str(path)])


def pipe(app: App, command: str, text: str) -> int:
    """`text` on the standard input of a shell command; waits for Enter before returning."""
    full = f"({command}); status=$?; {PIPE_PAUSE}; exit $status" if app.is_headless is False else command
    return run(app, [full], stdin_text=text, shell=True)
