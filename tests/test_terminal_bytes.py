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
from .terminal import DOSSIER, Terminal, available

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


def test_moving_to_the_next_article_redraws_only_what_changed(tmp_path):
    """Issue 19: the reading view was redrawn whole, with a second frame for the panes' edges
    (6.7-12 KB a key at 100x30 on these articles). Long real articles, one key at a time: each
    key's bytes run from the moment the reader shows one article to the moment it shows the
    next, so a frame that trails a key is counted in the next. With the entities underlined
    (a style set and reset around each) a full pane of new text is 4-5 KB; without them it is
    under 4 KB, the issue's target."""
    import subprocess

    from index.corpus import Corpus
    from index.search import Engine

    from .conftest import corpus_path

    business = corpus_path("bbc-news-2005") / "bbc" / "business"
    folder = tmp_path / "news"
    for name in [f"{i:03d}.txt" for i in range(1, 13)]:
        write(folder, name, (business / name).read_bytes())
    home = tmp_path / "home"
    subprocess.run([DOSSIER, "index", str(folder), "--home", str(home)], check=True, capture_output=True)
    with Engine(Corpus.open(folder, home)) as engine:
        rows = engine.result_list(None)
        # The reader's first body words of each article, in the list's order.
        openings = [" ".join(engine.article(rows.row(i).id).text.split()[:4]) for i in range(len(rows))]
    raw = tmp_path / "raw.bytes"
    term = Terminal(home, [str(folder)], width=100, height=30, raw=raw)
    try:
        term.wait_status(lambda s: s.rstrip().endswith(" 12 articles") and " of " not in s, "the folder open, nothing to index")
        term.wait(lambda s: openings[0] in s, "the first article in the reader")
        term.keys("1")  # the list

        def read_on(first: int, last: int) -> list[int]:
            """The bytes written for each `j` from article `first` to article `last`."""
            sizes = []
            for i in range(first, last):
                term.wait(lambda s: openings[i - 1] in s, f"article {i} shown")
                sizes.append(raw.stat().st_size)
                term.keys("j")
                term.wait(lambda s: openings[i] in s, f"article {i + 1} shown")
            sizes.append(raw.stat().st_size)
            return [b - a for a, b in zip(sizes, sizes[1:])]

        per_key = read_on(1, 9)
        term.keys("H")  # entity highlighting off
        term.wait(lambda s: "organisation" not in s, "the entity legend gone")
        per_plain_key = read_on(9, 12)
    finally:
        term.close()
    assert max(per_key) <= 6144, per_key
    assert max(per_plain_key) <= 4096, per_plain_key
