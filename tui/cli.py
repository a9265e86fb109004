"""The `dossier` command: `dossier [FOLDER]` opens the reader; subcommands work without it.

Exit status: 0 on success (also when nothing matches), 2 for a bad query or bad arguments,
1 for any other failure; each failure prints one line on stderr.
"""

from __future__ import annotations

import os
import shlex
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.text import Text

from index import sanitize
from index.corpus import Corpus, CorpusError
from index.errors import InternalError, internal_error
from index.export import FORMATS, format_for, render
from index.kinds import KINDS
from index.library import Library, LibraryError
from index.paths import dossier_home
from index.query import QueryError
from index.search import SORTS, Engine

from . import output

if TYPE_CHECKING:
    from index.ingest import IngestReport
from .config import COLLAPSE, Config
from .config import entities_wanted
from .config import load as load_config

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # as a program killed by SIGPIPE exits in the shell
ESC_DELAY_MS = 50


class Failure(click.ClickException):
    exit_code = EXIT_FAILURE

    def show(self, file=None) -> None:
        # Messages quote what the user typed (an id, a name) and what files hold: cleaned.
        click.echo(f"dossier: {sanitize.clean_line(self.format_message())}", err=True)


class BadQuery(Failure):
    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:
        click.echo(f"dossier: bad query: {sanitize.clean_line(self.format_message())}", err=True)


class _DefaultToOpen(click.Group):
    """`dossier` and `dossier FOLDER` mean `dossier open [FOLDER]`."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        """Every failure is one line on stderr: a bug says it is one and where its traceback
        went; output that cannot be written (a full disk, a closed pipe) says so."""
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk shows here, not as a traceback at exit
            return result
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except InternalError as exc:
            raise Failure(str(exc)) from None
        except BrokenPipeError:
            # The reader of the output went away (`dossier search x | head -1`): stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except OSError as exc:
            if _is_stdout_error(exc):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise Failure(f"cannot write the output ({exc.strerror or exc})") from None
            raise Failure(str(internal_error(dossier_home(None), exc, "", f"dossier {' '.join(sys.argv[1:])}"))) from None
        except Exception as exc:
            raise Failure(str(internal_error(dossier_home(None), exc, "", f"dossier {' '.join(sys.argv[1:])}"))) from None


def _is_stdout_error(exc: OSError) -> bool:
    """Writing or flushing stdout failed (ENOSPC on /dev/full, EIO): not the files' fault."""
    import errno

    return exc.errno in (errno.ENOSPC, errno.EIO, errno.EPIPE, errno.EBADF) and any(
        frame.f_code.co_name in ("write", "flush", "echo", "print", "_check_buffer", "_write_buffer")
        for frame, _ in traceback.walk_tb(exc.__traceback__))


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _config() -> Config:
    """config.toml, loaded once; its problems go to stderr as warnings (never fatal)."""
    global _loaded_config
    if _loaded_config is None:
        _loaded_config = load_config()
        for problem in _loaded_config.problems:
            click.echo(f"dossier: warning: {problem}", err=True)
    return _loaded_config


_loaded_config: Config | None = None


def _open_corpus(folder, home) -> Corpus:
    folder = folder or _config().default_folder
    try:
        return Corpus.open(folder, home)
    except CorpusError as exc:
        raise Failure(str(exc)) from None


def run_ingest(corpus: Corpus, quiet: bool = False, reread: bool = False, entities: bool | None = None) -> "IngestReport":
    """Index with a progress bar on stderr (only when stderr is a terminal); named entities
    as the folder's setting or config.toml says, unless `entities` says."""
    # Imported here: the indexer and the progress bar are 40 ms of start-up the reader,
    # which indexes in a background process, never needs.
    from .indexing import index_with_progress

    if entities is None:
        entities = entities_wanted(_config(), corpus)
    try:
        return index_with_progress(corpus, _stderr(), quiet, reread=reread, entities=entities)
    except CorpusError as exc:
        raise Failure(str(exc)) from None


# A one-off command on a folder never indexed indexes its text, then recognises its entities
# only if that is quick (about 15 s); a bigger folder is searchable at once and gets its
# entities from `dossier index` or the reader, as the command says.
INLINE_ENTITY_ARTICLES = 500


def _first_index(corpus: Corpus, console: Console) -> None:
    report = run_ingest(corpus, entities=False)
    if report.entities_pending and entities_wanted(_config(), corpus):
        if report.entities_pending <= INLINE_ENTITY_ARTICLES:
            report = run_ingest(corpus)
        else:
            click.echo(f"dossier: the text of {report.total_articles:,} articles is searchable; their named "
                       f"entities are not recognised yet (run: dossier index "
                       f"{shlex.quote(sanitize.clean_line(str(corpus.root)))}, or open the reader)", err=True)
    if report.skipped and console.is_terminal:
        console.print(Text(f"{len(report.skipped)} files skipped (dossier index shows why)", style="dim"))


def _engine(corpus: Corpus) -> Engine:
    """An engine on the corpus, indexing it first when it has never been indexed, and
    rebuilding it first, with a word on stderr, when it was damaged (an answer from the empty
    index a rebuild starts with would say that nothing matches)."""
    if not corpus.has_index():
        console = _stderr()
        if console.is_terminal:  # scripts get clean stderr: only failures go there
            console.print(Text(f"indexing {corpus.root} first …", style="dim"))
        _first_index(corpus, console)
    try:
        engine = Engine(corpus, one_off=True)
    except CorpusError as exc:
        raise Failure(str(exc)) from None
    if engine.note:
        engine.close()
        click.echo(f"dossier: {sanitize.clean_line(str(corpus.root))}: index {engine.note}; indexing the files again …",
                   err=True)
        _first_index(corpus, _stderr())
        try:
            engine = Engine(corpus, one_off=True)
        except CorpusError as exc:
            raise Failure(str(exc)) from None
    return engine


home_option = click.option(
    "--home", type=click.Path(file_okay=False), envvar="DOSSIER_HOME",
    help="Where dossier keeps indexes and your library (default: your user data folder; env DOSSIER_HOME).",
)
corpus_option = click.option(
    "--corpus", type=click.Path(file_okay=False), default=None,
    help="The folder of articles (default: default_folder in config.toml, else the bundled seeds).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
collapse_option = click.option(
    "--collapse", type=click.Choice(COLLAPSE), default=None,
    help="story: one row per story, its other versions under it; none: every article (default: "
         "collapse in config.toml, else story).")


@click.group(cls=_DefaultToOpen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dossier")
def main() -> None:
    """dossier: read and search a folder of news articles from the terminal.

    \b
    dossier                 open the reader on the bundled seed articles
    dossier FOLDER          open the reader on your own folder
    dossier search QUERY    search from the shell (see --help of each command)
    """
    global _loaded_config
    _loaded_config = None  # read config.toml afresh for each command


@main.command("open")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@home_option
@click.option("--no-mouse", is_flag=True, help="Do not capture the mouse (lets the terminal select text).")
@click.option("--watch", is_flag=True, help="Index new and changed files while the reader runs (W toggles it).")
@click.option("--xref", "names", type=click.Path(dir_okay=False),
              help="Open on a list of names cross-referenced with the folder (as R in the reader).")
@collapse_option
def open_command(folder, home, no_mouse, watch, names, collapse) -> None:
    """Open the reader on FOLDER (default: the bundled seeds)."""
    corpus = _open_corpus(folder, home)
    # How long a lone ESC waits for the rest of a key's escape sequence before it is Esc.
    # Textual's 100 ms made every Esc lag; a key's sequence arrives in one read (neovim
    # waits 50 ms too). Read when Textual is imported; the user's ESCDELAY wins.
    os.environ.setdefault("ESCDELAY", str(ESC_DELAY_MS))
    from .app import run_app  # imported here: Textual loads only when the reader opens

    config = _config()
    if collapse:
        config.collapse = collapse
    run_app(corpus, config, mouse=config.mouse and not no_mouse, watch=watch, names=names)


@main.command("index")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@home_option
@click.option("--verbose", "-v", is_flag=True, help="List every skipped file.")
@click.option("--reread", is_flag=True,
              help="Read every file again, changed or not (after an update that reads text better).")
@click.option("--entities/--no-entities", "entities", default=None,
              help="Recognise named entities in this folder, or index its text only; kept for the folder "
                   "(default: config.toml's `entities`, true).")
@json_option
def index_command(folder, home, verbose, reread, entities, as_json) -> None:
    """Index FOLDER (default: the bundled seeds): only new and changed files are read. The text
    first, searchable as it goes; then the named entities (stop with Ctrl-C: the next run goes on)."""
    corpus = _open_corpus(folder, home)
    if entities is not None:
        try:
            corpus.set_entities(entities)
        except CorpusError as exc:
            raise Failure(str(exc)) from None
    report = run_ingest(corpus, quiet=as_json, reread=reread)
    if as_json:
        click.echo(output.dumps(report.to_json()))
    else:
        output.print_report(_stdout(), report, verbose=verbose)


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@corpus_option
@home_option
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="How many hits to show.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@collapse_option
@json_option
def search_command(query, corpus, home, limit, sort, collapse, as_json) -> None:
    """Search the corpus. QUERY uses the query syntax in the README, e.g. 'iran date:>2019'.
    Versions of one story are one hit (its other versions named under it) unless --collapse none."""
    text = " ".join(query)
    stories = (collapse or _config().collapse) == "story"
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            results = engine.search(text, limit=limit, sort=sort, stories=stories)
        except QueryError as exc:
            raise BadQuery(str(exc)) from None
    if as_json:
        click.echo(output.dumps(results.to_json()))
    else:
        output.print_search(_stdout(), results)


@main.command("show")
@click.argument("article_id")
@corpus_option
@home_option
@json_option
def show_command(article_id, corpus, home, as_json) -> None:
    """Print one article by its id (or a unique prefix of it)."""
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            article = engine.article(article_id)
        except CorpusError as exc:
            raise Failure(str(exc)) from None
        also_in = engine.also_in(article.id)
    if as_json:
        click.echo(output.dumps({**article.to_json(), "also_in": [a.to_json() for a in also_in]}))
    else:
        output.print_article(_stdout(), article, also_in)


@main.command("story")
@click.argument("article_id")
@corpus_option
@home_option
@json_option
def story_command(article_id, corpus, home, as_json) -> None:
    """List the versions of the story ARTICLE_ID belongs to (an id or unique prefix of any
    version, as `search` shows), the main one first, with what each changed from it:
    sentences added, dropped and changed, and changed quotes."""
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            story = engine.story(article_id)
        except CorpusError as exc:
            raise Failure(str(exc)) from None
    if as_json:
        click.echo(output.dumps(story.to_json()))
    else:
        from .story_text import story_parts

        console = _stdout()
        for part in story_parts(story):
            console.print(part)


@main.command("stats")
@corpus_option
@home_option
@json_option
def stats_command(corpus, home, as_json) -> None:
    """Counts and locations for the corpus and its index."""
    with _engine(_open_corpus(corpus, home)) as engine:
        stats = engine.stats()
    if as_json:
        click.echo(output.dumps(stats))
    else:
        output.print_stats(_stdout(), stats)


@main.command("entities")
@click.argument("query", nargs=-1)
@corpus_option
@home_option
@click.option("--kind", type=click.Choice(KINDS), help="Only one kind.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many of each kind.")
@json_option
def entities_command(query, corpus, home, kind, top, as_json) -> None:
    """People, organisations, places, groups and events, with article and mention counts,
    for the whole corpus or for the articles matching QUERY."""
    text = " ".join(query) or None
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            counts = engine.entities(text, kind=kind, top=top)
        except QueryError as exc:
            raise BadQuery(str(exc)) from None
        for problem in engine.registry.aliases.problems:
            click.echo(f"dossier: warning: {problem}", err=True)
    if as_json:
        click.echo(output.dumps({"query": text, "entities": [c.to_json() for c in counts]}))
    else:
        output.print_entities(_stdout(), counts)


@main.group("entity")
def entity_group() -> None:
    """One entity: who it is in this corpus, and your decisions about it (kept in the folder's
    dossier-entities.toml, applied at once, kept when the index is rebuilt)."""


@entity_group.command("show")
@click.argument("name", nargs=-1, required=True)
@corpus_option
@home_option
@click.option("--kind", type=click.Choice(KINDS), help="Only an entity of this kind.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many sources and co-mentioned entities.")
@json_option
def entity_show_command(name, corpus, home, kind, top, as_json) -> None:
    """An entity's page: its articles and mentions, spellings, first and last seen, sources,
    articles over time and the entities named with it more often than chance. NAME as you
    would say it (Blair, "Tony Blair", person:blair)."""
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            page = engine.entity_page(" ".join(name), kind=kind, top=top)
        except QueryError as exc:
            raise BadQuery(str(exc)) from None
        except CorpusError as exc:
            raise Failure(str(exc)) from None
        for problem in engine.curation_problems():
            click.echo(f"dossier: warning: {problem}", err=True)
    if as_json:
        click.echo(output.dumps(page.to_json()))
    else:
        output.print_entity_page(_stdout(), page)


def _decide(corpus, home, as_json, action: str, name: str, value: str | None = None) -> None:
    """Record one decision (index/curation.py) and say what it did and where it is kept."""
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            decision = engine.decide(action, name, value)
        except QueryError as exc:
            raise BadQuery(str(exc)) from None
        except CorpusError as exc:
            raise Failure(str(exc)) from None
        except OSError as exc:
            raise Failure(f"cannot write {engine.curation_path}: {exc.strerror or exc}") from None
        path = engine.curation_path
    _said(decision, path, as_json, "decided")


def _said(decision, path, as_json: bool, verb: str) -> None:
    if as_json:
        click.echo(output.dumps({verb: {"action": decision.action, "entity": decision.entity, "value": decision.value,
                                        "description": decision.describe()}, "file": str(path)}))
    else:
        click.echo(f"{verb}: {sanitize.clean_line(decision.describe())}  (kept in {path})")


@entity_group.command("merge")
@click.argument("name")
@click.argument("into")
@corpus_option
@home_option
@json_option
def entity_merge_command(name, into, corpus, home, as_json) -> None:
    """NAME is the same entity as INTO: its articles, mentions and spellings count for INTO
    everywhere, at once (quote names of several words)."""
    _decide(corpus, home, as_json, "merge", name, into)


@entity_group.command("kind")
@click.argument("name")
@click.argument("kind", type=click.Choice(KINDS))
@corpus_option
@home_option
@json_option
def entity_kind_command(name, kind, corpus, home, as_json) -> None:
    """NAME is of another KIND (the model called a company a person)."""
    _decide(corpus, home, as_json, "kind", name, kind)


@entity_group.command("ignore")
@click.argument("name")
@corpus_option
@home_option
@json_option
def entity_ignore_command(name, corpus, home, as_json) -> None:
    """NAME is not an entity: not listed, counted, underlined or co-mentioned."""
    _decide(corpus, home, as_json, "ignore", name)


@entity_group.command("alias")
@click.argument("name")
@click.argument("alias")
@corpus_option
@home_option
@json_option
def entity_alias_command(name, alias, corpus, home, as_json) -> None:
    """ALIAS is another name of NAME: searching for it finds NAME's articles."""
    _decide(corpus, home, as_json, "alias", name, alias)


@entity_group.command("split")
@click.argument("name")
@click.argument("variant")
@corpus_option
@home_option
@json_option
def entity_split_command(name, variant, corpus, home, as_json) -> None:
    """VARIANT, a name joined to NAME (by a close spelling, the corpus's evidence or a merge),
    is not NAME: the articles that name it so are its own again (Regan, Reagan's chief of
    staff, off Ronald Reagan). `dossier entity show NAME --json` lists what can be split off."""
    _decide(corpus, home, as_json, "split", name, variant)


@entity_group.command("undo")
@click.argument("name", required=False)
@corpus_option
@home_option
@json_option
def entity_undo_command(name, corpus, home, as_json) -> None:
    """Take back the last decision (about NAME, when given)."""
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            undone = engine.undo_decision(name)
        except CorpusError as exc:
            raise Failure(str(exc)) from None
        except OSError as exc:
            raise Failure(f"cannot write {engine.curation_path}: {exc.strerror or exc}") from None
        path = engine.curation_path
    if undone is None:
        raise Failure(f"no decision{' about ' + repr(name) if name else ''} to undo in {path}")
    _said(undone, path, as_json, "undone")


@main.command("xref")
@click.argument("names_file", type=click.Path(dir_okay=False, allow_dash=True))
@corpus_option
@home_option
@click.option("--top", type=click.IntRange(min=0), default=3, show_default=True, help="Co-mentioned entities per name.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default=None,
              help="table (default), json or csv.")
@json_option
def xref_command(names_file, corpus, home, top, fmt, as_json) -> None:
    """Cross-reference a list of names with the corpus: NAMES_FILE holds one name per line, or
    is a CSV with a `name` column (and optionally `kind`); `-` reads standard input. Per name:
    the entity it resolves to (through aliases, spellings and your decisions), its articles,
    first and last seen and the entities most named with it."""
    names = _read_names(names_file)
    with _engine(_open_corpus(corpus, home)) as engine:
        rows = engine.cross_reference(names, top)
    fmt = "json" if as_json else (fmt or "table")
    if fmt == "json":
        click.echo(output.dumps({"names": rows}))
    elif fmt == "csv":
        output.write_xref_csv(sys.stdout, rows)
    else:
        output.print_xref(_stdout(), rows)


def _read_names(path: str) -> list[tuple[str, str | None]]:
    from index.names_list import NamesError, parse_names, read_names

    try:
        if path == "-":
            return parse_names(sys.stdin.read(), "standard input")
        return read_names(path)
    except NamesError as exc:
        if "unknown kind" in str(exc):
            raise BadQuery(str(exc)) from None
        raise Failure(str(exc)) from None


# -- the user's library: read state, stars, tags, saved searches, export ---------------------
def _library(engine: Engine) -> Library:
    try:
        return engine.library
    except LibraryError as exc:
        raise Failure(str(exc)) from None


def _resolve(engine: Engine, ids) -> list[str]:
    try:
        return [engine.resolve_id(i) for i in ids]
    except CorpusError as exc:
        raise Failure(str(exc)) from None


def _print_states(engine: Engine, ids: list[str], as_json: bool) -> None:
    library = _library(engine)
    states = [(i, library.state(i)) for i in ids]
    if as_json:
        click.echo(output.dumps([{"id": i, **state.to_json()} for i, state in states]))
        return
    console = _stdout()
    for article_id, state in states:
        title = sanitize.clean_line(engine.article(article_id).title)
        console.print(output.state_line(article_id, title, state))


def _change_state(ids, corpus, home, as_json, change) -> None:
    with _engine(_open_corpus(corpus, home)) as engine:
        resolved = _resolve(engine, ids)
        try:
            change(_library(engine), resolved)
        except LibraryError as exc:
            raise Failure(str(exc)) from None
        _print_states(engine, resolved, as_json)


def _state_command(name: str, summary: str, change) -> None:
    @main.command(name, help=f"{summary} ARTICLE_ID... (ids or unique prefixes of them, as `search` shows).")
    @click.argument("ids", nargs=-1, required=True)
    @corpus_option
    @home_option
    @json_option
    def command(ids, corpus, home, as_json) -> None:
        _change_state(ids, corpus, home, as_json, change)


_state_command("star", "Star articles", lambda library, ids: library.set_starred(ids, True))
_state_command("unstar", "Remove the star from articles", lambda library, ids: library.set_starred(ids, False))
_state_command("read", "Mark articles read", lambda library, ids: library.set_read(ids, True))
_state_command("unread", "Mark articles unread", lambda library, ids: library.set_read(ids, False))


# No -h: "-history" is a tag to remove, not a request for help.
@main.command("tag", context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@click.argument("article_id")
@click.argument("changes", nargs=-1, type=click.UNPROCESSED)
@corpus_option
@home_option
@json_option
def tag_command(article_id, changes, corpus, home, as_json) -> None:
    """Add (+name or name) and remove (-name) tags of an article; with no changes, show its tags.

    \b
    dossier tag 2be424 +followup +iran -todo
    """
    add = [c for c in changes if not c.startswith("-")]
    remove = [c[1:] for c in changes if c.startswith("-")]

    def change(library: Library, ids: list[str]) -> None:
        library.change_tags(ids[0], add, remove)

    _change_state([article_id], corpus, home, as_json, change)


@main.group("saved", invoke_without_command=True)
@click.pass_context
def saved_group(ctx) -> None:
    """Saved searches ("query feeds"): `saved list`, `saved add NAME QUERY`, `saved rm NAME`."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(saved_list)


@saved_group.command("list")
@corpus_option
@home_option
@json_option
def saved_list(corpus=None, home=None, as_json=False) -> None:
    """Every saved search with its article and unread counts in the corpus."""
    with _engine(_open_corpus(corpus, home)) as engine:
        rows = []
        for saved in _library(engine).saved():
            try:
                total = engine.count(saved.query)
                unread = engine.count(f"({saved.query}) is:unread")
                rows.append({**saved.to_json(), "articles": total, "unread": unread})
            except QueryError as exc:
                rows.append({**saved.to_json(), "articles": None, "unread": None, "error": str(exc)})
    if as_json:
        click.echo(output.dumps(rows))
    else:
        output.print_saved(_stdout(), rows)


@saved_group.command("add")
@click.argument("name")
@click.argument("query", nargs=-1, required=True)
@corpus_option
@home_option
@json_option
def saved_add(name, query, corpus, home, as_json) -> None:
    """Save QUERY under NAME (a name already saved gets the new query)."""
    text = " ".join(query)
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            total = engine.count(text)  # a query that cannot run is not saved
            _library(engine).save_search(name, text)
        except QueryError as exc:
            raise BadQuery(str(exc)) from None
        except LibraryError as exc:
            raise Failure(str(exc)) from None
    if as_json:
        click.echo(output.dumps({"name": name.strip(), "query": text, "articles": total}))
    else:
        _stdout().print(Text.assemble("saved ", (sanitize.clean_line(name), "bold"), f": {sanitize.clean_line(text)} ({total} articles)"))


@saved_group.command("rm")
@click.argument("name")
@home_option
def saved_rm(name, home) -> None:
    """Remove the saved search NAME."""
    try:
        library = Library(dossier_home(home))
        removed = library.remove_saved(name)
    except LibraryError as exc:
        raise Failure(str(exc)) from None
    if not removed:
        raise Failure(f"no saved search named '{name}' (dossier saved list shows them)")


@main.command("export")
@click.argument("query", nargs=-1)
@corpus_option
@home_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="md, json or csv (default: from the --output name, else md).")
@click.option("--output", "-o", "output_file", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE instead of printing.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
def export_command(query, corpus, home, fmt, output_file, sort) -> None:
    """Export the articles matching QUERY (every article when none) with their metadata, text,
    tags and notes: `dossier export 'tag:followup' --format csv -o followup.csv`."""
    text = " ".join(query)
    fmt = fmt or (format_for(output_file) if output_file else "md")
    with _engine(_open_corpus(corpus, home)) as engine:
        try:
            articles = list(engine.articles(text, sort))
        except QueryError as exc:
            raise BadQuery(str(exc)) from None
        states = _library(engine).states(a.id for a in articles)
    rendered = render(articles, states, fmt, text)
    if output_file:
        try:
            Path(output_file).write_text(rendered, encoding="utf-8", newline="")
        except OSError as exc:
            raise Failure(f"cannot write {output_file} ({exc.strerror or exc})") from None
        if _stderr().is_terminal:
            _stderr().print(Text(f"exported {len(articles)} articles to {output_file}", style="dim"))
    else:
        click.echo(rendered, nl=False)


@main.group("import")
def import_group() -> None:
    """Bring articles in from other programs: `dossier import newsboat`."""


@import_group.command("newsboat")
@click.argument("cache_db", required=False, type=click.Path(dir_okay=False))
@home_option
@json_option
def import_newsboat(cache_db, home, as_json) -> None:
    """Import newsboat's cache (default ~/.local/share/newsboat/cache.db or ~/.newsboat/cache.db),
    read-only: every item with its feed, link, author, date and read state. Run it again to
    bring in new items; then open them with the `dossier FOLDER` it prints."""
    from index import newsboat  # only this command reads newsboat's cache

    try:
        cache = Path(cache_db).expanduser() if cache_db else newsboat.default_cache()
        folder = newsboat.import_folder(dossier_home(home), cache)
        result = newsboat.read_cache(cache, folder)
    except newsboat.NewsboatError as exc:
        raise Failure(str(exc)) from None
    if not result.items:
        raise Failure(f"{cache} has no items to import")
    corpus = _open_corpus(str(folder), home)
    report = run_ingest(corpus, quiet=as_json)
    try:
        # Read in newsboat means read here; a mark made in dossier is never taken back.
        Library(corpus.home, corpus.root).set_read(result.read_ids, True)
    except LibraryError as exc:
        raise Failure(str(exc)) from None
    if as_json:
        click.echo(output.dumps({**result.to_json(), "articles": report.total_articles}))
        return
    console = _stdout()
    console.print(Text.assemble(
        ("imported ", "bold"), f"{result.items:,} items from {result.feeds} feeds ",
        f"({len(result.read_ids):,} read in newsboat, {result.written:,} new or changed)",
        (f", {result.skipped} skipped" if result.skipped else "", "yellow")))
    console.print(Text.assemble("open them with: ", (f"dossier {shlex.quote(str(folder))}", "bold")))


# Commands that only read: once their output is out, the process ends without tearing down
# the interpreter, 80-90 ms of freeing Whoosh's and Rich's modules one by one (issue 19: a
# one-off search is measured against a script that does not load them).
READ_ONLY_COMMANDS = frozenset({"search", "show", "stats", "entities"})


def run() -> None:
    """The `dossier` console script: main(), ended quickly after a read-only command."""
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    try:
        main()
    except SystemExit as exc:
        if command not in READ_ONLY_COMMANDS or not isinstance(exc.code, (int, type(None))):
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:
            raise exc from None  # let the normal exit report it
        os._exit(exc.code or 0)


if __name__ == "__main__":
    run()
