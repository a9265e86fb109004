"""The query language and search results, on the seed articles."""

import datetime as dt
import re

import pytest

from whoosh.writing import SegmentWriter

from index.corpus import Corpus
from index.ingest import ingest
from index.query import QueryError
from index.search import NO_DATES, Engine

from .conftest import SEEDS


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    home = tmp_path_factory.mktemp("search-home")
    corpus = Corpus.open(SEEDS, home)
    ingest(corpus)
    with Engine(corpus) as eng:
        yield eng


def prefixes(results):
    return sorted(h.path[:3] for h in results.hits)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("soleimani", ["004"]),
        ("missiles kermanshah", ["001"]),  # implicit AND
        ("kermanshah OR psaki", ["001", "003"]),
        ("iran NOT syria", []),  # every seed mentions Syria
        ("(psaki OR kirby) AND NOT blinken", ["002"]),
        ('"missile launch"', ["001", "002"]),
        ('"missile kermanshah"', []),
        ("title:mutual", ["003"]),
        ("author:henningsen", ["001"]),
        ('source:"rolling stone"', ["004"]),
        ("path:004", ["004"]),
        ("date:2017", ["001"]),
        ("date:2014-12", ["002"]),
        ("date:2014-12-11", ["002"]),
        ("date:[2014 to 2018]", ["001", "002"]),
        ("date:>2019", ["004"]),
        ("date:<2015", ["002"]),
        # > and < exclude the period named; >= and <= include it (Whoosh read >2017 as 2017 on)
        ("date:>2017", ["004"]),
        ("date:>=2017", ["001", "004"]),
        ("date:<2017-06-21", ["002"]),
        ("date:<=2017-06-21", ["001", "002"]),
        ("date:>2017-06", ["004"]),
        # months inside ranges (Whoosh read [2014-12 to 2017-05] as 2014 to 2017)
        ("date:[2014-12 to 2017-05]", ["002"]),
        ("date:[2014-12 to 2017-06]", ["001", "002"]),
        ("date:[2017-06-22 to]", ["004"]),
        ("date:[to 2014-12-10]", []),
        ("khatibz*", ["003"]),
        ("suleimani~", ["002", "004"]),  # Soleimani, Suleimani
        ("misile~", ["000", "001", "002", "003", "004"]),  # one edit from "missile", stored as "missil"
        ("launches", ["000", "001", "002", "003", "004"]),  # stemmed: launched, launch
    ],
)
def test_operators(engine, query, expected):
    assert prefixes(engine.search(query, limit=None)) == expected


@pytest.mark.parametrize(
    "query,message",
    [
        ('"open phrase', 'unbalanced quote'),
        ("(iran OR iraq", "'(' is never closed"),
        ("iran)", "')' without a matching '('"),
        ("colour:red", "unknown field 'colour:'"),
        ("title:", "'title:' needs a value"),
        ("date:yesterday-ish", "cannot read the date 'yesterday-ish'"),
        ("date:2017-13", "'2017-13' is not a real date"),
        ("", "empty query"),
        ("the", "no words to search for"),
    ],
)
def test_bad_queries_say_what_is_wrong(engine, query, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        engine.search(query)


def test_did_you_mean(engine):
    results = engine.search("missle")
    assert results.total == 0
    assert results.suggestion == "missile"


def test_did_you_mean_keeps_the_rest_of_the_query(engine):
    results = engine.search('kermanshah AND missle date:2017')
    assert results.total == 0
    assert results.suggestion == "kermanshah AND missile date:2017"


def test_snippet_spans_cover_the_matched_words(engine):
    results = engine.search("soleimani")
    snippet = results.hits[0].snippet
    words = {snippet.text[a:b].lower() for a, b in snippet.spans}
    assert words == {"soleimani"}


def test_hit_spans_for_the_reading_view(engine):
    hit = engine.search("missiles").hits[0]
    article = engine.article(hit.id)
    spans = engine.hit_spans(hit.id, "missiles")
    body_words = {article.text[a:b].lower() for a, b in spans["body"]}
    assert body_words <= {"missile", "missiles"} and len(spans["body"]) >= 3
    assert spans["body"] == sorted(spans["body"])


def test_sort_by_date_newest_first_undated_last(engine):
    results = engine.search("iran", sort="date", limit=None)
    dates = [h.date for h in results.hits]
    assert dates[:3] == [dt.date(2020, 1, 8), dt.date(2017, 6, 21), dt.date(2014, 12, 11)]
    assert dates[3:] == [None, None]


def test_facets(engine):
    results = engine.search("iran", facets=True)
    assert dict(results.facets["year"]) == {"2020": 1, "2017": 1, "2014": 1}
    assert dict(results.facets["source"]) == {"Global Research": 1, "Rolling Stone": 1}


def test_wildcards_are_bounded(engine, monkeypatch):
    monkeypatch.setattr("index.query.MAX_EXPANSION", 3)
    results = engine.search("s*")
    assert results.total > 0
    (note,) = results.notes
    assert re.fullmatch(r"'s' matches \d+ words; searched 3 of them", note)
    monkeypatch.setattr("index.query.MAX_EXPANSION", 64)
    monkeypatch.setattr("index.query.POSTINGS_BUDGET", 6)  # title and body: 3 articles each
    monkeypatch.setattr("index.query.MIN_BUDGET", 3)
    (note,) = engine.search("s*").notes
    # Words in all 5 seeds ("said", "syria") no longer fit: rarer s-words are searched instead.
    assert re.fullmatch(r"'s' matches \d+ words; searched \d+ of them \(left out \d+ found in over 3 articles\)", note)


def test_fuzzy_distance_is_capped(engine):
    from whoosh.query import FuzzyTerm

    fuzzy = [n for n in engine.parse("soleimani~9").leaves() if isinstance(n, FuzzyTerm)]
    assert fuzzy and all(n.maxdist == 2 and n.prefixlength == 1 for n in fuzzy)


def test_article_by_id_prefix(engine):
    hit = engine.search("soleimani").hits[0]
    assert engine.article(hit.id[:6]).id == hit.id


def test_result_list_finds_an_article_without_reading_rows(engine):
    results = engine.result_list("iran", "date")
    target = results.row(3).id
    fresh = engine.result_list("iran", "date")
    assert fresh.index_of(target) == 3 and not fresh._rows  # no stored fields were read
    assert fresh.index_of("0000000000000000") is None


def test_star_alone_lists_everything_and_letterless_patterns_are_explained(engine):
    assert engine.search("*", limit=None).total == 5
    with pytest.raises(QueryError, match="has no letters"):
        engine.search("????")
    with pytest.raises(QueryError, match="has no letters"):
        engine.search("iran *?*")


def test_refresh_after_another_writer_replaces_articles_shows_each_once(seeds_copy):
    """Whoosh's Searcher.refresh() can keep segments the index no longer has; the engine's
    refresh must show every article exactly once after files are re-indexed elsewhere."""
    import os

    corpus = Corpus.open(seeds_copy)
    ingest(corpus)
    with Engine(corpus) as engine:
        assert engine.search("tehran", limit=None).total == 4
        for path in seeds_copy.glob("*.txt"):
            os.utime(path, ns=(1, 5_000_000_000))  # every file "changed": deleted and re-added
        ingest(corpus)
        assert engine.refresh()
        assert engine.search("tehran", limit=None).total == 4
        assert len(engine.result_list(None)) == 5



def test_too_many_matches_for_whoosh_to_rank_are_listed_newest_first(engine, monkeypatch):
    # Queries only Whoosh can score (here a phrase with a slop) cost ~4 µs a match: past RANK_LIMIT
    # they are listed newest first with a note. Words alone are scored all at once whatever
    # their number (index/fastrank.py).
    monkeypatch.setattr("index.planner.RANK_LIMIT", 2)
    text = 'launches OR "space launches"~3'  # in all five seeds
    results = engine.search(text)
    assert results.sort == "date" and results.total == 5
    assert results.notes == ["5 matches: newest first (relevance ranks up to 2)"]
    assert [h.path[:3] for h in results.hits][:3] == ["004", "001", "002"]  # 2020, 2017, 2014
    listed = engine.result_list(text)
    assert listed.sort == "date" and len(listed) == 5 and listed.notes == results.notes
    words = engine.search("launches")
    assert words.sort == "relevance" and words.total == 5 and not words.notes
    assert engine.search('kermanshah OR "space launches"~3').sort == "relevance"  # one match: still ranked


def test_newest_first_order_matches_whooshs_own_sort(corpus_dir, monkeypatch):
    # The date order is built from raw column blocks; it must equal Whoosh's column sort,
    # across segments, with deletions and ties newest document first; undated articles come
    # last, in the order of their file paths.
    from whoosh import query as wq

    for i in range(40):
        date = f"date: 20{10 + i % 7:02d}-0{1 + i % 9}-1{i % 10}\n" if i % 5 else ""
        (corpus_dir / f"{i:02d}.md").write_text(f"---\ntitle: Story {i}\n{date}---\n\nText {i}.\n")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus, entities=False)
    for i in range(0, 40, 7):
        (corpus_dir / f"{i:02d}.md").unlink()  # deletions in the first segment
    for i in range(40, 60):
        (corpus_dir / f"{i:02d}.md").write_text(f"---\ntitle: Story {i}\ndate: 2012-03-0{1 + i % 5}\n---\n\nText.\n")
    commit = SegmentWriter.commit
    monkeypatch.setattr(SegmentWriter, "commit", lambda self, **kw: commit(self, merge=False))
    ingest(corpus, entities=False)  # a second segment; the first keeps its deletions
    with Engine(corpus) as eng:
        s = eng.view.searcher
        leaves = s.reader().leaf_readers()
        assert len(leaves) == 2 and leaves[0][0].has_deletions()
        whoosh_order = [d for _, d in s.search(wq.Every(), limit=None, sortedby="sortdate", reverse=True).top_n]
        listed = eng.result_list(None)
        assert len(listed) == len(whoosh_order) == 54
        dated = [d for d in whoosh_order if s.stored_fields(d).get("date")]
        undated = sorted((d for d in whoosh_order if not s.stored_fields(d).get("date")), key=lambda d: s.stored_fields(d)["file"])
        assert len(undated) == 6 and eng.dated_count() == 48
        assert [listed.row(i).id for i in range(len(listed))] == [s.stored_fields(d)["id"] for d in dated + undated]


def test_a_folder_without_dates_is_listed_by_path_and_says_so_for_date_queries(corpus_dir):
    """The BBC set has no dates: "newest first" means nothing there, and date:2005 finding
    nothing must say why, not only "No articles match"."""
    for name in ["c/3.txt", "a/1.txt", "b/2.txt", "a/0.txt"]:
        (corpus_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus_dir / name).write_text(f"Story {name}\n\nA text about Lagos, file {name}.\n")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus, entities=False)
    with Engine(corpus) as eng:
        listed = eng.result_list(None, "date")
        assert listed.undated and [listed.row(i).title for i in range(4)] == [
            "Story a/0.txt", "Story a/1.txt", "Story b/2.txt", "Story c/3.txt"]
        for query in ["date:2005", "lagos date:>2001", "date:[2001 to 2009]", "date:2005-03-01"]:
            assert eng.search(query).notes == [NO_DATES], query
            assert eng.result_list(query, "relevance").notes == [NO_DATES], query
        assert not eng.search("lagos").notes and eng.result_list("lagos").undated


def test_an_index_with_no_commit_yet_answers_every_call_with_nothing(corpus_dir):
    """The reader searches while the first batch is still being read: an index with no
    segment yet is empty, not a bad query (the first screen said NotImplementedError)."""
    corpus = Corpus.open(corpus_dir)
    with Engine(corpus) as eng:
        assert eng.doc_count == 0
        for sort in ("relevance", "date"):
            for query in [None, "", "*", "iran", "iran is:unread", "is:starred", "date:2020", "ira*", "iran~",
                          '"missile launch"', "person:soleimani"]:
                assert len(eng.result_list(query, sort)) == 0, (query, sort)
                if query:
                    results = eng.search(query, sort=sort, facets=True)
                    assert results.total == 0 and results.hits == [] and not results.notes, (query, sort)
        assert eng.count("iran") == 0 and eng.count("*") == 0
        assert eng.facets("*") == {"source": [], "year": []} and eng.entities() == []
        assert list(eng.articles("")) == [] and eng.dated_count() == 0
        stats = eng.stats()
        assert stats["articles"] == 0 and stats["years"] == {"first": None, "last": None}


def test_facets_and_entities_over_an_index_written_partly_without_entities(corpus_dir, monkeypatch):
    """Articles indexed without spaCy (the model could not be loaded) have no entity column
    values: Whoosh then raises IndexError for them. Facets and `dossier entities` read the
    column per article, so they failed on the whole index ("bad query ... IndexError")."""
    import shutil

    for name in sorted(p.name for p in SEEDS.iterdir())[:3]:
        shutil.copy(SEEDS / name, corpus_dir / name)
    corpus = Corpus.open(corpus_dir)
    ingest(corpus)  # with entities
    for name in sorted(p.name for p in SEEDS.iterdir())[3:]:
        shutil.copy(SEEDS / name, corpus_dir / name)
    commit = SegmentWriter.commit
    monkeypatch.setattr(SegmentWriter, "commit", lambda self, **kw: commit(self, merge=False))
    ingest(corpus, entities=False)  # a second segment without them
    with Engine(corpus) as eng:
        assert len(eng.view.searcher.reader().leaf_readers()) == 2
        for query in ["*", "iran", "said"]:
            facets = eng.facets(query)
            assert facets["person"], query
        assert any(e.kind == "person" for e in eng.entities())
        assert eng.search("iran", facets=True).facets["person"]


def test_a_query_of_only_exclusions_lists_what_is_left_newest_first(seeds_copy, tmp_path):
    """`NOT kermanshah` scores every article it finds the same: listed newest first, counted
    and suggested alike, alone or beside library states (with nothing read yet too)."""
    corpus = Corpus.open(seeds_copy, tmp_path / "home")
    ingest(corpus, entities=False)
    with Engine(corpus) as engine:
        for text in ("NOT kermanshah", "NOT kermanshah NOT psaki", "NOT kermanshah is:unread"):
            results = engine.search(text, limit=None)
            listed = engine.result_list(text)
            assert results.sort == listed.sort == "date", text
            paths = [h.path[:3] for h in results.hits]
            assert [h.id for h in results.hits] == [listed.row(i).id for i in range(len(listed))], text
            assert "001" not in paths and paths[:2] == ["004", "002"], (text, paths)  # 2020, 2014
            assert engine.count(text) == results.total == len(listed), text
        assert len(engine.search("NOT kermanshah NOT psaki", limit=None).hits) == 3
        ids = [engine.search("soleimani").hits[0].id]
        engine.library.set_read(ids)
        engine.refresh()
        assert engine.search("NOT kermanshah is:unread").total == 3  # 004 read now
        assert engine.search("NOT kermanshah is:read").total == 1
        assert engine.search("NOT kermanshah tag:nothing").total == 0  # no article has the tag
        assert engine.search("NOT missle").suggestion is None  # misspelt, but NOT missile finds nothing
        assert engine.search("soleimani NOT missle").suggestion is None
        assert engine.search("kermanshah NOT psakii").total == 1
