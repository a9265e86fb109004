"""index.fastrank scores like Whoosh: the same articles, the same scores, the same order.

The reader's lists and search's top hits come from the numpy ranker whenever it can run a
query; a difference here would show as a different ranking than Whoosh gives.
"""

import random

import pytest
from whoosh import query as wq

from index.corpus import Corpus
from index.fastrank import Ranker, supported
from index import ingest as ingest_module
from index.ingest import ingest
from index.query import expand_bounded
from index.search import Engine

from .conftest import corpus_path

WORDS = ("oil price bank rate trade market growth export tanker crude opec wheat coffee gold "
         "merger profit strike union court minister election dollar yen budget tax").split()

SYNTHETIC_QUERIES = [
    "oil", "crude oil", "oil OR wheat", "oil AND NOT price", "oil NOT (bank OR rate)",
    "(oil OR gold) AND (price OR market)", "title:oil", "title:oil body:price", "oil^3 wheat",
    "pri*", "opce~", "date:2019", "date:2019-03 oil", "source:wire", "tanker OR tankers",
    '"crude oil"', '"oil price" OR wheat', 'title:"oil price"', '"oil oil"', '"price crude oil"',
    "NOT oil", "NOT oil NOT wheat", "oil OR NOT price", "(NOT oil) OR gold", "NOT (oil AND price)",
    "NOT nothingmatches",
    # Single days and ranges of days, read from the day column (issue 19: 15-40x FTS5 through Whoosh).
    "date:2019-03-15", "date:[2019-03-12 to 2019-05-14]", "date:>2019-03-05", "date:<2019-04-12",
    "oil date:[2019-02-01 to 2019-02-15]", "date:[2019-03-13 to]",
    "date:2019-03-15 OR wheat", "oil NOT date:2019-03-15",
    "nothingmatches", "oil nothingmatches", "nothingmatches OR oil",
]

BBC_QUERIES = [
    "film", "government", "economy growth", "oil prices", "mobile OR phone", "tax NOT labour",
    "title:election", "title:blair body:brown", "champion*", "goverment~", "company shares",
    "(music OR film) AND (award OR prize)", "football^2 club", "said", "people said",
    '"prime minister"', '"mobile phone" OR "video games"', '"the film"', '"gordon brown" tax',
]


def _story(rng: random.Random, i: int) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 300)))
    title = ("oil price " if i % 5 == 0 else "") + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
    return f"---\ntitle: {title}\ndate: 2019-0{1 + i % 9}-1{i % 10}\nsource: Wire {i % 3}\n---\n\n{body}\n"


@pytest.fixture
def synthetic(corpus_dir):
    """Three segments and deleted documents: what a folder looks like after a few runs."""
    rng = random.Random(7)
    for i in range(150):
        (corpus_dir / f"{i:03d}.md").write_text(_story(rng, i))
    corpus = Corpus.open(corpus_dir)
    ingest(corpus, entities=False)
    for i in range(0, 150, 4):
        (corpus_dir / f"{i:03d}.md").write_text(_story(rng, i + 1000))  # re-indexed: deletions
    ingest(corpus, entities=False)
    for i in range(150, 220):
        (corpus_dir / f"{i:03d}.md").write_text(_story(rng, i))
    ingest(corpus, entities=False)
    with Engine(corpus) as engine:
        yield engine


def _assert_same_as_whoosh(engine: Engine, text: str) -> int:
    s = engine.view.searcher
    q, _ = expand_bounded(engine.parse(text), s.reader(), engine.view.lexicons)
    assert supported(q), f"{text!r} ({q!r}) should be scored by numpy"
    theirs = s.search(q, limit=None).top_n  # [(score, docnum)], best first
    docnums, scores = Ranker(s).score_all(q).ranked()
    assert docnums.tolist() == [d for _, d in theirs], text
    assert scores.tolist() == pytest.approx([score for score, _ in theirs], rel=1e-9), text
    top, top_scores = Ranker(s).score_all(q).ranked(limit=5)
    assert top.tolist() == [d for _, d in theirs[:5]], text
    return len(theirs)


def test_scores_and_order_equal_whooshs_across_segments_and_deletions(synthetic):
    reader = synthetic.view.searcher.reader()
    assert not reader.is_atomic() and reader.has_deletions()  # the case that needs offsets and filtering
    found = [_assert_same_as_whoosh(synthetic, text) for text in SYNTHETIC_QUERIES]
    assert all(found[:-3]) and found[-3] == found[-2] == 0, [q for q, n in zip(SYNTHETIC_QUERIES, found) if not n]


def test_engine_lists_and_counts_come_out_as_whoosh_ranks_them(synthetic):
    s = synthetic.view.searcher
    for text in ("crude oil", "oil NOT price", "pri*", '"crude oil"', "oil OR NOT price"):
        q, _ = expand_bounded(synthetic.parse(text), s.reader(), synthetic.view.lexicons)
        theirs = [d for _, d in s.search(q, limit=None).top_n]
        listed = synthetic.result_list(text)
        assert [listed.row(i).id for i in range(len(listed))] == [s.stored_fields(d)["id"] for d in theirs]
        hits = synthetic.search(text, limit=10)
        assert hits.total == len(theirs) == synthetic.count(text)
        assert [h.id for h in hits.hits] == [s.stored_fields(d)["id"] for d in theirs[:10]]
        by_date = synthetic.result_list(text, sort="date")
        assert sorted(by_date.row(i).id for i in range(len(by_date))) == sorted(s.stored_fields(d)["id"] for d in theirs)


def test_a_query_of_dates_alone_lists_its_articles_newest_first(synthetic):
    s = synthetic.view.searcher
    for text in ("date:2019-03-15", "date:[2019-03-12 to 2019-05-14]", "date:2019-03"):
        theirs = s.search(synthetic.parse(text), limit=None)
        hits = synthetic.search(text, limit=None)
        assert hits.sort == "date" and hits.total == len(theirs) > 0, text
        dates = [h.date for h in hits.hits]
        assert dates == sorted(dates, reverse=True), text
        # The first few, chosen without ordering them all, are the first few of the whole order.
        assert [h.id for h in synthetic.search(text, limit=3).hits] == [h.id for h in hits.hits[:3]], text
        listed = synthetic.result_list(text)
        assert [listed.row(i).id for i in range(len(listed))] == [h.id for h in hits.hits], text


def test_queries_only_whoosh_can_score_are_left_to_it(synthetic):
    s = synthetic.view.searcher
    for text in ('"crude oil"~3', "is:starred oil"):
        q, _ = expand_bounded(synthetic.parse(text), s.reader(), synthetic.view.lexicons)
        assert Ranker(s).score_all(q) is None
    assert synthetic.search('"crude oil"~3').total == len(s.search(synthetic.parse('"crude oil"~3'), limit=None))


def test_bbc_rankings_equal_whooshs(tmp_path_factory):
    corpus = Corpus.open(corpus_path("bbc-news-2005"), tmp_path_factory.mktemp("bbc-home"))
    ingest(corpus, entities=False)
    with Engine(corpus) as engine:
        found = [_assert_same_as_whoosh(engine, text) for text in BBC_QUERIES]
    assert all(found), dict(zip(BBC_QUERIES, found))


# An AND reads its rarest part first and decodes only the posting blocks (128 documents each)
# of the other parts where those documents fall: queries that skip most blocks, across
# segments and deletions, and snippets whose words were read only in part.
SKIPPING_QUERIES = [
    "zephyr oil", "oil zephyr", "quokka AND (oil OR wheat)", '"crude oil" zephyr', "ibis crude",
    "(zephyr AND oil) OR quokka", "ibis NOT tanker", "oil NOT zephyr", "zephyr date:[2019-03-12 to 2019-05-14]",
    "ibis AND NOT (zephyr OR quokka)", '"oil price" ibis', "title:oil ibis", "ibis oil price crude",
    "(ibis OR quokka) AND oil AND NOT wheat", "ibis (NOT crude)", "oil AND price AND quokka AND crude",
]


def _rare_story(rng: random.Random, i: int) -> str:
    markers = [word for word, every in (("zephyr", 661), ("quokka", 487), ("ibis", 13)) if i % every == 0]
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 120)))
    return _story(rng, i).replace("\n\n", f"\n\n{' '.join(markers)} {body} ", 1)


NEVER_BY_TIME = 1e9  # seconds between commits


@pytest.fixture(scope="module")
def many_blocks(tmp_path_factory):
    """Words in thousands of articles (dozens of posting blocks), a few rare ones, two
    segments, deletions."""
    folder = tmp_path_factory.mktemp("many-blocks")
    rng = random.Random(11)
    for i in range(1800):
        (folder / f"{i:04d}.md").write_text(_rare_story(rng, i))
    corpus = Corpus.open(folder, tmp_path_factory.mktemp("many-blocks-home"))
    # Batches committed by count only: the time-based commits make a segment layout that
    # changes with the machine's load, and with it the blocks there are to read below.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest_module, "BATCH_SECONDS", NEVER_BY_TIME)
        patch.setattr(ingest_module, "MAX_BATCH_SECONDS", NEVER_BY_TIME)
        ingest(corpus, entities=False)
        for i in range(0, 1800, 7):
            (folder / f"{i:04d}.md").write_text(_rare_story(rng, i + 3))
        for i in range(1800, 2400):
            (folder / f"{i:04d}.md").write_text(_rare_story(rng, i))
        ingest(corpus, entities=False)
    with Engine(corpus) as engine:
        yield engine


def test_and_reads_only_the_blocks_it_needs_and_scores_as_whoosh(many_blocks, monkeypatch):
    reader = many_blocks.view.searcher.reader()
    assert not reader.is_atomic() and reader.has_deletions()
    assert reader.doc_frequency("body", b"oil") > 20 * 128  # many blocks to skip
    from index import whoosh_internals
    decoded = []
    real = whoosh_internals._read_block
    monkeypatch.setattr(whoosh_internals, "_read_block", lambda *args: decoded.append(1) or real(*args))
    found = [_assert_same_as_whoosh(many_blocks, text) for text in SKIPPING_QUERIES]
    assert all(found), [text for text, n in zip(SKIPPING_QUERIES, found) if not n]
    def blocks_decoded(text):
        decoded.clear()
        Ranker(many_blocks.view.searcher).score_all(many_blocks.parse(text))
        return len(decoded)

    # One block of oil's in title and in body for each of zephyr's postings (a deleted copy's
    # too: deletions are checked after the block is read), of dozens, and zephyr's own.
    zephyr = reader.doc_frequency("body", b"zephyr")
    assert 0 < blocks_decoded("zephyr oil") <= 2 * zephyr + 4 < blocks_decoded("oil") / 2


def test_snippets_of_words_read_in_part_equal_a_second_pass(many_blocks, monkeypatch):
    ours = [[(h.id, h.snippet) for h in many_blocks.search(text, limit=20).hits] for text in SKIPPING_QUERIES]
    monkeypatch.setattr("index.highlights._kept_characters", lambda view, word, docnums, found: docnums)
    theirs = [[(h.id, h.snippet) for h in many_blocks.search(text, limit=20).hits] for text in SKIPPING_QUERIES]
    assert ours == theirs


def test_snippets_from_the_ranking_pass_equal_a_second_pass(synthetic, monkeypatch):
    # Snippets take the query words' positions from the postings the ranking read; they must
    # be the ones a separate pass over Whoosh's postings finds.
    texts = ("crude oil", '"oil price"', "oil OR wheat", "pri*", "title:oil body:tanker")
    ours = [[(h.id, h.snippet) for h in synthetic.search(text, limit=20).hits] for text in texts]
    monkeypatch.setattr("index.highlights._kept_characters", lambda view, word, docnums, found: docnums)
    theirs = [[(h.id, h.snippet) for h in synthetic.search(text, limit=20).hits] for text in texts]
    assert ours == theirs
    assert all(hit[1].spans for hits in ours for hit in hits[:3])  # highlighted words, not lead text


def test_a_one_off_command_ranks_few_matches_with_whoosh_in_the_same_order(synthetic, monkeypatch):
    # `dossier search` does not import numpy (70-80 ms) for a query Whoosh ranks sooner.
    from index import planner

    calls = []
    real = planner._whoosh_search
    monkeypatch.setattr(planner, "_whoosh_search", lambda *a, **k: calls.append(1) or real(*a, **k))
    ranked = {text: synthetic.search(text, limit=10) for text in ("crude oil", "oil NOT price", "wheat OR gold")}
    assert not calls  # the ranker, in a process that asks many questions
    monkeypatch.setattr(planner, "_numpy_loaded", lambda: False)
    one_off = Engine(synthetic.corpus, one_off=True)
    try:
        for text, theirs in ranked.items():
            ours = one_off.search(text, limit=10)
            assert [h.id for h in ours.hits] == [h.id for h in theirs.hits] and ours.total == theirs.total, text
    finally:
        one_off.close()
    assert len(calls) == 3
