"""End to end: the installed `dossier` command in tmux, as a user over SSH would run it
(TERM=screen-256color, no COLORTERM): open, search, read, next hit, pivot, back, quit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("dossier") is None,
    reason="needs tmux and the installed dossier command",
)


class Tmux:
    def __init__(self, home, width=100, height=30):
        self.home = home
        self.name = f"dossier-{uuid.uuid4().hex[:8]}"
        env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "TMUX")}
        env.update(TERM="screen-256color", DOSSIER_HOME=str(home))
        command = f"env TERM=screen-256color DOSSIER_HOME={home} {shutil.which('dossier')}"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command],
                       check=True, env=env)

    def screen(self) -> str:
        out = subprocess.run(["tmux", "capture-pane", "-t", self.name, "-p"], capture_output=True, text=True)
        return out.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def search(self, query: str) -> None:
        """/ then the query then Enter, checking the query reached the search bar first.

        Known issue, seen about 1 run in 10 under pytest after the crash tests and never by
        hand: once every key was lost, once "/" arrived in the search bar as a character
        (the bar already had the focus; "/" into an empty bar is now ignored). One retry
        keeps the run honest: the query must still work."""
        for _attempt in range(2):
            self.keys("/")
            self.type(query)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if f"/ {query}" in self.screen().splitlines()[0]:
                    self.keys("Enter")
                    return
                time.sleep(0.2)
            self.keys("Escape")
            time.sleep(0.5)  # Esc then "/" at once would arrive as alt+/
        raise AssertionError(f"the query {query!r} never reached the search bar:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def tmux(tmp_path):
    session = Tmux(tmp_path / "home")
    yield session
    session.close()


def status_line(screen: str) -> str:
    return screen.rstrip("\n").splitlines()[-1]


def test_search_read_next_hit_pivot_back_quit(tmux):
    # The seeds are indexed in the background on first open.
    screen = tmux.wait_for("5 articles", timeout=60)
    assert "Articles" in screen and "Reading" in screen
    deadline = time.monotonic() + 30
    while "indexing" in status_line(tmux.screen()) and time.monotonic() < deadline:
        time.sleep(0.3)
    tmux.search("Soleimani")
    tmux.wait_for("1 article")
    screen = tmux.wait_for("3 hits")  # the reader follows the list, with the hits counted
    assert "Iran Missiles Strike U.S. Targets in Iraq" in screen

    tmux.keys("Enter")
    tmux.keys("n")
    screen = tmux.wait_for("hit 1 of 3")
    assert "Soleimani" in screen

    tmux.keys("3")  # the entity pane (hidden at 100 columns) opens with the article's people first
    screen = tmux.wait_for("People")
    assert "Qasem Soleimani" in screen
    tmux.keys("Enter")
    screen = tmux.wait_for("2 articles")
    assert 'person:"Qasem Soleimani"' in screen
    assert "Iran initiates missile" in screen  # spelt Suleimani there

    tmux.keys("BSpace")
    screen = tmux.wait_for("1 article ")
    assert "/ Soleimani" in screen

    tmux.keys("1")
    tmux.type("*")  # star the article under the cursor: the list marks it
    screen = tmux.wait_for("★")

    tmux.keys("q")
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.alive(), "dossier did not quit on q"
    # The star is in the library, where the command line finds it.
    out = subprocess.run([shutil.which("dossier"), "search", "is:starred", "--json"], capture_output=True, text=True,
                         env={**os.environ, "DOSSIER_HOME": str(tmux.home)}, check=True).stdout
    assert [hit["title"] for hit in json.loads(out)["hits"]] == ["Iran Missiles Strike U.S. Targets in Iraq"]
