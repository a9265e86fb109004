"""Arbitrary strings thrown at the query parser and search (hypothesis): no exception
escapes, and a query that cannot run gets a message a person can act on."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.corpus import Corpus
from index.ingest import ingest
from index import query as query_module
from index.query import QueryError
from index import fastrank
from index.errors import InternalError
from index.search import Engine

from .conftest import SEEDS

SYNTAX = ['"', "(", ")", "*", "?", "~", ":", "[", "]", " to ", " TO ", " AND ", " OR ", " NOT ", "title:", "date:",
          "date:>", "person:", "source:", "~2", "\\", "^", "{", "}", "-", "+", "\x00", "\x1b[2J", "iran", "sol",
          ">", "<", ">=", "<=", "=", "group:", "org:", "place:", "event:", "author:", "path:", "year:", "is:", "tag:",
          "has:", "unread", "starred", "2019", "2020-01", "2014-12-11", " ", "é", "日本"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    corpus = Corpus.open(SEEDS, tmp_path_factory.mktemp("prop-home"))
    ingest(corpus)
    with Engine(corpus) as eng:
        yield eng


def run(engine, text):
    """The query answers (the same total both ways) or is refused with a message a person can
    act on. Anything else fails: an InternalError is a bug, not a bad query."""
    try:
        results = engine.search(text, limit=5)
        listed = engine.result_list(text)
    except QueryError as exc:
        message = str(exc)
        assert message and len(message) < 300 and "Traceback" not in message
        assert "Error" not in message and "object has no attribute" not in message, message  # no internals
        return
    assert len(results.hits) == min(results.total, 5)
    if results.sort == listed.sort:
        assert listed.total == results.total, text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_text(engine, text):
    run(engine, text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(alphabet="abcdefiranzos0123456789-", max_size=8)), max_size=25))
def test_query_syntax_soup(engine, parts):
    run(engine, "".join(parts))


@pytest.mark.parametrize(
    "text",
    [
        "*",
        "*a*",
        "?" * 50,
        "soleimani~99",
        "(" * 60 + "iran" + ")" * 60,
        "(" * 30 + "iran" + ")" * 30,
        "iran " * 2000,
        "x" * 10_000,
        'date:[2014 to',
        "date:[to 2015]",
        "title:(iran OR",
        '"' * 3,
        "NOT",
        "AND OR NOT",
        "person:",
        "\x00\x01\x02",
        "日本 ایران 🚀",
    ],
)
def test_pathological_queries_answer_or_explain(engine, text):
    run(engine, text)


def test_an_internal_error_fails_these_properties(engine, monkeypatch):
    """They pass on QueryError only: a bug in the engine (here the ranker) must fail them, and
    reaches the user as an internal error, not as a bad query."""

    def broken(*args, **kwargs):
        raise IndexError("array index out of range")

    monkeypatch.setattr(fastrank.Ranker, "_term", broken)
    with pytest.raises(InternalError, match="internal error while running the query .*IndexError.*errors.log"):
        run(engine, "iran")


def _parsed_both_ways(engine, text, monkeypatch):
    """(the query as parse() makes it, as Whoosh's parser alone makes it), or the errors."""
    def outcome():
        try:
            q = query_module.parse(engine.parser, text)
        except QueryError as exc:
            return ("refused", str(exc)), []
        leaves = [(type(leaf).__name__, {k: v for k, v in vars(leaf).items() if k != "error"}) for leaf in q.leaves()]
        return q, leaves

    quick = outcome()
    with monkeypatch.context() as patch:
        patch.setattr(query_module, "_simple_query", lambda parser, text: None)
        parsed = outcome()
    return quick, parsed


SIMPLE = ["iran", "missile", "missiles", "Kermanshah", "the", "and", "AND", "OR", "NOT", "to", "TO", "of", "3m",
          "1987", "café", "naïve", "日本", "ﬁnance", "Ⅻ", '"', '"missile launch"', '"the missile"', '"of the"',
          "title:iran", "body:missiles", "title:the", "date:2020-01-03", "date:2020-01", "date:2020",
          "date:2020-02-30", "date:2020-13", "date:0000", "date:[2020-01-01 to 2020-01-31]",
          "date:[2020-01-03 to 2020-01-09]", "date:[2020-01-09 to 2020-01-03]", "date:[2019-02-01 to 2020-01-31]"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(SIMPLE), min_size=1, max_size=5), st.sampled_from([" ", "  ", "\t", " \n "]))
def test_simple_queries_are_parsed_as_whoosh_parses_them(engine, monkeypatch, words, space):
    """The shortcut for words, phrases, title:word and dates builds exactly the query Whoosh's
    parser builds (the same query, the same character positions), or leaves it to the parser."""
    text = space.join(words)
    quick, parsed = _parsed_both_ways(engine, text, monkeypatch)
    assert quick == parsed, text


def test_the_shortcut_takes_the_everyday_queries(engine):
    for text in ["iran", "missile launch", '"missile launch"', "title:iran", "date:2020-01-03",
                 "date:[2020-01-03 to 2020-01-09] iran", "date:2020-01"]:
        assert query_module._simple_query(engine.parser, text) is not None, text


@pytest.mark.parametrize("text,suggestion", [
    ("  missle", "  missile"),
    ("date:>2019-12-01 missle", "date:>2019-12-01 missile"),
    ("date:[2019-12-01 to 2020-02-01] missle", "date:[2019-12-01 to 2020-02-01] missile"),
    ('"missle launch" date:>2017-06-01', '"missile launch" date:>2017-06-01'),
    ("text:missle", "text:missile"),
])
def test_did_you_mean_replaces_the_word_as_typed(engine, text, suggestion):
    """Whoosh reads the query after its dates and field names are rewritten; the suggestion
    must still replace the misspelt word where the user typed it (it replaced other letters)."""
    assert engine.search(text).suggestion == suggestion
