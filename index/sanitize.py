"""The one sanitiser every piece of article text passes before a person sees it.

Article files are untrusted: they can carry terminal escape sequences (cursor moves,
window titles, OSC 52 clipboard writes, hyperlinks), C0/C1 control characters, NULs and
bidirectional overrides. `clean` removes all of them and keeps newlines and tabs, so text
can be printed or rendered without acting on the terminal.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings up to BEL or
# ST, and two-character escapes. The 8-bit C1 forms (U+009B CSI, U+009D OSC, ...) too.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?               # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])          # OSC, DCS, SOS, PM, APC ...
        [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?        # ... up to BEL or ST
  | \x1b[ -/]*[0-~]?                                 # other two-character escapes
    """,
    re.VERBOSE,
)
# Remaining C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding and
# override characters that can reorder what is displayed ("Trojan Source").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\ufeff]")


def clean(text: str) -> str:
    """Return `text` with every escape sequence and control character removed.

    Carriage returns become newlines (a bare CR would overwrite the line on a terminal).
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """`clean`, for one-line fields (titles, sources, authors): whitespace runs become one space."""
    return " ".join(clean(text).split())
