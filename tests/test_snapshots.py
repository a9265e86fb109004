"""How the reader looks, at 80x24 and 160x48, in 16 and 256 colours (grouped by feature).

Update after a deliberate change with: python -m pytest tests/test_snapshots.py --snapshot-update
and look at the new SVGs before committing them."""

from __future__ import annotations

import pytest
import textual.constants
from textual.widgets import Input

from index.corpus import Corpus
from index.ingest import ingest
from tui.app import DossierApp

from .conftest import SEEDS
from .pilot import FAST, settle

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
COLOURS = ["standard", "256"]


@pytest.fixture
def app_factory(home, monkeypatch):
    corpus = Corpus.open(SEEDS)
    ingest(corpus)

    def make(colours: str) -> DossierApp:
        monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", colours)
        return DossierApp(corpus, index_in_background=False, timing=FAST)

    return make


async def steady(pilot) -> None:
    """No cursor blink, nothing on its way: the same picture every run."""
    pilot.app.query_one("#search", Input).cursor_blink = False
    await settle(pilot)


@pytest.mark.parametrize("colours", COLOURS)
@pytest.mark.parametrize("size", list(SIZES))
class TestReaderLayout:
    def test_opening(self, snap_compare, app_factory, size, colours):
        assert snap_compare(app_factory(colours), terminal_size=SIZES[size], run_before=steady)

    def test_search_open_and_next_hit(self, snap_compare, app_factory, size, colours):
        async def run(pilot):
            await pilot.press("slash", *"soleimani", "enter")
            await steady(pilot)
            await pilot.press("enter")
            await steady(pilot)
            await pilot.press("n")
            await steady(pilot)

        assert snap_compare(app_factory(colours), terminal_size=SIZES[size], run_before=run)


@pytest.mark.parametrize("size", list(SIZES))
class TestEntityPane:
    def test_facets(self, snap_compare, app_factory, size):
        async def run(pilot):
            await pilot.press("slash", *"iran", "enter", "f")
            await steady(pilot)

        assert snap_compare(app_factory("256"), terminal_size=SIZES[size], run_before=run)


class TestMessages:
    def test_bad_query(self, snap_compare, app_factory):
        async def run(pilot):
            await pilot.press("slash", *'"open phrase')
            await steady(pilot)

        assert snap_compare(app_factory("256"), terminal_size=(80, 24), run_before=run)

    def test_help(self, snap_compare, app_factory):
        async def run(pilot):
            await steady(pilot)
            await pilot.press("question_mark")
            await steady(pilot)

        assert snap_compare(app_factory("256"), terminal_size=(80, 24), run_before=run)
