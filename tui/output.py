"""Printing results for people (Rich, never interpreting markup) and for scripts (JSON)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from index import sanitize
from index.article import Article
from index.reflow import reflow
from index.search import SearchResults

from .text import counted

if TYPE_CHECKING:
    from index.ingest import IngestReport

HIT_STYLE = "bold reverse"
_C1 = re.compile(r"[\x7f-\x9f]")


def dumps(obj) -> str:
    """JSON that is readable (UTF-8) yet can never carry a raw control character."""
    text = json.dumps(obj, ensure_ascii=False, indent=None)
    return _C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def safe(text: str | None) -> Text:
    """Untrusted text as a Rich Text: cleaned of escapes, and never parsed as markup."""
    return Text(sanitize.for_terminal(text or ""))


def highlighted(text: str, spans) -> Text:
    out = safe(text)
    for start, end in spans:
        out.stylize(HIT_STYLE, start, end)
    return out


def search_table(results: SearchResults) -> Table:
    table = Table(show_header=True, header_style="bold", expand=True, box=None, pad_edge=False)
    table.add_column("id", style="cyan", no_wrap=True, width=10)
    table.add_column("date", no_wrap=True, width=10)
    table.add_column("source", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column("title / snippet", ratio=1)
    for hit in results.hits:
        title = safe(hit.title)
        title.stylize("bold")
        cell = [title]
        if hit.snippet and hit.snippet.text:
            snippet = highlighted(hit.snippet.text, hit.snippet.spans)
            snippet.stylize("dim", 0, len(snippet))
            cell.append(snippet)
        if hit.versions:
            others = len(hit.versions)
            cell.append(Text(f"+{others} other version{'s' if others != 1 else ''} of this story "
                             f"(dossier story {hit.id[:10]})", style="italic"))
        table.add_row(
            hit.id[:10],
            hit.date.isoformat() if hit.date else "—",
            safe(hit.source or "—"),
            Group(*cell),
        )
        table.add_row("", "", "", "")
    return table


def print_search(console: Console, results: SearchResults) -> None:
    if results.total == 0:
        console.print(Text.assemble("No articles match ", (sanitize.clean_line(results.query), "bold"), "."))
        if results.suggestion:
            console.print(Text.assemble("Did you mean ", (sanitize.clean_line(results.suggestion), "bold"), "?"))
        for note in results.notes:
            console.print(Text(f"note: {note}", style="yellow"))
        return
    console.print(search_table(results))
    shown = len(results.hits)
    more = f" (showing {shown}; use --limit for more)" if shown < results.total else ""
    stories = f", {counted(results.stories, 'story', 'stories')}" \
        if results.stories is not None and results.stories != results.total else ""
    console.print(Text(f"{results.total} article{'s' if results.total != 1 else ''} match{'es' if results.total == 1 else ''}"
                       f"{stories}{more}", style="dim"))
    for note in results.notes:
        console.print(Text(f"note: {note}", style="yellow"))


def also_in_line(appearances) -> str:
    """"also in: feeds/wire.rss (Example Wire), saved/page.html" for an article's copies."""
    return "; ".join(f"{a.path} ({a.source})" if a.source else a.path for a in appearances)


def print_article(console: Console, article: Article, also_in=()) -> None:
    console.print(Text(sanitize.clean_line(article.title), style="bold"))
    meta = [
        ("by", ", ".join(article.authors)),
        ("source", article.source or ""),
        ("from", article.dateline or ""),
        ("date", article.date_label() or ""),
        ("url", article.url or ""),
        ("file", article.path),
        ("also", also_in_line(also_in)),
        ("id", article.id),
    ]
    for label, value in meta:
        if value:
            console.print(Text.assemble((f"{label:>6} ", "dim"), sanitize.clean_line(value)))
    console.print()
    for piece in pieces(sanitize.for_terminal(reflow(article.text))):
        console.print(Text(piece))


PIECE_CHARS = 20_000


def pieces(text: str, size: int = PIECE_CHARS):
    """The text in pieces of about `size` characters, cut at line ends (or, in a longer line,
    at a space). Rich wraps a text in time that grows faster than its length, so a 20 MB
    article printed whole was still printing after 12 minutes; in pieces it streams."""
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start, start + size)
        if cut < 0:
            cut = text.rfind(" ", start, start + size)
        if cut <= start:
            cut = start + size
            yield text[start:cut]
            start = cut
        else:
            yield text[start:cut]
            start = cut + 1  # the newline or space the cut replaces
    yield text[start:]


def print_report(console: Console, report: IngestReport, verbose: bool = False) -> None:
    if report.note:
        console.print(Text(f"index {report.note}", style="yellow"))
    if report.entities_error:
        console.print(Text(report.entities_error, style="yellow"))
    console.print(
        Text.assemble(
            ("indexed ", "bold"), f"{report.files_indexed} files ({report.articles_indexed} articles)",
            ", ", f"{report.unchanged} unchanged", ", ", f"{report.removed} removed", ", ",
            (f"{report.duplicates} duplicates (indexed once), " if report.duplicates else ""),
            (f"{len(report.skipped)} skipped", "yellow" if report.skipped else ""),
            f" — {report.total_articles} articles in the index, {report.seconds:.1f} s",
        )
    )
    if report.in_stories:
        console.print(Text(f"{counted(report.in_stories, 'article')} joined a story already indexed "
                           "(another version of the same text: dossier story ID lists them)", style="dim"))
    if report.entities_recognised:
        console.print(Text(f"named entities recognised in {report.entities_recognised:,} articles", style="dim"))
    if report.entities_pending and not report.entities_on:
        console.print(Text(f"named entities are off for this folder: {report.entities_pending:,} articles without "
                           "them (dossier index --entities turns them on)", style="dim"))
    elif report.entities_pending:
        why = "once the model is installed" if report.entities_error else "run dossier index again to go on"
        console.print(Text(f"named entities not yet recognised in {report.entities_pending:,} articles ({why})",
                           style="yellow"))
    limit = None if verbose else 20
    for item in report.skipped[:limit]:
        console.print(Text.assemble(("  skipped ", "yellow"), sanitize.clean_line(item.relpath), (f": {item.reason}", "dim")))
    if limit and len(report.skipped) > limit:
        console.print(Text(f"  … and {len(report.skipped) - limit} more (--verbose lists them all)", style="dim"))
    for item in report.warnings[:limit]:
        console.print(Text.assemble(("  warning ", "yellow"), sanitize.clean_line(item.relpath), (f": {item.reason}", "dim")))
    if limit and len(report.warnings) > limit:
        console.print(Text(f"  … and {len(report.warnings) - limit} more warnings", style="dim"))


def print_stats(console: Console, stats: dict) -> None:
    table = Table(show_header=False, box=None)
    table.add_column(style="dim", justify="right")
    table.add_column()
    table.add_row("corpus", safe(stats["corpus"]))
    table.add_row("index", safe(stats["index"]))
    table.add_row("articles", f"{stats['articles']:,}" + (f" ({stats['undated']:,} undated)" if stats["undated"] else ""))
    if stats["duplicates"]:
        table.add_row("copies", f"{stats['duplicates']:,} (the same text again in another file: indexed once)")
    files = stats["files"]
    if files["read"] is None:
        table.add_row("files", f"{files['indexed']:,} indexed (run dossier index for the skipped files)")
    else:
        parts = [f"{files['read']:,} read", f"{files['indexed']:,} indexed"]
        if files["only_copies"]:
            parts.append(f"{files['only_copies']:,} only copies")
        parts.append(f"{files['skipped']:,} skipped" + (" (dossier index -v says why)" if files["skipped"] else ""))
        table.add_row("files", " · ".join(parts))
    years = stats["years"]
    table.add_row("years", f"{years['first']} – {years['last']}" if years["first"] else "— (no article has a date)")
    table.add_row("index size", f"{stats['index_bytes'] / 1e6:.1f} MB")
    sources = ", ".join(f"{s['value']} ({s['count']})" for s in stats["sources"]) or "—"
    table.add_row("top sources", safe(sources))
    console.print(table)


def print_entities(console: Console, counts) -> None:
    if not counts:
        console.print(Text("No entities (was the corpus indexed without the spaCy model?)", style="dim"))
        return
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("kind", style="dim", no_wrap=True)
    table.add_column("entity", no_wrap=True)
    table.add_column("articles", justify="right", min_width=8)
    table.add_column("mentions", justify="right", min_width=8)
    table.add_column("key", style="cyan", no_wrap=True, overflow="ellipsis")
    for c in counts:
        name = safe(c.name)
        if c.publisher:
            name.append("  publisher", style="dim")
        table.add_row(c.kind, name, str(c.articles), str(c.mentions), safe(c.key))
    console.print(table)


def print_entity_page(console: Console, page) -> None:
    """`dossier entity show`: who an entity is in this corpus (index/entity_graph.py)."""
    from .charts import axis, bar_rows

    title = Text.assemble(safe(page.name), ("  " + page.kind, "dim"), ("  " + page.key, "cyan"))
    console.print(title)
    seen = [f"{page.articles:,} article{'s' if page.articles != 1 else ''}",
            f"{page.mentions:,} mention{'s' if page.mentions != 1 else ''}"]
    if page.first_seen:
        seen.append(f"first seen {page.first_seen}, last seen {page.last_seen}")
    if page.undated:
        seen.append(f"{page.undated:,} undated")
    console.print(", ".join(seen))
    if page.variants:
        console.print(Text.assemble(("Spellings: ", "bold"), safe(", ".join(
            f"{name} ({count:,})" if count is not None else name for name, count in page.variants[:12]))))
    if page.sources:
        console.print(Text.assemble(("Sources: ", "bold"), safe(", ".join(f"{s} ({c:,})" for s, c in page.sources[:8]))))
    if page.joined:
        console.print(Text.assemble(("Joined to it: ", "bold"), safe(page.joined_text())))
    timeline = page.timeline
    if timeline.periods:
        width = min(console.width, 80) - 2
        console.print(Text(f"Articles by {timeline.unit}, {timeline.periods[0]} to {timeline.periods[-1]}"
                           f" (most in one {timeline.unit}: {max(timeline.counts):,})", style="bold"))
        for row in bar_rows(timeline.counts, 4, width):
            console.print(Text("  ") + row)
        console.print(Text("  ") + axis(timeline.periods, width))
    if page.co_mentions:
        console.print(Text("Named with (more often than chance: PMI; articles together of its articles)", style="bold"))
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column("entity", no_wrap=True, overflow="ellipsis", max_width=32)
        table.add_column("kind", style="dim", no_wrap=True)
        table.add_column("together", justify="right", no_wrap=True)
        table.add_column("pmi", justify="right", no_wrap=True)
        for c in page.co_mentions:
            table.add_row(safe(c.name), c.kind, f"{c.together:,} of {c.articles:,}", f"{c.pmi:.1f}")
        console.print(table)
    for key, name, articles in page.others:
        console.print(Text.assemble(("Also: ", "dim"), safe(name), (f"  {key}, {articles:,} article{'s' if articles != 1 else ''}", "dim")))


XREF_COLUMNS = ("name", "kind", "entity", "entity_kind", "key", "articles", "mentions", "first_seen", "last_seen",
                "named_with", "note")


def _xref_fields(row: dict) -> dict:
    entity = row.get("entity")
    if entity is None:
        note = "not found" + (f"; nearest: {', '.join(row['suggestions'])}" if row.get("suggestions") else "")
        return {"name": row["name"], "kind": row["kind"] or "", "note": note}
    return {"name": row["name"], "kind": row["kind"] or "", "entity": entity["name"], "entity_kind": entity["kind"],
            "key": entity["key"], "articles": row["articles"], "mentions": row["mentions"],
            "first_seen": row["first_seen"] or "", "last_seen": row["last_seen"] or "",
            "named_with": "; ".join(f"{c['name']} ({c['together']})" for c in row["co_mentions"]),
            "note": f"also: {', '.join(row['also'])}" if row.get("also") else ""}


def write_xref_csv(out, rows: list[dict]) -> None:
    import csv

    writer = csv.DictWriter(out, fieldnames=XREF_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(_xref_fields(row))


def print_xref(console: Console, rows: list[dict]) -> None:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column, justify in (("name", "left"), ("entity", "left"), ("articles", "right"), ("first seen", "left"),
                            ("last seen", "left"), ("named with", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for row in rows:
        fields = _xref_fields(row)
        if row.get("entity") is None:
            table.add_row(safe(row["name"]), Text(fields["note"], style="yellow"), "", "", "", "")
            continue
        table.add_row(safe(row["name"]), Text.assemble(safe(fields["entity"]), (f" {fields['entity_kind']}", "dim")),
                      f"{fields['articles']:,}", fields["first_seen"], fields["last_seen"], safe(fields["named_with"]))
    console.print(table)


def state_line(article_id: str, title: str, state) -> Text:
    """One article's library state: `2be424ab99 ★ read  [followup iran]  Title`."""
    return Text.assemble(
        (article_id[:10], "cyan"), " ",
        ("★" if state.starred else " ", "yellow"), " ",
        ("read  " if state.read else "unread", "dim" if state.read else "bold"), "  ",
        (f"[{' '.join(state.tags)}]  " if state.tags else "", "green"),
        (sanitize.clean_line(title), ""),
        ("  (note)" if state.note else "", "dim"),
    )


def print_saved(console: Console, rows: list[dict]) -> None:
    if not rows:
        console.print(Text("No saved searches (dossier saved add NAME QUERY, or S in the reader).", style="dim"))
        return
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("name", no_wrap=True)
    table.add_column("unread", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("query")
    for row in rows:
        if row.get("error"):
            table.add_row(safe(row["name"]), "—", "—", Text.assemble(safe(row["query"]), (f"  ({row['error']})", "red")))
        else:
            table.add_row(safe(row["name"]), str(row["unread"]), str(row["articles"]), safe(row["query"]))
    console.print(table)
