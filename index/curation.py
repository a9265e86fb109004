"""Your decisions about a folder's entities: merge one into another, change its kind, mark it
"not an entity", give it an alias, split a name off it. Kept in one TOML file per folder,
which you can read, edit and keep in git, and applied by the registry whenever it is read
(index/entity_registry.py): they take effect at once, in the pane, the facets, pivots, entity
pages and the CLI, without re-indexing, and a rebuilt index keeps them (keys are made from
names the same way again).

The file is a list of decisions in the order they were made; a later decision about an
entity wins over an earlier one, and undo removes the last. Each decision is read on its own,
so a mistake in one (a typo, an unknown kind) is reported with its line and the rest apply.

    [[decision]]
    merge = "person:regan"          # these articles' Regan is Ronald Reagan
    into = "person:ronald reagan"

    [[decision]]
    kind = "person:yukos"           # the model called the oil company a person
    to = "org"

    [[decision]]
    ignore = "person:tony"          # not an entity

    [[decision]]
    alias = "The Gipper"            # another name for it: person:gipper finds him
    of = "person:ronald reagan"

    [[decision]]
    split = "person:regan"          # Regan (Donald, his chief of staff) is not Reagan
    from = "person:ronald reagan"   # (optional: what it was joined to when decided)
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .kinds import KIND_NOUNS, KINDS

FILE_NAME = "dossier-entities.toml"  # in the corpus folder (else the index folder: see path_for)
HEADER = """\
# dossier: decisions about the entities of this folder, in the order they were made (later
# ones win). Written by the reader's entity page and `dossier entity merge|kind|ignore|alias|split`;
# edit by hand if you like (`dossier entity show` says if a decision cannot be read).
"""
_BLOCK = re.compile(r"^[ \t]*\[\[[ \t]*decision[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE)
ACTIONS = ("merge", "kind", "ignore", "alias", "split")


@dataclass(frozen=True)
class Decision:
    action: str  # merge, kind, ignore, alias, split
    entity: str  # the key it is about (`person:regan`)
    value: str | None  # merge: the key it joins; kind: the new kind; alias: the name; split: the key it leaves
    line: int  # where it starts in the file (1-based)

    def describe(self) -> str:
        noun = KIND_NOUNS.get(self.value or "", self.value or "")
        return {"merge": f"merge {self.entity} into {self.value}",
                "kind": f"{self.entity} is {'an' if noun[:1] in 'aeiou' else 'a'} {noun}",
                "ignore": f"{self.entity} is not an entity", "alias": f"'{self.value}' is another name of {self.entity}",
                "split": f"{self.entity} is not {self.value or 'what it was joined to'}: split off",
                }[self.action]

    def to_toml(self) -> str:
        pairs = {"merge": [("merge", self.entity), ("into", self.value)],
                 "kind": [("kind", self.entity), ("to", self.value)],
                 "ignore": [("ignore", self.entity)],
                 "alias": [("alias", self.value), ("of", self.entity)],
                 "split": [("split", self.entity)] + ([("from", self.value)] if self.value else [])}[self.action]
        return "[[decision]]\n" + "".join(f"{k} = {_quote(v)}\n" for k, v in pairs)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


@dataclass
class Curation:
    path: Path
    decisions: list[Decision]
    problems: list[str]  # one per decision that could not be read: with its line


def path_for(corpus) -> Path:
    """The folder's own file when the folder can be written (so it travels with the folder and
    its git), else one beside the index."""
    in_folder = corpus.root / FILE_NAME
    if in_folder.exists() or os.access(corpus.root, os.W_OK):
        return in_folder
    return corpus.index_path / FILE_NAME


def load(path: Path) -> Curation:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Curation(path, [], [])
    except (OSError, UnicodeDecodeError) as exc:
        return Curation(path, [], [f"{path}: cannot be read ({exc}); no decisions applied"])
    decisions, problems = [], []
    for start, block in _blocks(text):
        line = text.count("\n", 0, start) + 1
        try:
            table = tomllib.loads(block)
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{path}, line {line + _line_in(exc) - 1}: {_reason(exc)}; this decision is not applied")
            continue
        decision = table.get("decision")
        found = _decision(decision[0] if isinstance(decision, list) and decision else {}, line)
        if isinstance(found, str):
            problems.append(f"{path}, line {line}: {found}; this decision is not applied")
        else:
            decisions.append(found)
    return Curation(path, decisions, problems)


def _blocks(text: str) -> list[tuple[int, str]]:
    """Each `[[decision]]` with the lines after it, up to the next (text before the first is
    comments)."""
    starts = [m.start() for m in _BLOCK.finditer(text)]
    return [(s, text[s:e]) for s, e in zip(starts, [*starts[1:], len(text)])]


def _line_in(exc: tomllib.TOMLDecodeError) -> int:
    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else 1


def _reason(exc: tomllib.TOMLDecodeError) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not valid TOML"


def _decision(table: dict, line: int) -> Decision | str:
    """The decision a table states, or what is wrong with it."""
    actions = [a for a in ACTIONS if a in table]
    if len(actions) != 1:
        return f"a decision names one of {', '.join(ACTIONS)} (this one: {', '.join(actions) or 'none'})"
    action = actions[0]
    if action == "alias":
        name = table.get("alias")
        if not isinstance(name, str) or not name.strip():
            return 'alias = "..." needs a name'
        entity, wrong = _key(table.get("of"), "of")
        return wrong or Decision("alias", entity, name.strip(), line)
    entity, wrong = _key(table.get(action), action)
    if wrong:
        return wrong
    if action == "merge":
        into, wrong = _key(table.get("into"), "into")
        return wrong or Decision("merge", entity, into, line)
    if action == "split":
        if table.get("from") is None:
            return Decision("split", entity, None, line)
        source, wrong = _key(table.get("from"), "from")
        return wrong or Decision("split", entity, source, line)
    if action == "kind":
        kind = table.get("to")
        if kind not in KINDS:
            return f"to = {kind!r} is not a kind (use {', '.join(KINDS)})"
        return Decision("kind", entity, kind, line)
    return Decision("ignore", entity, None, line)


def _key(value, field: str) -> tuple[str, str | None]:
    """(a checked entity key `kind:name`, None), or ("", what is wrong)."""
    if not isinstance(value, str) or ":" not in value:
        return "", f'{field} = needs an entity as kind:name (for example "person:ronald reagan"), not {value!r}'
    kind, _, name = value.partition(":")
    if kind.strip() not in KINDS or not name.strip():
        return "", f"{field} = {value!r}: the kind must be one of {', '.join(KINDS)}"
    return f"{kind.strip()}:{name.strip()}", None


def append(path: Path, decision: Decision) -> None:
    """Add a decision at the end of the file (made with the header when new), whole or not at all."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        text = HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    _write(path, text + "\n" + decision.to_toml())


def remove(path: Path, decision: Decision) -> None:
    """Take a decision (as load() read it: by its line) out of the file."""
    text = path.read_text("utf-8")
    starts = [s for s, _ in _blocks(text)]
    start = next(s for s in starts if text.count("\n", 0, s) + 1 == decision.line)
    end = next((s for s in starts if s > start), len(text))
    _write(path, (text[:start].rstrip("\n") + "\n" + text[end:]).rstrip("\n") + "\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(text, "utf-8")
    os.replace(partial, path)
