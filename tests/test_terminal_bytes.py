"""Nothing in a file acts on the terminal: every byte the reader writes, read raw.

The reader runs in tmux over a folder of hostile articles (escape sequences in titles,
bodies, URLs and file names; bidirectional controls; escapes written as HTML references),
and tmux's pipe-pane keeps every byte written to the terminal from the first one. The
user opens each article, then hands one to the pager (`p`), the editor (`E`) and a pipe
(`|`), and copies its URL and citation (`y`, `Y`). The pager and editor are `cat`, the
strictest ones: whatever dossier hands them reaches the terminal unfiltered. Then the raw
bytes are searched for anything that came from an article."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from .conftest import write
from .terminal import Terminal, available

pytestmark = pytest.mark.skipif(not available(), reason="needs tmux and the installed dossier command")

# Each marker is a word in one article, next to the sequences it carries.
PAYLOADS = {
    "hyperlink": "\x1b]8;;http://evil.example/\x1b\\click here\x1b]8;;\x1b\\",
    "title": "\x1b]0;pwned-title\x07",
    "clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "clear": "\x1b[2J\x1b[H\x1b[31;1m",
    "cone": "\x9b31m\x9d0;pwned-c1\x9c",
    "bell": "\x07\x08\x08\x08\rOVERWRITE",
    "isolate": "\u2066\u2067price\u2069\u2069 \u202eevil\u202c \u200f.\u200e\u061c",
}
# What must never be written to the terminal: the articles' own sequences and controls.
FORBIDDEN = [
    b"evil.example", b"pwned", b"cm0gLXJmIH4=", b"\x1b[2J\x1b[H\x1b[31;1m",
    *(chr(c).encode() for c in range(0x80, 0xA0)),  # C1 controls (CSI, OSC, ST as one character)
    *(chr(c).encode() for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]),
]


def hostile_folder(root: Path) -> None:
    for marker, payload in PAYLOADS.items():
        write(root, f"{marker}.txt", f"Title {payload} {marker}head\n\nBody {payload} with {marker}word inside, "
                                     f"and more {payload} text about Kabul.\n")
    write(root, "front.md", "---\ntitle: \"Front \\e]0;pwned-front\\a matter\"\n"
                            "url: \"http://example.org/\\e]8;;http://evil.example/\\e\\\\x\"\n"
                            "author: \"\\e[2JMallory\"\n---\nBody of frontword about Herat.\n")
    write(root, "page.html", "<html><head><title>Page</title></head><body><article><h1>Page refs</h1><p>"
                             + "&#x1b;]8;;http://evil.example/&#x1b;\\ pageword about Doha and the talks. " * 8
                             + "</p></article></body></html>")
    write(root, "named \x1b]0;pwned-name\x07 file.txt", "Named file\n\nThe namedword article about Mosul.\n")


def test_no_byte_from_an_article_reaches_the_terminal(tmp_path):
    folder = tmp_path / "hostile"
    hostile_folder(folder)
    raw = tmp_path / "raw.bytes"
    env = {"PAGER": "sh -c 'cat \"$@\"; echo PAGER-DONE' pager", "EDITOR": "sh -c 'cat \"$1\"; echo EDITOR-DONE' editor"}
    term = Terminal(tmp_path / "home", [str(folder)], width=100, height=30, env=env, raw=raw)
    try:
        term.wait_status(lambda s: "10 articles" in s and "indexing" not in s, "the hostile folder indexed")

        def written() -> bytes:
            return raw.read_bytes() if raw.exists() else b""

        def wait_written(marker: bytes, what: str) -> None:
            term.wait(lambda _: marker in written(), what)

        for marker in [*PAYLOADS, "front", "page", "named"]:
            term.keys("/", "C-u")
            term.type(f"{marker}word")
            term.keys("Enter")
            term.wait(lambda s: f"{marker}word" in s and "1 article" in s.rstrip().split("\n")[-1],
                      f"the {marker} article found and shown")

        # The last one read (the named file) goes to the pager, the editor and a pipe.
        term.keys("/", "C-u")
        term.type("hyperlinkword")
        term.keys("Enter")
        term.wait(lambda s: "1 article" in s.rstrip().split("\n")[-1], "the hyperlink article found")
        term.keys("p")
        wait_written(b"PAGER-DONE", "the pager's output")
        term.wait_status(lambda s: "1 article" in s, "the reader back after the pager")
        term.keys("E")
        wait_written(b"EDITOR-DONE", "the editor's output")
        term.wait_status(lambda s: "1 article" in s, "the reader back after the editor")
        term.keys("|")
        term.wait_for("Pipe the article")
        term.type("cat; echo PIPE-DONE")
        term.keys("Enter")
        term.wait_for("press Enter to return")
        term.keys("Enter")
        term.wait_status(lambda s: "1 article" in s, "the reader back after the pipe")
        term.keys("Y")
        term.wait_for("Citation copied")
        term.keys("/", "C-u")
        term.type("frontword")
        term.keys("Enter")
        term.wait(lambda s: "frontword" in s, "the front-matter article")
        term.keys("y")
        term.wait_for("URL copied")
        term.keys("q")
        term.wait_exit()
    finally:
        term.close()

    data = raw.read_bytes()
    # What was handed over did arrive: the pager, the editor and the pipe printed the text.
    assert data.count(b"hyperlinkword") >= 4
    for sequence in FORBIDDEN:
        assert sequence not in data, f"{sequence!r} reached the terminal"
    # The only OSC sequences are the reader's own copies to the clipboard, of clean text.
    found = re.findall(rb"\x1b\]([^\x07\x1b]*)(\x07|\x1b\\)", data)
    oscs = [osc for osc, _ in found]
    copies = [base64.b64decode(osc.split(b";", 2)[2]).decode() for osc in oscs if osc.startswith(b"52;")]
    assert len(copies) == 2, oscs
    assert all(not osc.startswith(b"8;") for osc in oscs), oscs  # no hyperlinks
    for copied in copies:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", copied), repr(copied)
    assert "hyperlinkhead" in copies[0] and copies[1].startswith("http://example.org/")
    # BEL, backspace and carriage return from an article: BEL only ends the reader's own OSC.
    assert data.count(b"\x07") == sum(end == b"\x07" for _, end in found), "a bell from an article"
    assert b"\x08\x08\x08" not in data and b"\rOVERWRITE" not in data
