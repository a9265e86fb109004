"""The first ten minutes, through a real terminal: the installed `dossier` in tmux, at 80x24
and 100x30, on a quiet machine and on one whose two cores are busy with other work.

Each journey is what a new user does: open, search (also while a folder is still being
indexed), read, next and previous hit, pivot to a person and back, Esc then a key, tag,
save a search and run it again, export, read the help to its end, quit. Keys go in bursts,
as SSH delivers them; every wait is for something on the screen, with a deadline; every
screen seen is checked for error text (tests/terminal.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from .conftest import CORPORA
from .terminal import DOSSIER, Load, Terminal, available

pytestmark = pytest.mark.skipif(not available(), reason="needs tmux and the installed dossier command")

SIZES = [(80, 24), (100, 30)]
NEWEST = "Iran Missiles Strike U.S. Targets in Iraq"


@pytest.fixture(params=["quiet", "busy"])
def load(request):
    if request.param == "quiet":
        yield "quiet"
        return
    with Load():
        yield "busy"


@pytest.fixture(scope="session")
def indexed_home(tmp_path_factory):
    """A home with the bundled seeds indexed, made once by the installed command itself."""
    home = tmp_path_factory.mktemp("indexed-home")
    subprocess.run([DOSSIER, "index"], env={**os.environ, "DOSSIER_HOME": str(home)}, check=True,
                   capture_output=True)
    return home


@pytest.fixture
def home_copy(indexed_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(indexed_home, home)
    return home


@pytest.fixture
def terminals():
    opened: list[Terminal] = []

    def open_terminal(*args, **kwargs) -> Terminal:
        terminal = Terminal(*args, **kwargs)
        opened.append(terminal)
        return terminal

    yield open_terminal
    for terminal in opened:
        terminal.close()


def cli_json(home, *args) -> dict:
    out = subprocess.run([DOSSIER, *args, "--json"], env={**os.environ, "DOSSIER_HOME": str(home)},
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def reader_lines(screen: str) -> list[str]:
    """The reading pane's columns of each line (it starts where its title sits)."""
    lines = screen.split("\n")
    border = next((line for line in lines[:4] if "Reading" in line), None)
    if border is None:
        return []
    column = border.index("Reading")
    return [line[column:] for line in lines[3:-1]]


def reader_shows(screen: str, text: str) -> bool:
    return any(text in line for line in reader_lines(screen))


def dialog_text(screen: str) -> str:
    """The text inside a dialog's box, its lines joined (a long path folds over lines)."""
    inside = [line[line.index("│") + 1:line.rindex("│")].strip() for line in screen.split("\n") if line.count("│") >= 2]
    return "".join(inside)


def status_of(screen: str) -> str:
    return screen.rstrip("\n").split("\n")[-1]


def bar_of(screen: str) -> str:
    return screen.split("\n")[0]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_launch_says_what_it_is_doing_from_the_first_frame(size, load, terminals, tmp_path):
    home = tmp_path / "new-home"
    term = terminals(home, width=size[0], height=size[1])
    # The first whole frame (its bottom row, the status line, drawn: tmux can be caught halfway
    # through painting one) already says that the folder is being indexed.
    first = term.wait(lambda s: s.split("\n")[size[1] - 1].strip() != "", "the first whole frame", timeout=60)
    assert "indexing" in status_of(first), first
    screen = term.wait_status(lambda s: "5 articles" in s and "indexing" not in s, "the five seeds listed")
    # The cursor is on the newest article and the reader shows it.
    screen = term.wait(lambda s: reader_shows(s, NEWEST), "the newest article in the reader")
    assert term.frames > 1
    term.keys("q")
    term.wait_exit()


def test_a_search_typed_as_soon_as_the_list_appears(load, terminals, tmp_path):
    """/ and a word sent the moment the first articles are listed (they were lost entirely
    on a busy machine): the search is in the bar and finds its article once indexed."""
    term = terminals(tmp_path / "new-home", width=100, height=30)
    term.wait_status(lambda s: re.search(r"[1-9] articles?", s) is not None, "the first articles listed")
    term.keys("/", *"kirby", "Enter")
    term.wait(lambda s: bar_of(s).rstrip() == "/ kirby" and "1 article" in status_of(s), "kirby found")
    term.keys("q")
    term.wait_exit()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search_read_pivot_back_and_escape_then_a_key(size, load, home_copy, terminals):
    term = terminals(home_copy, width=size[0], height=size[1])
    term.wait_status(lambda s: "5 articles" in s, "the seeds listed")
    term.keys("/", *"iran", "Enter")  # one burst, as SSH sends typing
    term.wait(lambda s: bar_of(s).startswith("/ iran") and "Articles · relevance" in s, "the iran results")
    # "/" then ctrl+u then a word in one burst: the bar holds the word, the list its results.
    term.keys("/", "C-u", *"soleimani", "Enter")
    screen = term.wait(lambda s: bar_of(s).rstrip() == "/ soleimani" and "1 article" in status_of(s), "one result")
    screen = term.wait(lambda s: "3 hits" in status_of(s) and reader_shows(s, NEWEST), "the article with 3 hits")
    term.keys("Enter", "n")
    term.wait(lambda s: "hit 1 of 3" in status_of(s), "n: the first hit")
    term.keys("N", "N")
    term.wait(lambda s: "hit 2 of 3" in status_of(s), "N twice: the second hit, from the end")
    # The entity pane: the article's people first; Enter opens the person's page, and Enter
    # there (on "All 2 articles") searches everywhere for him.
    term.keys("3")
    screen = term.wait(lambda s: "People" in s and "Qasem Soleimani" in s, "the entity pane")
    term.keys("Enter")
    term.wait(lambda s: "All 2 articles naming Qasem Soleimani" in s and "Spellings" in s, "his entity page")
    term.keys("Enter")
    # The pivot: each row says how often its article names him (what the list is ranked by).
    term.wait(lambda s: 'person:"Qasem Soleimani"' in bar_of(s) and "2 articles" in status_of(s)
              and len(re.findall(r"\b\d+× ", s)) == 2, "the pivot with each article's mentions")
    term.keys("b", "b")  # back to his page, and back again to the search it was opened from
    term.wait(lambda s: bar_of(s).rstrip() == "/ soleimani" and "1 article" in status_of(s), "back to soleimani")
    # Esc then j, typed as one motion: the search is left and the cursor moves down.
    second = cli_json(home_copy, "search", "iran")["hits"][1]["title"]
    term.keys("/", "C-u", *"iran", "Escape", "j")
    screen = term.wait(lambda s: bar_of(s).rstrip() == "/ iran" and reader_shows(s, second[:20]),
                       "the second iran result in the reader")
    assert "iranj" not in screen
    # Esc on its own, then a key: the bar loses the focus (its colour changes), then j moves.
    term.keys("/", "C-u", *"kirby")
    term.wait(lambda s: bar_of(s).rstrip() == "/ kirby", "kirby typed")
    focused_bar = term.styled().split("\n")[0]
    term.keys("Escape")
    term.wait(lambda s: term.styled().split("\n")[0] != focused_bar, "Esc alone leaving the search bar")
    term.keys("/", "C-u", *"brown", "Escape", "c")  # Esc then c: clears the search
    term.wait(lambda s: "5 articles" in status_of(s) and not bar_of(s).startswith("/ brown"), "c clearing the search")
    term.keys("q")
    term.wait_exit()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_tag_save_search_export_help_and_quit(size, load, home_copy, terminals, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    term = terminals(home_copy, width=size[0], height=size[1], cwd=work)
    term.wait_status(lambda s: "5 articles" in s, "the seeds listed")
    # Tags: what is typed is visible in the prompt, then in the reader's header.
    term.keys("t", *"followup urgent")
    term.wait(lambda s: "Tags" in s and "followup urgent" in s, "the typed tags in the prompt")
    term.keys("Enter")
    term.wait(lambda s: reader_shows(s, "#followup #urgent"), "the tags in the reader's header")
    # Save a search, clear, run it again from the saved searches.
    term.keys("/", *"iran", "Enter")
    term.wait(lambda s: bar_of(s).startswith("/ iran") and "Articles · relevance" in s, "the iran results")
    term.keys("S", "C-u", *"iran watch")
    term.wait(lambda s: "Save" in s and "iran watch" in s, "the name typed in the save prompt")
    term.keys("Enter", "c")
    term.wait(lambda s: "5 articles" in status_of(s) and "Articles · newest first" in s, "the search cleared")
    term.keys("L")
    term.wait(lambda s: "Saved searches" in s and "iran watch" in s and "unread of" in s, "the saved searches")
    term.keys("Enter")
    term.wait(lambda s: bar_of(s).startswith("/ iran") and "Articles · relevance" in s, "the saved search run")
    # Export: the full path is on the screen before Enter, and the file lands there.
    term.keys("x", "C-u", *"iran.md")
    target = work / "iran.md"
    # The explanation follows the typed text a frame later: wait for the whole path, folded or not.
    term.wait(lambda s: "Writes Markdown to" in s and str(target) in dialog_text(s), "the export path in the prompt")
    term.keys("Enter")
    term.wait(lambda s: "Exported" in s, "the export done")
    assert target.exists() and "Soleimani" in target.read_text(encoding="utf-8")
    term.wait(lambda s: "Exported" not in s, "the export's notice gone")  # it would cover the help's right side
    # Help: scrolled to its end with the list's keys, every key seen on the way.
    term.keys("?")
    screen = term.wait(lambda s: "more below" in s, "the help saying there is more below")
    seen = dialog_text(screen)
    for _ in range(20):
        if "▲ the end" in screen:
            break
        term.keys("PageDown")
        screen = term.wait(lambda s: "▲ the end" in s or dialog_text(s) not in seen, "the help scrolling")
        seen += dialog_text(screen)
    assert "▲ the end" in screen
    for described in ["Export the results to a file", "Export this article", "Watch the folder", "Quit"]:
        assert re.sub(r"\s+", "", described) in re.sub(r"\s+", "", seen), described  # wrapped or not
    term.keys("Escape")
    term.wait(lambda s: "more below" not in s and "▲ the end" not in s, "the help closed")
    term.keys("q")
    term.wait_exit()
    starred = cli_json(home_copy, "search", "tag:followup")
    assert [h["title"] for h in starred["hits"]] == [NEWEST]


def _sgr_colours(styled_line: str, column: int) -> tuple[str, str]:
    """(foreground, background) in force at a cell of a line captured with its SGR codes."""
    fg, bg, reverse = "default", "default", False
    cell = 0
    for token in re.finditer(r"\x1b\[([\d;:]*)m|(.)", styled_line):
        if token.group(2) is not None:
            if cell == column:
                return (bg, fg) if reverse else (fg, bg)
            cell += 1
            continue
        codes = [int(c) if c else 0 for c in token.group(1).replace(":", ";").split(";")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code == 0:
                fg, bg, reverse = "default", "default", False
            elif code == 7:
                reverse = True
            elif code == 27:
                reverse = False
            elif 30 <= code <= 37 or 90 <= code <= 97:
                fg = f"ansi{code}"
            elif 40 <= code <= 47 or 100 <= code <= 107:
                bg = f"ansi{code - 10}"
            elif code in (38, 48):
                kind = codes[i + 1] if i + 1 < len(codes) else 0
                value = ",".join(map(str, codes[i + 2:i + 3] if kind == 5 else codes[i + 2:i + 5]))
                if code == 38:
                    fg = f"{kind}:{value}"
                else:
                    bg = f"{kind}:{value}"
                i += 2 if kind == 5 else 4
            elif code == 39:
                fg = "default"
            elif code == 49:
                bg = "default"
            i += 1
    return (bg, fg) if reverse else (fg, bg)


@pytest.mark.parametrize("colours", ["standard", "256"])
def test_the_cursor_rows_unread_mark_is_visible(colours, home_copy, terminals):
    term = terminals(home_copy, width=100, height=30, env={"TEXTUAL_COLOR_SYSTEM": colours})
    term.wait_status(lambda s: "5 articles" in s, "the seeds listed")
    term.type("*")
    term.wait(lambda s: s.split("\n")[3].startswith("★"), "the star on the first row")
    first_row = term.styled().split("\n")[3]
    for row in (3, 4):  # the cursor's row (starred), the next one (unread)
        line = term.styled().split("\n")[row]
        fg, bg = _sgr_colours(line, 0)
        assert fg != bg, (row, fg, bg, line)
    term.keys("j")  # the cursor onto an unread row
    term.wait(lambda s: term.styled().split("\n")[3] != first_row, "the cursor leaving the first row")
    line = term.styled().split("\n")[4]
    fg, bg = _sgr_colours(line, 0)
    assert fg != bg, (fg, bg, line)
    term.keys("q")
    term.wait_exit()


def _bbc() -> str:
    path = CORPORA / "bbc-news-2005" / "bbc"
    if not path.exists():
        pytest.skip(f"the BBC corpus is not at {path}")
    return str(path)


def test_search_while_a_folder_is_being_indexed(load, terminals, tmp_path):
    folder = _bbc()
    term = terminals(tmp_path / "new-home", [folder], width=100, height=30)
    term.wait(lambda s: "indexing" in status_of(s), "indexing from the first frame")
    term.wait(lambda s: re.search(r"[1-9][\d,]* articles?", status_of(s)) and "indexing" in status_of(s),
              "the first articles listed while indexing goes on")
    term.keys("/", "C-u", *"economy", "Enter")
    screen = term.wait(lambda s: bar_of(s).rstrip() == "/ economy" and "Articles · relevance" in s
                       and re.search(r"[1-9][\d,]* articles?", status_of(s)), "results while indexing")
    assert "by file path" not in screen or "relevance" in screen
    term.keys("c")
    term.wait(lambda s: "Articles · by file path" in s, "the undated BBC folder listed by file path")
    term.keys("/", *"date:2005", "Enter")
    term.wait(lambda s: "no article in this folder has a date" in s, "why date:2005 finds nothing")
    term.keys("q")
    term.wait_exit()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_story_in_three_versions_listed_once_expanded_compared_and_read(size, load, terminals, tmp_path):
    """Two rewrites of a seed's wire story beside the seeds: the list shows the story once
    ("+2"), z lists its versions under it, d compares them sentence by sentence, l moves to
    the next version, Enter reads it. z, d and l go in the burst that runs the search."""
    from .test_stories import SEEDS, WIRE, changed_quote, seed, trimmed

    folder = tmp_path / "news"
    shutil.copytree(SEEDS, folder)
    (folder / "wire").mkdir()
    (folder / "wire" / "quote.txt").write_text(changed_quote(seed(WIRE)), encoding="utf-8")
    (folder / "wire" / "trimmed.txt").write_text(trimmed(seed(WIRE)), encoding="utf-8")
    home = tmp_path / "home"
    subprocess.run([DOSSIER, "index", str(folder)], env={**os.environ, "DOSSIER_HOME": str(home)}, check=True,
                   capture_output=True)
    term = terminals(home, [str(folder)], width=size[0], height=size[1])
    term.wait_status(lambda s: "7 articles in 5 stories" in s, "seven articles listed as five stories")
    term.keys("/", *"kirby", "Enter", "z")
    screen = term.wait(lambda s: "3 articles in 1 story" in status_of(s) and s.count("└") == 3,
                       "kirby's story with its three versions listed under it")
    assert "+2" in screen
    term.keys("z", "d", "l")
    screen = term.wait(lambda s: "A story in 3 versions" in s and "- dropped" in s, "d then l: the trimmed version's changes")
    text = dialog_text(screen)
    assert "main version" in text and "Against the main version" in text
    term.keys("h")
    term.wait(lambda s: "~ changed quote" in s and "Baghdad" in s, "h: the changed quote")
    term.keys("Enter")
    term.wait(lambda s: "A story in 3 versions" not in s and reader_shows(s, "Iran initiates missile launch"),
              "Enter: the version in the reader")
    term.keys("q")
    term.wait_exit()
