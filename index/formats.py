"""Reading one file into articles: .txt/.md (with optional YAML front matter), .json, .jsonl,
saved web pages (.html/.htm) and RSS/Atom feeds (.rss/.atom/.xml)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from . import sanitize
from .dateline import find_dateline
from .textrepair import repair, repair_encoding, repair_line
from .article import Article, article_id
from .dates import infer_date, parse_date
from .decode import NotText, decode
from .textmeta import Extracted, extract, split_authors, unmarkdown
from .web import FEED_SUFFIXES, HTML_SUFFIXES, NotAnArticle, feed_articles, html_article, looks_like_feed

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES

# The usual field names of article exports, in order of preference.
_TITLE_KEYS = ("title", "headline", "name")
_TEXT_KEYS = ("text", "body", "content", "article", "full_text", "maintext", "description", "summary")
_DATE_KEYS = ("date", "published", "published_at", "publish_date", "pubdate", "pubDate",
              "date_publish", "datetime", "created_at", "time", "timestamp")
_AUTHOR_KEYS = ("authors", "author", "byline", "creator", "creators")
_SOURCE_KEYS = ("source", "publication", "publisher", "site", "site_name", "source_domain", "feed")
_URL_KEYS = ("url", "link", "href", "permalink")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


class Unreadable(Exception):
    """A file that yields no article; the message is the reason shown in the skip report."""


def _first(record: dict, keys: tuple[str, ...]):
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):  # e.g. {"name": "Reuters"} or {"href": ...}
        value = _first(value, ("name", "title", "href", "url", "value", "text"))
    if isinstance(value, list):
        value = " ".join(str(_as_text(v) or "") for v in value)
    return str(value) if value is not None else None


def _authors(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        names = []
        for item in value:
            text = _as_text(item)
            if text:
                names.extend(split_authors(text) if isinstance(item, str) and "," in item else [text.strip()])
        return names
    return split_authors(_as_text(value) or "")


def _finish(relpath: str, position: int, meta: Extracted, url: str | None, anchor: str | None = None) -> Article:
    # Repaired before cleaning: a reference can stand for a control character (&#x1b;).
    text = sanitize.clean(repair(meta.body)).strip()
    # "SAN FRANCISCO (Reuters) - " is metadata: the place and the source, not the first words.
    dateline = find_dateline(text)
    if dateline is not None:
        text = text[dateline.length:]
        meta.source = meta.source or dateline.source
    title = sanitize.clean_line(repair_line(meta.title or "")) or Path(relpath).stem
    date, date_from = meta.date, None
    if date is None:  # "2017-06-21-title.txt", a "Published: ..." line atop a JSON body
        date, date_from = infer_date(relpath, text)
    return Article(
        id=article_id(relpath, position, anchor),
        path=relpath,
        title=title,
        text=text,
        authors=tuple(a for a in (sanitize.clean_line(repair_line(x)) for x in meta.authors) if a),
        date=date,
        date_from=date_from,
        source=sanitize.clean_line(repair_line(meta.source)) if meta.source else None,
        url=sanitize.clean_line(url) if url else None,
        dateline=dateline.place if dateline else None,
        position=position,
    )


def _from_record(record: dict, relpath: str, position: int) -> Article | None:
    body = _as_text(_first(record, _TEXT_KEYS)) or ""
    title = _as_text(_first(record, _TITLE_KEYS))
    if not body.strip() and not (title or "").strip():
        return None
    if title:
        meta = Extracted(title=title, body=unmarkdown(body).strip())
    else:
        meta = extract(body)  # no title field: find one in the text as for a .txt file
    meta.date = parse_date(_first(record, _DATE_KEYS)) or meta.date
    meta.authors = _authors(_first(record, _AUTHOR_KEYS)) or meta.authors
    meta.source = _as_text(_first(record, _SOURCE_KEYS)) or meta.source
    return _finish(relpath, position, meta, _as_text(_first(record, _URL_KEYS)))


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML without aliases: nine levels of `&a [*b, *b, ...]` in 1 KB of front matter
    ("billion laughs") expanded without end, holding the index lock. Front matter names a
    title and a date; it never needs an alias."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases are not allowed in front matter")
        return super().compose_node(parent, index)


MAX_FRONT_MATTER = 64 * 1024  # characters: more is not a header


_SIMPLE_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _load_front_matter(text: str):
    """The header as a dict, or None when it is not one. YAML the loader refuses (aliases,
    a syntax error) still gives its plain `key: value` lines: a broken header keeps its
    title, instead of the whole header becoming the article's first lines."""
    if len(text) > MAX_FRONT_MATTER:
        return None
    try:
        return yaml.load(text, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader without aliases)
    except (yaml.YAMLError, RecursionError):
        pairs = {}
        for line in text.split("\n"):
            if (m := _SIMPLE_KEY.match(line)) and m.group(2) and not m.group(2).startswith(("&", "*", "[", "{")):
                pairs.setdefault(m.group(1), m.group(2).strip("'\""))
        return pairs or None


def _from_text(text: str, relpath: str) -> Article:
    front: dict = {}
    if m := _FRONT_MATTER.match(text):
        loaded = _load_front_matter(m.group(1))
        if isinstance(loaded, dict):
            front = loaded
            text = text[m.end():]
    title = _as_text(_first(front, _TITLE_KEYS)) if front else None
    # The text may repeat the title as its first line or heading; any other first line is text.
    meta = extract(text, known_title=title)
    if front:
        if title:
            meta.title = title
        meta.date = parse_date(_first(front, _DATE_KEYS)) or meta.date
        meta.authors = _authors(_first(front, _AUTHOR_KEYS)) or meta.authors
        meta.source = _as_text(_first(front, _SOURCE_KEYS)) or meta.source
    url = _as_text(_first(front, _URL_KEYS)) if front else None
    return _finish(relpath, 0, meta, url)


def _from_feed(data: bytes, relpath: str) -> tuple[list[Article], list[str]]:
    if Path(relpath).suffix.lower() == ".xml" and not looks_like_feed(data[:4000].decode("utf-8", "replace")):
        raise Unreadable("XML that is not an RSS or Atom feed")
    try:
        entries, _title, warnings = feed_articles(data)
    except NotAnArticle as exc:
        raise Unreadable(str(exc)) from None
    except Exception as exc:
        raise Unreadable(f"cannot read the feed ({type(exc).__name__})") from None
    articles = [_finish(relpath, position, entry.meta, entry.url, entry.anchor) for position, entry in enumerate(entries)]
    # Two entries with one id (a feed's mistake) would be one article twice: keep the first.
    seen: set[str] = set()
    unique = []
    for article in articles:
        if article.id in seen:
            warnings.append(f"entry '{article.title[:60]}': the same id as an earlier entry")
            continue
        seen.add(article.id)
        unique.append(article)
    if not unique:
        raise Unreadable(warnings[0] if warnings else "a feed without entries")
    return unique, warnings


def read_articles(data: bytes, relpath: str) -> tuple[list[Article], list[str]]:
    """Articles from one file's bytes, plus warnings (e.g. bad lines of a .jsonl file).

    Raises Unreadable when the file yields no article at all.
    """
    suffix = Path(relpath).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise Unreadable(f"unsupported file type {suffix or '(no extension)'}")
    if not data.strip():
        raise Unreadable("empty file")
    if suffix in FEED_SUFFIXES:
        return _from_feed(data, relpath)
    try:
        text, _encoding = decode(data)
    except NotText as exc:
        raise Unreadable(str(exc)) from None
    # Cleaned before any of it is read as front matter, JSON or HTML: control characters in a
    # YAML header made it no header at all (its lines became the text, "---" the title).
    text = sanitize.clean(repair_encoding(text))
    if not text.strip():
        raise Unreadable("empty file")

    warnings: list[str] = []
    articles: list[Article] = []
    if suffix in HTML_SUFFIXES:
        try:
            page = html_article(text)
        except NotAnArticle as exc:
            raise Unreadable(str(exc)) from None
        except Exception as exc:  # a parser failure on a broken page is a skip, not a crash
            raise Unreadable(f"cannot read the page ({type(exc).__name__})") from None
        return [_finish(relpath, 0, page.meta, page.url)], warnings
    if suffix in TEXT_SUFFIXES:
        article = _from_text(text, relpath)
        if not article.text and not article.title:
            raise Unreadable("no text")
        return [article], warnings

    if suffix in JSON_SUFFIXES:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Unreadable(f"invalid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        except RecursionError:
            raise Unreadable("JSON nested too deeply") from None
        if isinstance(loaded, dict) and not _first(loaded, _TEXT_KEYS):
            # {"articles": [...]} and similar wrappers
            lists = [v for v in loaded.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
            if lists:
                loaded = lists[0]
        records = loaded if isinstance(loaded, list) else [loaded]
        for position, record in enumerate(records):
            if not isinstance(record, dict):
                warnings.append(f"item {position + 1}: not an object")
                continue
            if (article := _from_record(record, relpath, position)) is not None:
                articles.append(article)
            else:
                warnings.append(f"item {position + 1}: no title or text")
    else:
        for lineno, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                warnings.append(f"line {lineno}: invalid JSON ({exc.msg})")
                continue
            except RecursionError:  # one line nested 100,000 deep costs that line, not the file
                warnings.append(f"line {lineno}: JSON nested too deeply")
                continue
            if not isinstance(record, dict):
                warnings.append(f"line {lineno}: not an object")
                continue
            if (article := _from_record(record, relpath, lineno - 1)) is not None:
                articles.append(article)
            else:
                warnings.append(f"line {lineno}: no title or text")
    if not articles:
        raise Unreadable(warnings[0] if len(warnings) == 1 else "no articles in the file" + (f" ({warnings[0]}, ...)" if warnings else ""))
    return articles, warnings
