"""What reaches the terminal: rows cut by cell width, NO_COLOR, SSH mode, --no-mouse."""

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from index.corpus import Corpus
from index.ingest import ingest
from tui.cli import main
from tui.text import fit
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import ReaderView

from .conftest import SEEDS, write
from .pilot import make_app, settle


@pytest.mark.parametrize(
    "text",
    [
        "国际新闻：伊朗向伊拉克境内美军基地发射导弹",  # CJK: two cells a character
        "حمله موشکی ایران به پایگاه‌های آمریکا در عراق",  # Persian, right to left
        "Missiles 🚀🚀🚀 over Iraq 🇮🇷 e\u0301\u0301 combining",  # emoji, flags, combining marks
        "plain title that is much longer than the column it has to fit into",
        "",
    ],
)
@pytest.mark.parametrize("width", [1, 7, 20, 33])
def test_fit_gives_exactly_the_column_width(text, width):
    cut = fit(text, width)
    assert cell_len(cut) == width
    assert "\n" not in cut and "\x1b" not in cut


async def test_list_rows_with_wide_and_rtl_titles_keep_their_width(corpus_dir, home):
    write(corpus_dir, "cjk.txt", "国际新闻：伊朗向伊拉克境内美军基地发射导弹，多枚导弹击中目标\n\n正文。")
    write(corpus_dir, "fa.txt", "حمله موشکی ایران به پایگاه‌های آمریکا در عراق و سوریه\n\nمتن.")
    write(corpus_dir, "emoji.txt", "Missiles 🚀🚀🚀 over Iraq 🇮🇷 and more words here\n\nBody.")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus)
    async with make_app(corpus).run_test(size=(90, 24)) as pilot:
        await settle(pilot)
        article_list = pilot.app.query_one(ArticleList)
        assert article_list.count == 3
        for y in range(3):
            assert article_list.render_line(y).cell_length == article_list.size.width


async def test_no_color_keeps_a_cue_for_entities_and_hits(monkeypatch, home):
    monkeypatch.setenv("NO_COLOR", "1")
    corpus = Corpus.open(SEEDS)
    ingest(corpus)
    async with make_app(corpus).run_test(size=(100, 30)) as pilot:
        assert pilot.app.no_color
        await settle(pilot)
        reader = pilot.app.query_one(ReaderView)
        styles = [seg.style for strip in reader._lines for seg in strip if seg.style]
        assert any(s.underline for s in styles)  # entities: underline survives without colour


async def test_over_ssh_no_blinking_cursor_and_no_animation(monkeypatch, home):
    monkeypatch.setattr("tui.external.OVER_SSH", True)
    corpus = Corpus.open(SEEDS)
    ingest(corpus)
    async with make_app(corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.animation_level == "none"
        assert pilot.app.query_one("#search").cursor_blink is False


def test_no_mouse_flag_reaches_the_app(monkeypatch):
    seen = {}
    monkeypatch.setattr("tui.app.run_app", lambda corpus, config, mouse, watch, names=None: seen.update(mouse=mouse, root=corpus.root))
    result = CliRunner().invoke(main, ["--no-mouse"])
    assert result.exit_code == 0 and seen["mouse"] is False and seen["root"].name in ("seeds", "_seeds")
    CliRunner().invoke(main, [str(SEEDS)])
    assert seen["mouse"] is True


def test_xref_option_reaches_the_app(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr("tui.app.run_app", lambda corpus, config, mouse, watch, names=None: seen.update(names=names))
    names = tmp_path / "names.txt"
    names.write_text("Soleimani\n")
    assert CliRunner().invoke(main, [str(SEEDS), "--xref", str(names)]).exit_code == 0 and seen["names"] == str(names)


def test_watch_flag_reaches_the_app(monkeypatch):
    seen = {}
    monkeypatch.setattr("tui.app.run_app", lambda corpus, config, mouse, watch, names=None: seen.update(watch=watch))
    assert CliRunner().invoke(main, [str(SEEDS), "--watch"]).exit_code == 0 and seen["watch"] is True
    assert CliRunner().invoke(main, [str(SEEDS)]).exit_code == 0 and seen["watch"] is False


def test_config_mouse_and_default_folder_reach_the_app(monkeypatch, home, tmp_path):
    seen = {}
    monkeypatch.setattr("tui.app.run_app", lambda corpus, config, mouse, watch, names=None: seen.update(mouse=mouse, root=corpus.root))
    folder = tmp_path / "my news"
    folder.mkdir()
    (home / "config.toml").write_text(f'mouse = false\ndefault_folder = "{folder}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0 and seen == {"mouse": False, "root": folder.resolve()}
    (home / "config.toml").write_text('mouse = "off"\n', encoding="utf-8")
    result = CliRunner().invoke(main, [])
    assert seen["mouse"] is True and "line 1: 'mouse' must be true or false" in result.stderr
