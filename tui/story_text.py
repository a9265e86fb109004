"""A story's versions and what each changed, as text for the terminal: the same for
`dossier story` and the reader's comparison screen. Every change says what it is in words
and a sign (+ added, - dropped, ~ changed), so it reads without colour and at 80 columns;
colour and underlining only point at the words that changed."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from index import sanitize
from index.results import Story, StoryVersion
from index.storydiff import Comparison, word_marks

SIGNS = {"added": "+", "dropped": "-", "changed": "~"}
STYLES = {"added": "green", "dropped": "red", "changed": "yellow"}
INDENT = "    "


def version_line(version: StoryVersion, indent: str = "", alone: bool = False) -> Text:
    """"2020-01-08  Rolling Stone  wire/quote.txt  4652f027" and the headline under it."""
    meta = "  ".join(filter(None, [version.date.isoformat() if version.date else "undated",
                                   sanitize.clean_line(version.source or ""),
                                   ", ".join(sanitize.clean_line(a) for a in version.authors),
                                   sanitize.clean_line(version.path), version.id[:10]]))
    text = Text(("main version  " if version.main and not alone else "") + meta, style="dim")
    text.append("\n" + indent)
    text.append(sanitize.clean_line(version.title), style="bold")
    return text


def comparison_parts(comparison: Comparison, old_label: str = "main version") -> list[RenderableType]:
    """The summary line, then each change: its sign and kind on a line, then its sentences,
    wrapped under a hanging indent."""
    parts: list[RenderableType] = [Text(f"Against the {old_label}: {comparison.summary()}", style="bold")]
    for change in comparison.changes:
        parts.append(Text(f"{SIGNS[change.kind]} {change.kind}" + (" quote" if change.quote else ""),
                          style=f"bold {STYLES[change.kind]}"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=len(INDENT) + 3, no_wrap=True)
        grid.add_column()
        if change.kind == "changed":
            gone, came = word_marks(change.old, change.new)
            grid.add_row(INDENT + "was", _marked(change.old, gone, "red"))
            grid.add_row(INDENT + "now", _marked(change.new, came, "green"))
        else:
            grid.add_row("", Text(sanitize.clean_line(change.new if change.kind == "added" else change.old)))
        parts.append(grid)
    return parts


def _marked(sentence: str, spans: list[tuple[int, int]], colour: str) -> Text:
    text = Text(sanitize.clean_line(sentence))
    if len(text.plain) == len(sentence):  # spans still point at the same characters
        for start, end in spans:
            text.stylize(f"underline {colour}", start, end)
    return text


def story_parts(story: Story) -> list[RenderableType]:
    """Every version, the main one first, each with what it changed from it."""
    count = len(story.versions)
    parts: list[RenderableType] = [
        Text(f"A story in {count} versions" if count > 1
             else "An article alone: no other version of its text was found", style="bold"), Text("")]
    for number, version in enumerate(story.versions, 1):
        heading = Text(f"{number}. ", style="bold")
        heading.append_text(version_line(version, " " * len(f"{number}. "), alone=count == 1))
        parts.append(heading)
        if version.comparison is not None:
            parts.extend(comparison_parts(version.comparison))
        parts.append(Text(""))
    return parts
