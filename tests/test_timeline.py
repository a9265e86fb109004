"""Timelines (index/timeline.py): a search's results by day, month or year, each bar the
search for its period, and narrowing the search from the chart in the reader (T)."""

from __future__ import annotations

import numpy as np

from index.corpus import Corpus
from index.search import Engine
from index.timeline import MAX_BARS, timeline_of
from tui.screens.timeline import TimelineScreen

from .pilot import burst, every_article, make_app, search, settle, wait_for
from .test_app import titles
from .test_entity_pages import folder  # noqa: F401 (a fixture: articles from January to April 2005)


def test_the_finest_unit_that_draws_the_span_in_at_most_72_bars():
    days = timeline_of([20050110, 20050110, 20050112, 0])
    assert (days.unit, days.periods, days.counts, days.undated) == ("day", ["2005-01-10", "2005-01-11", "2005-01-12"], [2, 0, 1], 1)
    months = timeline_of([20050110, 20050420])
    assert months.unit == "month" and months.periods == ["2005-01", "2005-02", "2005-03", "2005-04"]
    assert months.counts == [1, 0, 0, 1]
    years = timeline_of([19870301, 19870302, 20051231])
    assert years.unit == "year" and years.periods[0] == "1987" and years.periods[-1] == "2005"
    assert sum(years.counts) == 3 and len(years.periods) <= MAX_BARS
    # Across a year's end, day by day when the span is short.
    new_year = timeline_of([20041230, 20050102])
    assert new_year.unit == "day" and new_year.periods == ["2004-12-30", "2004-12-31", "2005-01-01", "2005-01-02"]
    assert timeline_of(np.array([], dtype=np.int64)).periods == []


def test_each_bar_counts_what_the_search_for_its_period_finds(folder):  # noqa: F811
    root, home = folder
    with Engine(Corpus.open(root, home)) as engine:
        for text in ("", "London", "Blair", "budget OR speech"):
            timeline = engine.timeline(text)
            assert timeline.total + timeline.undated == (engine.count(text) if text else engine.doc_count)
            for i in range(len(timeline.periods)):
                narrowed = f"{text} {timeline.query(i)}".strip()
                assert timeline.counts[i] == engine.count(narrowed), narrowed
            assert sum(timeline.counts[:2]) == engine.count(f"{text} {timeline.query(0, 1)}".strip())


async def test_narrowing_a_search_from_its_timeline_and_back(folder):  # noqa: F811
    root, home = folder
    async with make_app(Corpus.open(root, home), config=every_article()).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "London")
        before = len(titles(pilot.app))
        with Engine(Corpus.open(root, home)) as engine:
            timeline = engine.timeline("London")
            busiest = timeline.counts.index(max(timeline.counts))
            step, key = (1, "l") if busiest + 1 < len(timeline.periods) else (-1, "h")
            expected = f"London {timeline.query(busiest, busiest + step)}"
            # T, then a range of two months from the busiest, in one burst as SSH sends keys.
            await burst(pilot, "T", "v", key, "enter")
            assert not isinstance(pilot.app.screen, TimelineScreen)
            assert pilot.app.main.state.query == expected and expected.startswith("London date:[2005-0")
            assert len(titles(pilot.app)) == engine.count(expected) < before
        await pilot.press("b")
        await settle(pilot)
        assert pilot.app.main.state.query == "London" and len(titles(pilot.app)) == before
        # Esc closes it without searching.
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TimelineScreen) and pilot.app.screen.timeline,
                       "the timeline")
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.main.state.query == "London"
