"""Text as it was written: the scars scrapers, feeds and archives leave in article text.

One step for every source (plain text, Markdown, JSON, HTML, feeds), after decoding and
before indexing (`repair`; `repair_line` for titles):
- HTML character references, once or twice escaped (`&amp;amp;`, `&lt;b&gt;`), and the
  remains of one whose `&` a scraper stripped, where that is unambiguous (`Utah#39;s`,
  `said quot;Yes`): the standard library's `html.unescape` reads them;
- markup written out as text (`<A HREF="...">`, `<b>`): the tag goes, its words stay; a tag
  that breaks a line (`<br>`, `<p>`) becomes a line break. Only tag names HTML has, in the
  forms news text uses them: a ticker such as `<BP>` or `<A>` in a Reuters story stays;
- backslashes used as line breaks, and `\\$` for `$`;
- `¿` between two letters (`America¿s`): an apostrophe lost to a wrong code page.
"""

from __future__ import annotations

import html
import re

# A reference: &name; &#39; &#x27;
_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# A numeric reference whose "&" was lost, only for the characters news text escapes (quotes,
# apostrophes, ampersands, dashes, spaces): "#10;" in "ranked #10; then" is not one.
_ORPHAN_NUMBER = re.compile(r"(?<![&#])#(34|38|39|60|62|145|146|147|148|150|151|160|8211|8212|8216|8217|8220|8221|8230);")
# Where the "&" became a space: "Utah #39;s" is "Utah's", "said quot;Yes quot;." closes after "Yes".
_SPACED_APOSTROPHE = re.compile(r"(?<=\w) #(?:39|146|8217);(?=[a-z])")
_SPACED_CLOSING_QUOTE = re.compile(r"(?<=[\w.,!?]) quot;(?=[\s.,;:!?)]|$)")
_ORPHAN_NAME = re.compile(r"(?<![&\w])(quot|amp|apos|nbsp|lt|gt|mdash|ndash|rsquo|lsquo|rdquo|ldquo);")
_LINE_TAGS = ("br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
              "blockquote", "hr", "pre", "center")
_INLINE_TAGS = ("a", "b", "i", "u", "s", "q", "em", "strong", "font", "span", "img", "sup", "sub", "small", "big",
                "strike", "tt", "code", "td", "th", "abbr", "cite", "del", "ins", "mark", "nobr", "wbr")
_NAMES = "|".join(sorted(_LINE_TAGS + _INLINE_TAGS, key=len, reverse=True))
_ATTRIBUTES = r"""(?:\s+[A-Za-z_:][-\w:.]*\s*=\s*(?:"[^"<>]{0,1000}"|'[^'<>]{0,1000}'|[^\s"'<>=`]{1,1000}))+"""
# A tag as HTML writes it: lower case, with attributes as name=value or none; in upper case
# only with attributes (`<A HREF=...>`) or closing (`</A>`). `<A>`, `<P>`, `<BR>` alone are
# tickers in wire stories, `<Mark Resources Inc>` a company's name: both stay.
_TAG = re.compile(
    rf"<(?P<lower>/?(?:{_NAMES}))(?P<attributes>{_ATTRIBUTES})?\s*/?>"
    rf"|<(?P<upper>(?:{_NAMES.upper()})){_ATTRIBUTES}\s*/?>"
    rf"|</(?P<closing>{_NAMES.upper()})>"
)
_BACKSLASH_BREAK = re.compile(r"[ \t]*\\(?:[ \t]+|\n|$)")
_MISREAD_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\u00bf(?=[a-z])")


# UTF-8 read as cp1252 or latin-1 ("cafÃ©", "Itâ€™s", "Â£5"): a lead byte's character followed
# by a continuation byte's. A cheap test before ftfy looks closer.
_MOJIBAKE = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]")


def repair_encoding(text: str) -> str:
    """Text that was UTF-8 decoded as cp1252 or latin-1 somewhere before it reached the file
    ("cafÃ©"), decoded again right (ftfy, which leaves text alone unless it is sure).
    Called on the whole file right after decoding, before control characters are removed:
    the C1 characters mis-decoded UTF-8 leaves are part of what ftfy reads."""
    if not _MOJIBAKE.search(text):
        return text
    import ftfy  # only for the rare file that needs it

    return ftfy.fix_encoding(text)


def repair(text: str) -> str:
    """The text with its references read, written-out tags removed and backslash breaks made
    line breaks; other text comes back as it was."""
    for _name, applies, rule in RULES:
        if text and applies(text):
            text = rule(text)
    return text


def _backslashes(text: str) -> str:
    return _BACKSLASH_BREAK.sub("\n", text.replace("\\$", "$"))


def repair_line(text: str) -> str:
    """`repair` for one-line fields (titles, authors, sources): line breaks it makes are spaces."""
    return " ".join(repair(text).split())


def _references(text: str) -> str:
    # Twice at most: `&amp;lt;` is `<` escaped twice; a third level is text about references.
    # Only whole references: html.unescape alone also reads "&not" in "&nothing".
    for _ in range(2):
        text, count = _REFERENCE.subn(lambda m: html.unescape(m.group(0)), text)
        if not count:
            break
    text = _SPACED_APOSTROPHE.sub("'", text)
    text = _SPACED_CLOSING_QUOTE.sub('"', text)
    text = _ORPHAN_NUMBER.sub(lambda m: html.unescape(f"&#{m.group(1)};"), text)
    return _ORPHAN_NAME.sub(lambda m: html.unescape(f"&{m.group(1)};"), text)


_SINGLE_TAGS = {"br", "hr", "p", "li", "img", "wbr"}
_CLOSING = re.compile(rf"</({_NAMES})>", re.IGNORECASE)


def _markup(text: str) -> str:
    closed = {name.lower() for name in _CLOSING.findall(text)}

    def replacement(match: re.Match) -> str:
        tag = match.group("lower") or match.group("upper") or match.group("closing")
        name = tag.lstrip("/").lower()
        # "<em>" alone is a ticker ("Marketing Inc <em>"); as markup it comes with "</em>".
        if (match.group("lower") and not tag.startswith("/") and not match.group("attributes")
                and name not in _SINGLE_TAGS and name not in closed):
            return match.group(0)
        return "\n" if name in _LINE_TAGS else ""

    return _TAG.sub(replacement, text)


# (name, a cheap test that it may apply, the rule), in order: the encoding first, then
# references, since what they stand for can be a tag.
RULES = [
    # Again per field: a JSON value can hold mis-decoded text its file's escapes hid ("\u00c3\u00a9").
    ("mis-decoded text (ftfy)", lambda t: _MOJIBAKE.search(t) is not None, repair_encoding),
    ("references", lambda t: "&" in t or ";" in t, _references),
    ("markup", lambda t: "<" in t, _markup),
    ("backslashes", lambda t: "\\" in t, _backslashes),
    ("misread apostrophes", lambda t: "\u00bf" in t, lambda t: _MISREAD_APOSTROPHE.sub("'", t)),
]
