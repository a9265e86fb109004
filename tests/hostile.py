"""A hostile corpus, generated (never stored as binaries): everything a real folder of
articles can throw at a reader. `build(root)` writes it and returns what each file should
become: ("indexed", a word its text must contain) or ("skipped", part of the reason)."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

ESCAPES = {
    "csi": "\x1b[2J\x1b[H\x1b[31;1m",
    "osc_title": "\x1b]0;pwned title\x07",
    "osc_hyperlink": "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "osc52_clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "c1_csi": "\x9b31m",
    "bell_backspace_cr": "\x07\x08\x08\x08\rOVERWRITE",
}


def _write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def build(root: Path) -> dict[str, tuple[str, str]]:
    expect: dict[str, tuple[str, str]] = {}

    def article(rel, data, word):
        _write(root, rel, data)
        expect[rel] = ("indexed", word)

    def broken(rel, data, reason):
        _write(root, rel, data)
        expect[rel] = ("skipped", reason)

    for name, seq in ESCAPES.items():
        article(f"escapes/{name}.txt", f"Title {seq} {name}tag\n\nBody {seq} text with {name}body inside.", f"{name}body")
    article("enc/invalid-utf8.txt", b"Broken bytes\n\nCaf\xc3 au lait \xff\xfe invalidutf here.", "invalidutf")
    article("enc/cp1252.txt", "Quotes\n\n\u201cSmart\u201d quotes cost \u00a35 \u2014 cpword.".encode("cp1252"), "cpword")
    article("enc/latin1.txt", "Caf\u00e9\n\nlatinword na\u00efve.".encode("latin-1"), "latinword")
    article("enc/utf16-bom.txt", codecs.BOM_UTF16_LE + "UTF16 title\n\nutfsixteenword body.".encode("utf-16-le"), "utfsixteenword")
    article("enc/utf16-nobom.txt", "UTF16 plain\n\nnobomword body.".encode("utf-16-be"), "nobomword")
    article("enc/nul-bytes.txt", b"Nul title\n\nsome\x00 nulword text\x00.", "nulword")
    broken("bin/image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(200), "binary file")
    broken("bin/random.md", bytes(range(256)) * 8, "binary file")
    broken("empty.txt", b"", "empty file")
    broken("blank.txt", b"   \n\t\n  ", "empty file")
    # 20 MB of text in paragraphs, and one 4 MB line.
    paragraph = ("The convoy moved along the river road before dawn, reporters said. " * 8 + "\n\n")
    article("big/twenty-megabytes.txt", "Huge report\n\n" + paragraph * (20_000_000 // len(paragraph)) + "hugeword end.", "hugeword")
    article("big/one-line.txt", "Long line\n\n" + "word " * 800_000 + "linelongword", "linelongword")
    article("scripts/persian.txt", "گزارش\n\nایران حمله موشکی انجام داد persianword.", "persianword")
    article("scripts/cjk.txt", "新闻\n\n伊朗发射导弹 cjkword。", "cjkword")
    article("scripts/emoji.txt", "Emoji 🚀 title\n\nEmoji 🇮🇷 body e\u0301\u0301\u0301 emojiword.", "emojiword")
    article("markup/rich.txt", "[bold red]Rich[/] title\n\n[link=http://x]richword[/link] and [blink]x[/].", "richword")
    article("markup/textual.md", "Textual $accent\n\n[@click=app.quit]quit[/] textualword.", "textualword")
    article("markup/html.txt", "<script>alert(1)</script>\n\n<b>htmlword</b> <img src=x onerror=alert(1)>", "htmlword")
    article("names/with spaces.txt", "Spaces\n\nspaceword.", "spaceword")
    article("names/ünïcödé-名前.txt", "Unicode name\n\nunicodenameword.", "unicodenameword")
    article("names/-leading-dash.txt", "Dash\n\ndashword.", "dashword")
    deep = "/".join(f"d{i}" for i in range(40))
    article(f"{deep}/deep.txt", "Deep\n\ndeepword.", "deepword")
    os.symlink(root, root / "names" / "loop")
    unreadable = _write(root, "locked/secret.txt", "Secret\n\nsecretword.")
    unreadable.chmod(0)
    expect["locked/secret.txt"] = ("unreadable", "secretword")  # skipped unless running as root
    return expect
