"""`dossier index` and friends: running the indexer with a progress bar on stderr.

Its own module so the reader's start-up never loads the indexer or Rich's progress bars.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TaskID, TextColumn,
                           TimeRemainingColumn)
from rich.text import Text

from index.corpus import Corpus
from index.ingest import TEXT, IngestReport, ingest


class _RateColumn(ProgressColumn):
    def render(self, task) -> Text:
        articles = task.fields.get("articles", 0)
        elapsed = task.elapsed or 0
        rate = articles / elapsed if elapsed > 0 else 0
        return Text(f"{articles} articles, {rate:,.0f}/s", style="dim")


def index_with_progress(corpus: Corpus, console: Console, quiet: bool = False, reread: bool = False,
                        entities: bool = True) -> IngestReport:
    """Index the corpus; a progress bar on `console` when it is a terminal and not quiet: one
    bar for the text (files), then one for the named entities (articles)."""
    if quiet or not console.is_terminal:
        return ingest(corpus, reread=reread, entities=entities)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[unit]}"),
        _RateColumn(), TimeRemainingColumn(), console=console, transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(done: int, total: int, articles: int, stage: str) -> None:
            if stage not in tasks:
                for task in tasks.values():
                    bar.update(task, visible=False)
                label, unit = ("indexing", "files") if stage == TEXT else ("entities", "articles")
                tasks[stage] = bar.add_task(label, total=None, articles=0, unit=unit)
            bar.update(tasks[stage], completed=done, total=total, articles=articles)

        return ingest(corpus, progress=progress, reread=reread, entities=entities)
