"""Arbitrary strings thrown at the query parser and search (hypothesis): no exception
escapes, and a query that cannot run gets a message a person can act on."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.corpus import Corpus
from index.ingest import ingest
from index.query import QueryError
from index.search import Engine

from .conftest import SEEDS

SYNTAX = ['"', "(", ")", "*", "?", "~", ":", "[", "]", " to ", " AND ", " OR ", " NOT ", "title:", "date:",
          "date:>", "person:", "source:", "~2", "\\", "^", "{", "}", "-", "+", "\x00", "\x1b[2J", "iran", "sol"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    corpus = Corpus.open(SEEDS, tmp_path_factory.mktemp("prop-home"))
    ingest(corpus)
    with Engine(corpus) as eng:
        yield eng


def run(engine, text):
    try:
        results = engine.search(text, limit=5)
        assert results.total >= 0
        engine.result_list(text)
    except QueryError as exc:
        message = str(exc)
        assert message and len(message) < 300 and "Traceback" not in message


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
