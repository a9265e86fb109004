"""What a file or a typed id can smuggle in: bidirectional controls, control characters in
front matter, escape characters written as HTML references, a YAML header that expands
forever, an escape sequence in an id."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from index import sanitize
from index.formats import read_articles
from tui.cli import main

ARABIC = "أعلنت الحكومة العراقية اليوم"
HEBREW = "הממשלה הודיעה היום"


def test_bidi_controls_that_reorder_text_are_removed_everywhere():
    """Embeddings, overrides and isolates ("Trojan Source") reorder what is displayed; no
    Arabic or Hebrew text needs them to read right."""
    for control in ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]:
        cleaned = sanitize.clean(f"price {control}0001{control} dollars")
        assert control not in cleaned and "0001" in cleaned
        assert control not in sanitize.for_terminal(control) and control not in sanitize.clean_line(control)


def test_bidi_marks_are_kept_for_exports_and_made_inert_for_the_terminal():
    """LRM, RLM and ALM only place punctuation next to right-to-left words: exports keep them
    for editors and browsers; in a terminal they become a zero-width space (same length, so
    hit and entity offsets still line up); one-line fields drop them."""
    text = f"{ARABIC}\u200f. Then {HEBREW}\u200e, and \u061c{ARABIC}"
    assert sanitize.clean(text) == text
    shown = sanitize.for_terminal(text)
    assert len(shown) == len(text) and not any(mark in shown for mark in "\u200e\u200f\u061c")
    assert ARABIC in shown and HEBREW in shown  # the letters as written, in their order
    assert sanitize.clean_line(text) == f"{ARABIC}. Then {HEBREW}, and {ARABIC}"


def test_front_matter_with_control_characters_keeps_its_header():
    """A control character made YAML refuse the header: its lines became the text and the
    title was '---'."""
    data = "---\ntitle: Ceasefire \x1b]0;owned\x07talks\ndate: 2020-01-02\x01\n---\nText about Herat.\n"
    article = read_articles(data.encode(), "a.md")[0][0]
    assert article.title == "Ceasefire talks" and str(article.date) == "2020-01-02"
    assert article.text == "Text about Herat."


def test_a_yaml_alias_bomb_in_front_matter_is_not_expanded():
    """Nine levels of aliases in 1 KB of front matter expanded without end (memory 166 ->
    395 MB in 105 s, the index lock held). Read in a child process, with a deadline, so that a
    regression fails instead of hanging the suite."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{'abcdefghi'[i]}"] * 9) + "]")
    data = ("---\ntitle: Laughs\n" + "\n".join(lines) + "\n---\nBody about Kabul.\n").encode()
    code = ("import sys; from index.formats import read_articles; "
            "a = read_articles(sys.stdin.buffer.read(), 'lol.md')[0][0]; print(a.title, '|', a.text)")
    out = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, timeout=120)
    assert out.returncode == 0 and out.stdout.decode().strip() == "Laughs | Body about Kabul."


def test_a_page_with_escape_characters_written_as_references_is_indexed_clean():
    """`&#x1b;` in a saved page made lxml refuse it: "no article text found"."""
    body = " ".join(["The delegation met in Doha to discuss the ceasefire and the prisoners."] * 6)
    page = (f"<html><head><title>Doha talks</title></head><body><article><h1>Doha talks</h1>"
            f"<p>&#x1b;]8;;http://evil.example/&#x1b;\\{body}&#27;[2J &#155;31m</p></article></body></html>")
    article = read_articles(page.encode(), "page.html")[0][0]
    assert "Doha" in article.text and "\x1b" not in article.text and "\x9b" not in article.text


def test_an_escape_typed_in_an_id_is_not_echoed():
    result = CliRunner().invoke(main, ["show", "ab\x1b]0;owned\x07cd"])
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "no article with id" in result.stderr
