"""Articles from the web's formats: saved HTML pages (trafilatura) and RSS/Atom feeds (feedparser).

Both libraries are made for the job: trafilatura finds a news page's main text and its
metadata (title, authors, date, site) and drops navigation, ads and comments; feedparser
reads every RSS and Atom dialect. Their output goes through the same sanitiser and date
parser as every other format.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import warnings
from dataclasses import dataclass

from .dates import parse_date
from .textmeta import Extracted, split_authors

FEED_SUFFIXES = {".rss", ".atom", ".xml"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MIN_PAGE_WORDS = 5

# trafilatura logs its own doubts ("discarding data", "not enough text") at WARNING: the
# skip report says what matters to the user.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


class NotAnArticle(Exception):
    """The page or feed yields no article; the message is the reason for the skip report."""


@dataclass
class WebArticle:
    meta: Extracted
    url: str | None
    anchor: str | None = None  # a feed entry's stable identity (guid or link)


def _paragraphs(text: str) -> str:
    """trafilatura puts one paragraph per line; the reader separates them with a blank line."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


def _drop_repeated_title(title: str | None, body: str) -> str:
    if title:
        first, _, rest = body.partition("\n\n")
        if first.strip().lower() == title.strip().lower() and rest.strip():
            return rest
    return body


# A numeric character reference to a control character (&#x1b; &#27; &#155;): never text.
# lxml refuses the whole page for one, which then had "no article text".
_CONTROL_REFERENCE = re.compile(r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|0*(?:[0-8]|1[1-24-9]|2[0-9]|3[01]|12[7-9]|1[3-5][0-9]));?")


def html_article(html: str) -> WebArticle:
    """The main text and metadata of a saved news page."""
    import trafilatura

    html = _CONTROL_REFERENCE.sub("", html)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                               include_tables=True, deduplicate=False)
    # A page of links alone gives its navigation back ("Home"): fewer words than a sentence
    # is not an article.
    if document is None or len((document.text or "").split()) < MIN_PAGE_WORDS:
        raise NotAnArticle("no article text found in the page")
    title = (document.title or "").strip() or None
    body = _drop_repeated_title(title, _paragraphs(document.text))
    authors = split_authors(document.author) if document.author else []
    meta = Extracted(title=title, body=body, date=parse_date(document.date) if document.date else None,
                     authors=authors, source=document.sitename or document.hostname or None)
    return WebArticle(meta, document.url or None)


def _html_to_text(fragment: str) -> str:
    """A feed entry's HTML content as text: trafilatura when it finds an article in it,
    else every paragraph of the fragment (short summaries are not "articles" to it)."""
    import lxml.html
    import trafilatura

    if "<" not in fragment:
        return fragment.strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        extracted = trafilatura.extract(fragment, include_comments=False, include_tables=True,
                                        deduplicate=False, favor_recall=True)
    if extracted and len(extracted) >= 0.5 * len(_visible_text(fragment)):
        return _paragraphs(extracted)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for bad in root.xpath("//script|//style|//iframe|//form"):
        bad.drop_tree()
    blocks = [b.text_content().strip() for b in root.xpath("//p|//li|//h1|//h2|//h3|//h4|//blockquote")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else " ".join(root.text_content().split())


def _visible_text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def looks_like_feed(head: str) -> bool:
    """An .xml file is read as a feed only when it is one (sitemaps and the like are not)."""
    sample = head[:2000].lower()
    return any(tag in sample for tag in ("<rss", "<feed", "<rdf:rdf", "<channel"))


def feed_articles(data: bytes) -> tuple[list[WebArticle], str | None, list[str]]:
    """Every entry of an RSS or Atom feed; returns (entries, the feed's title, warnings)."""
    import feedparser

    parsed = feedparser.parse(data)
    version = parsed.get("version") or ""
    if not parsed.entries:
        if parsed.get("bozo") and not version:
            reason = parsed.get("bozo_exception")
            raise NotAnArticle(f"not an RSS or Atom feed ({type(reason).__name__ if reason else 'unreadable'})")
        raise NotAnArticle("a feed without entries")
    feed_title = (parsed.feed.get("title") or "").strip() or None
    out: list[WebArticle] = []
    problems: list[str] = []
    for number, entry in enumerate(parsed.entries, 1):
        content = ""
        if entry.get("content"):
            content = max((c.get("value") or "" for c in entry.content), key=len)
        if not content.strip():
            content = entry.get("summary") or entry.get("description") or ""
        body = _html_to_text(content) if content else ""
        title = (entry.get("title") or "").strip() or None
        if title and "html" in (entry.get("title_detail", {}).get("type") or ""):
            title = html.unescape(re.sub(r"<[^>]+>", "", title)).strip() or None
        if not body.strip() and not title:
            problems.append(f"entry {number}: no title or text")
            continue
        authors: list[str] = []
        if entry.get("authors"):
            authors = [a.get("name", "").strip() for a in entry.authors if a.get("name")]
        elif entry.get("author"):
            authors = split_authors(entry.author)
        date = None
        for key in ("published", "updated", "created"):
            if entry.get(key):
                date = parse_date(entry[key])
                if date:
                    break
        link = entry.get("link") or None
        anchor = entry.get("id") or link or hashlib.blake2b(f"{title}\n{body}".encode(), digest_size=8).hexdigest()
        meta = Extracted(title=title, body=_drop_repeated_title(title, body), date=date, authors=authors,
                         source=feed_title)
        out.append(WebArticle(meta, link, str(anchor)))
    return out, feed_title, problems
