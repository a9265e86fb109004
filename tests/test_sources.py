"""More sources: saved web pages, RSS/Atom feeds and newsboat's cache, on realistic files."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess

import pytest

from index.corpus import Corpus
from index.ingest import ingest
from index.library import Library
from index.search import Engine

from .conftest import write
from .sources.feeds import ATOM, NEWS_PAGE, RSS1, RSS2, RSS091, SITEMAP
from .test_cli import run


# A new entry at the top of the wire feed, as the next fetch would bring it.
NEWER_ITEM = """  <item>
    <title>Ukrainian airliner crashes near Tehran</title>
    <link>https://wire.example.org/middle-east/airliner</link>
    <guid isPermaLink="false">wire-2020-0108-002</guid>
    <pubDate>Wed, 08 Jan 2020 08:00:00 GMT</pubDate>
    <description>A Boeing 737 crashed shortly after take-off from Tehran.</description>
  </item>
"""


def index_folder(folder):
    corpus = Corpus.open(folder)
    report = ingest(corpus)
    return corpus, report


def all_articles(corpus):
    with Engine(corpus) as engine:
        return {a.title: a for a in engine.articles("")}


# -- saved web pages ----------------------------------------------------------------------
def test_a_saved_news_page_keeps_the_article_and_drops_the_rest(corpus_dir):
    write(corpus_dir, "saved/iran-missiles.html", NEWS_PAGE)
    corpus, report = index_folder(corpus_dir)
    assert report.articles_indexed == 1 and not report.skipped
    article = all_articles(corpus)["Iran fires missiles at US bases in Iraq"]
    assert article.authors == ("Jane Reporter",)
    assert article.date.isoformat() == "2020-01-08"
    assert article.source == "The Example Times"
    assert article.url == "https://times.example.org/world/2020/jan/08/iran-missiles"
    text = article.text
    for kept in ("more than a dozen ballistic missiles", "Al-Asad air base in Anbar", "Mohammad Javad Zarif",
                 "airlines rerouted flights"):
        assert kept in text
    for dropped in ("Subscribe for just", "mattresses", "UnhappyReader42", "Praying for everyone", "cookies",
                    "All rights reserved", "Share on Facebook", "Ten photos of the week"):
        assert dropped not in text, dropped
    assert "\n\n" in text  # paragraphs stay paragraphs


def test_pages_without_an_article_are_skipped_with_a_reason(corpus_dir):
    write(corpus_dir, "empty.html", "<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    write(corpus_dir, "broken.htm", b"<html><body><p>\xff\xfe\x00<<<>>>\x00</p>")
    write(corpus_dir, "good.html", NEWS_PAGE)
    corpus, report = index_folder(corpus_dir)
    reasons = {item.relpath: item.reason for item in report.skipped}
    assert "empty.html" in reasons and "no article text" in reasons["empty.html"]
    assert report.articles_indexed == 1


def test_a_page_is_searchable_by_its_author_and_site(corpus_dir):
    write(corpus_dir, "page.html", NEWS_PAGE)
    code, out, _ = run("search", "--corpus", str(corpus_dir), 'author:reporter source:"example times" zarif', "--json")
    assert code == 0 and json.loads(out)["total"] == 1


# -- feeds --------------------------------------------------------------------------------
def test_rss_and_atom_entries_become_articles(corpus_dir):
    write(corpus_dir, "wire.rss", RSS2)
    write(corpus_dir, "defence.atom", ATOM)
    write(corpus_dir, "old/agency.xml", RSS1)
    write(corpus_dir, "vintage.rss", RSS091.encode("latin-1"))
    corpus, report = index_folder(corpus_dir)
    assert not report.skipped and report.articles_indexed == 6
    articles = all_articles(corpus)

    iran = articles["Iran strikes back at US bases in Iraq"]
    assert iran.url == "https://wire.example.org/middle-east/iran-strikes-back"
    assert iran.authors == ("Sam Correspondent",) and iran.date.isoformat() == "2020-01-08"
    assert iran.source == "Example Wire: Middle East"
    assert "killing of Qasem Soleimani" in iran.text  # content:encoded, not the short description
    assert "trackReader" not in iran.text and "<p>" not in iran.text

    oil = articles["Oil prices jump after missile attack"]
    assert oil.text.startswith("Brent crude rose 3%") and oil.authors == ("Alex Markets",)

    atom = articles["Why the Al-Asad strike & its warning matter"]  # an HTML title, unescaped once
    assert atom.authors == ("Dana Analyst", "Lee Editor") and atom.date.isoformat() == "2020-01-09"
    assert atom.text == "Troops at Al-Asad had hours of warning before the missiles landed, officials said.\n\n" \
                        "The Pentagon said no Americans were killed."
    assert articles["Drone policy after Baghdad"].date.isoformat() == "2020-01-07"  # updated, no published

    rdf = articles["Embassy staff reduced in Baghdad"]
    assert rdf.source == "Old Agency (RSS 1.0)" and rdf.authors == ("Pat Writer",)
    assert articles["Café owners in Erbil reopen"].source == "Vintage News 0.91"  # ISO-8859-1 decoded


def test_xml_that_is_not_a_feed_is_skipped(corpus_dir):
    write(corpus_dir, "sitemap.xml", SITEMAP)
    write(corpus_dir, "bad.rss", "<rss><channel><title>t</title>")
    write(corpus_dir, "wire.rss", RSS2)
    _, report = index_folder(corpus_dir)
    reasons = {item.relpath: item.reason for item in report.skipped}
    assert reasons["sitemap.xml"] == "XML that is not an RSS or Atom feed"
    assert "bad.rss" in reasons
    assert report.articles_indexed == 2


def test_a_growing_feed_keeps_its_entries_ids_and_state(corpus_dir):
    path = write(corpus_dir, "wire.rss", RSS2)
    corpus, _ = index_folder(corpus_dir)
    with Engine(corpus) as engine:
        oil = engine.search('title:"oil prices"').hits[0].id
        engine.library.set_starred([oil])
    path.write_text(RSS2.replace("  <item>", NEWER_ITEM + "  <item>", 1), encoding="utf-8")  # new entry on top
    ingest(corpus)
    with Engine(corpus) as engine:
        assert engine.doc_count == 3
        assert [h.title for h in engine.search("is:starred").hits] == ["Oil prices jump after missile attack"]
        assert engine.search("is:starred").hits[0].id == oil


# -- newsboat -----------------------------------------------------------------------------
NEWSBOAT_SCHEMA = """
CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL,
  title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0, is_rtl INTEGER(1) NOT NULL DEFAULT 0,
  etag VARCHAR(128) NOT NULL DEFAULT "");
CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL,
  title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL,
  feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL,
  unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024),
  enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0,
  base VARCHAR(128) NOT NULL DEFAULT "");
CREATE TABLE metadata (db_schema_version_major INTEGER NOT NULL, db_schema_version_minor INTEGER NOT NULL);
INSERT INTO metadata VALUES (2, 11);
"""


def newsboat_reload(tmp_path, feeds: dict[str, str]):
    """A cache made by Debian's newsboat itself, reloading local feed files."""
    folder = tmp_path / "newsboat"
    folder.mkdir(exist_ok=True)
    urls = []
    for name, text in feeds.items():
        (folder / name).write_text(text, encoding="utf-8")
        urls.append((folder / name).as_uri())
    (folder / "urls").write_text("\n".join(urls) + "\n")
    (folder / "config").write_text("")
    cache = folder / "cache.db"
    subprocess.run(["newsboat", "-u", str(folder / "urls"), "-c", str(cache), "-C", str(folder / "config"), "-x", "reload"],
                   check=True, capture_output=True, timeout=60, env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})
    return cache


def schema_cache(tmp_path):
    """A cache written with newsboat's documented schema (for machines without newsboat)."""
    cache = tmp_path / "schema-cache.db"
    db = sqlite3.connect(cache)
    db.executescript(NEWSBOAT_SCHEMA)
    db.execute("INSERT INTO rss_feed (rssurl, url, title) VALUES (?, ?, ?)",
               ("https://wire.example.org/rss", "https://wire.example.org/", "Example Wire"))
    items = [
        ("g1", "Iran strikes back at US bases in Iraq", "Sam Correspondent", "https://wire.example.org/1", 1578450600,
         "<p>Iran fired missiles at Al-Asad after the killing of Qasem Soleimani.</p><script>x()</script>", 1, 0),
        ("g2", "Oil prices jump after missile attack", "Alex Markets, Kim Trader", "https://wire.example.org/2", 1578463800,
         "Brent crude rose 3% in Asian trading.", 0, 0),
        ("g3", "A story newsboat deleted", "", "https://wire.example.org/3", 1578463900, "<p>gone</p>", 1, 1),
    ]
    db.executemany("INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, deleted) "
                   "VALUES (?, ?, ?, ?, 'https://wire.example.org/rss', ?, ?, ?, ?)", items)
    db.commit()
    db.close()
    return cache


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def imported(cache, *extra):
    code, out, err = run("import", "newsboat", str(cache), "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def search_folder(folder, query):
    code, out, err = run("search", "--corpus", folder, query, "--json", "--limit", "50")
    assert code == 0, err
    return json.loads(out)


def test_import_a_schema_built_cache_read_only_with_read_state(tmp_path):
    cache = schema_cache(tmp_path)
    before = digest(cache)
    result = imported(cache)
    assert (result["feeds"], result["items"], result["read"], result["skipped"]) == (1, 2, 1, 1)
    assert digest(cache) == before  # newsboat's cache is never written
    folder = result["folder"]
    hits = search_folder(folder, "soleimani")["hits"]
    assert [h["title"] for h in hits] == ["Iran strikes back at US bases in Iraq"]
    assert hits[0]["source"] == "Example Wire" and hits[0]["authors"] == ["Sam Correspondent"]
    assert hits[0]["date"] == "2020-01-08"
    assert [h["title"] for h in search_folder(folder, "is:read")["hits"]] == ["Oil prices jump after missile attack"]
    assert search_folder(folder, "deleted")["total"] == 0
    code, out, _ = run("show", "--corpus", folder, hits[0]["id"], "--json")
    shown = json.loads(out)
    assert shown["url"] == "https://wire.example.org/1" and "x()" not in shown["text"]
    assert imported(cache)["written"] == 0  # a second import changes nothing


@pytest.mark.skipif(shutil.which("newsboat") is None, reason="needs Debian's newsboat (apt-get install newsboat)")
def test_import_a_cache_made_by_newsboat(tmp_path):
    cache = newsboat_reload(tmp_path, {"wire.rss": RSS2, "defence.atom": ATOM})
    db = sqlite3.connect(cache)  # the user read one item in newsboat
    db.execute("UPDATE rss_item SET unread = 0 WHERE title LIKE 'Oil%'")
    db.commit()
    db.close()
    before = digest(cache)
    result = imported(cache)
    assert (result["feeds"], result["items"], result["read"]) == (2, 4, 1)
    assert digest(cache) == before
    folder = result["folder"]
    titles = {h["title"]: h for h in search_folder(folder, "*")["hits"]}
    assert set(titles) == {"Iran strikes back at US bases in Iraq", "Oil prices jump after missile attack",
                           "Why the Al-Asad strike & its warning matter", "Drone policy after Baghdad"}
    assert titles["Why the Al-Asad strike & its warning matter"]["source"] == "Defence Desk"
    assert titles["Why the Al-Asad strike & its warning matter"]["authors"] == ["Dana Analyst", "Lee Editor"]
    assert search_folder(folder, "is:unread")["total"] == 3

    # A mark made in dossier survives a re-import; a new item arrives with the next reload.
    iran = titles["Iran strikes back at US bases in Iraq"]["id"]
    assert run("star", "--corpus", folder, iran)[0] == 0
    newer = RSS2.replace("  <item>", NEWER_ITEM + "  <item>", 1)
    newsboat_reload(tmp_path, {"wire.rss": newer, "defence.atom": ATOM})
    result = imported(cache)
    assert result["items"] == 5 and result["written"] == 1
    assert search_folder(folder, "airliner")["total"] == 1
    assert [h["id"] for h in search_folder(folder, "is:starred")["hits"]] == [iran]


def test_import_explains_a_missing_or_wrong_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    code, _, err = run("import", "newsboat")
    assert code == 1 and "no newsboat cache found" in err and ".newsboat/cache.db" in err
    not_a_cache = write(tmp_path, "notes.db", "just text")
    code, _, err = run("import", "newsboat", str(not_a_cache))
    assert code == 1 and "is not a newsboat cache" in err
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    code, _, err = run("import", "newsboat", str(other))
    assert code == 1 and "no rss_feed and rss_item tables" in err


def test_default_cache_location(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    cache = schema_cache(tmp_path)
    target = tmp_path / ".newsboat" / "cache.db"
    target.parent.mkdir()
    shutil.copy(cache, target)
    code, out, err = run("import", "newsboat", "--json")
    assert code == 0, err
    assert json.loads(out)["items"] == 2


# -- duplicates ---------------------------------------------------------------------------
def test_the_same_article_from_two_feeds_and_two_pages_is_indexed_once(corpus_dir):
    write(corpus_dir, "feeds/wire.rss", RSS2)
    write(corpus_dir, "feeds/mirror.rss", RSS2.replace("Example Wire: Middle East", "Mirror Wire"))
    write(corpus_dir, "saved/page.html", NEWS_PAGE)
    write(corpus_dir, "saved/syndicated.htm", NEWS_PAGE.replace("The Example Times", "Syndicated Daily"))
    corpus, report = index_folder(corpus_dir)
    assert report.articles_indexed == 3 and report.duplicates == 3
    with Engine(corpus) as engine:
        assert engine.search("soleimani").total == 2  # one page, one feed entry: not four
        page = engine.search("zarif").hits[0]
        assert page.path == "saved/page.html"  # the first in the folder's order is indexed
        assert [(a.path, a.source) for a in engine.also_in(page.id)] == [("saved/syndicated.htm", "Syndicated Daily")]
        entry = engine.search("brent").hits[0]
        assert entry.path == "feeds/mirror.rss"
        assert [a.path for a in engine.also_in(entry.id)] == ["feeds/wire.rss"]
    code, out, _ = run("show", "--corpus", str(corpus_dir), page.id, "--json")
    assert json.loads(out)["also_in"] == [{"path": "saved/syndicated.htm", "title": "Iran fires missiles at US bases in Iraq",
                                           "source": "Syndicated Daily",
                                           "url": "https://times.example.org/world/2020/jan/08/iran-missiles",
                                           "date": "2020-01-08"}]
    code, out, _ = run("show", "--corpus", str(corpus_dir), page.id)
    assert "saved/syndicated.htm (Syndicated Daily)" in out

    assert ingest(corpus).files_indexed == 0  # copies are known: nothing is read again


def test_when_the_indexed_copy_goes_another_takes_its_place(corpus_dir):
    write(corpus_dir, "a/page.html", NEWS_PAGE)
    write(corpus_dir, "b/copy.html", NEWS_PAGE.replace("The Example Times", "Syndicated Daily"))
    corpus, _ = index_folder(corpus_dir)
    (corpus_dir / "a" / "page.html").unlink()
    report = ingest(corpus)
    assert report.removed == 1 and report.articles_indexed == 1
    with Engine(corpus) as engine:
        hits = engine.search("zarif").hits
        assert [(h.path, h.source) for h in hits] == [("b/copy.html", "Syndicated Daily")]
        assert engine.also_in(hits[0].id) == []
    (corpus_dir / "b" / "copy.html").write_text(NEWS_PAGE.replace("Zarif", "Zarif (updated)"), encoding="utf-8")
    ingest(corpus)
    with Engine(corpus) as engine:
        assert engine.search("updated zarif").total == 1


def test_short_texts_are_duplicates_only_with_the_same_title(corpus_dir):
    write(corpus_dir, "a.txt", "Markets\n\nMarkets closed early.")
    write(corpus_dir, "b.txt", "Weather\n\nMarkets closed early.")
    write(corpus_dir, "c.txt", "Markets\n\nMarkets  closed, early!")
    _, report = index_folder(corpus_dir)
    assert report.articles_indexed == 2 and report.duplicates == 1


async def test_the_reader_says_where_else_an_article_appeared(corpus_dir):
    from tui.widgets.reader import ReaderView

    from .pilot import make_app, search, settle

    write(corpus_dir, "saved/page.html", NEWS_PAGE)
    write(corpus_dir, "saved/syndicated.htm", NEWS_PAGE.replace("The Example Times", "Syndicated Daily"))
    corpus, _ = index_folder(corpus_dir)
    async with make_app(corpus).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "zarif")
        await pilot.press("enter")
        await settle(pilot)
        reader = pilot.app.query_one(ReaderView)
        header = "\n".join("".join(s.text for s in reader.render_line(y)) for y in range(6))
        assert "also in: saved/syndicated.htm (Syndicated Daily)" in header
