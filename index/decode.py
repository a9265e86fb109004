"""Turning a file's bytes into text, or saying why they are not text."""

from __future__ import annotations

import codecs
import re


class NotText(Exception):
    """The bytes are not a text document; the message says what they look like."""


_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
]

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


# Not counted: whitespace, and BEL, BS and ESC, which terminal-minded text carries (and the
# sanitiser removes).
_CONTROL_BYTES = [b for b in range(32) if b not in (7, 8, 9, 10, 12, 13, 27)] + [127]


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM from where the NUL bytes fall (ASCII-heavy text)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _text_with_stray_nuls(head: bytes) -> bool:
    """Text with a few NUL bytes in it (a short file, so a handful is over the 5% a long file
    may have): without them it is words and spaces, and NULs are all its control bytes. A
    binary file has other controls and bytes that make no words."""
    nuls = head.count(0)
    if nuls == 0 or nuls > max(8, len(head) // 8):
        return False
    rest = head.replace(b"\x00", b"")
    if sum(rest.count(b) for b in _CONTROL_BYTES) > max(1, len(rest) // 100):
        return False
    text = rest.decode("utf-8", "replace")
    readable = sum(ch.isalnum() or ch.isspace() or ch in ".,;:!?'\"()-–—/%$€£&@#" for ch in text)
    return readable >= 0.9 * len(text) and len(re.findall(r"[^\W\d_]{3,}", text)) >= 2


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise NotText for binary data.

    Order: a byte-order mark; BOM-less UTF-16; strict UTF-8; cp1252; latin-1 (which
    decodes anything, so a text file is never rejected for its encoding).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise NotText(f"broken {encoding} text ({exc.reason} at byte {exc.start})") from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotText(f"binary file ({what})")
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    head = data[:8192]
    # Binary data is full of control bytes; text has at most a stray NUL or two.
    controls = sum(head.count(b) for b in _CONTROL_BYTES)
    if controls > max(2, len(head) // 20):
        if not _text_with_stray_nuls(head):
            raise NotText("binary file (control bytes)" if head.count(0) < controls // 2 else "binary file (NUL bytes)")
        data = data.replace(b"\x00", b"")  # a few NULs in a short text: the words are what count
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
