"""config.toml: the user's settings, checked key by key.

A problem never stops dossier: a file that is not valid TOML is ignored as a whole, a bad
value falls back to that key's default, and each problem is reported with its line and key
(as a notification in the reader, on stderr for commands).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from rich.color import Color, ColorParseError

from index.kinds import KINDS
from index.results import SORTS

CONFIG_ENV = "DOSSIER_CONFIG"
KEYS = ("theme", "mouse", "default_sort", "default_folder", "entities", "collapse", "read_story", "keymap",
        "entity_colours", "aliases")
COLLAPSE = ("story", "none")  # the article list: one row per story, or one per article
EXAMPLE = """\
# dossier's settings (every key is optional). See the README, "Configuration".
theme = "textual-dark"            # any Textual theme: textual-light, nord, gruvbox, ...
mouse = true                      # false lets the terminal select text
default_sort = "relevance"        # how searches are sorted at first: relevance or date
default_folder = "~/news"         # opened by `dossier` with no folder, used by every command
entities = true                   # false: index text only (`dossier index --entities` per folder)
collapse = "story"                # one row per story (its versions under `z`); "none": every article
read_story = false                # true: reading a story's main version marks its other versions read

[keymap]                          # action id = keys (see `?` in the reader for the ids)
star = "asterisk,s"

[entity_colours]                  # person, org, place, group, event
person = "bright_cyan"

[aliases.org]                     # your own aliases: canonical name = [other names]
"Islamic State" = ["IS"]
"""


def config_path() -> Path:
    """$DOSSIER_CONFIG, else config.toml in the platform's user config folder."""
    if env := os.environ.get(CONFIG_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("dossier", appauthor=False)) / "config.toml"


@dataclass
class Config:
    theme: str = "textual-dark"
    mouse: bool = True
    default_sort: str = "relevance"
    default_folder: Path | None = None
    entities: bool = True  # recognise named entities (a folder's own setting wins)
    collapse: str = "story"  # COLLAPSE: how the article list groups versions of a story
    read_story: bool = False  # reading a story's main version marks its other versions read
    keymap: dict[str, str] = field(default_factory=dict)  # action id -> "key,key"
    entity_colours: dict[str, str] = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    path: Path | None = None


def _line_of(text: str, section: str | None, key: str) -> int | None:
    """The line where `key` is set (inside [section] when given), for messages."""
    current: str | None = None
    pattern = re.compile(rf'^\s*["\']?{re.escape(key)}["\']?\s*=')
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            current = header.group(1).strip()
            if section is None and current == key:
                return number
            continue
        if current == section and pattern.match(line):
            return number
    return None


def load(path: Path | None = None) -> Config:
    path = path or config_path()
    config = Config(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as exc:
        config.problems.append(f"{path}: cannot read it ({exc}); using the defaults")
        return config
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"line (\d+)", message)
        detail = ""
        if where:
            line = text.splitlines()[int(where.group(1)) - 1] if int(where.group(1)) <= len(text.splitlines()) else ""
            key = line.split("=", 1)[0].strip() if "=" in line else line.strip()
            detail = f" (key '{key}')" if key else ""
        config.problems.append(f"{path}: {message}{detail}; using the defaults")
        return config

    def problem(section: str | None, key: str, message: str) -> None:
        line = _line_of(text, section, key)
        name = f"{section}.{key}" if section else key
        config.problems.append(f"{path}: line {line}: '{name}' {message}" if line else f"{path}: '{name}' {message}")

    for key, value in data.items():
        if key not in KEYS:
            problem(None, key, f"is not a setting (settings: {', '.join(KEYS)})")
        elif key == "theme":
            from textual.theme import BUILTIN_THEMES  # here: commands other than the reader skip Textual

            if isinstance(value, str) and value in BUILTIN_THEMES:
                config.theme = value
            else:
                problem(None, key, f"must be one of: {', '.join(sorted(BUILTIN_THEMES))}; using {config.theme}")
        elif key == "mouse":
            if isinstance(value, bool):
                config.mouse = value
            else:
                problem(None, key, "must be true or false; using true")
        elif key == "entities":
            if isinstance(value, bool):
                config.entities = value
            else:
                problem(None, key, "must be true or false; using true")
        elif key == "collapse":
            if value in COLLAPSE:
                config.collapse = value
            else:
                problem(None, key, "must be \"story\" or \"none\"; using story")
        elif key == "read_story":
            if isinstance(value, bool):
                config.read_story = value
            else:
                problem(None, key, "must be true or false; using false")
        elif key == "default_sort":
            if value in SORTS:
                config.default_sort = value
            else:
                problem(None, key, "must be \"relevance\" or \"date\"; using relevance")
        elif key == "default_folder":
            if isinstance(value, str) and value.strip():
                config.default_folder = Path(value).expanduser()
            else:
                problem(None, key, "must be a folder path in quotes; using the bundled seeds")
        elif key == "keymap":
            _keymap(config, value, problem)
        elif key == "entity_colours":
            _colours(config, value, problem)
        elif key == "aliases":
            _aliases(config, value, problem)
    return config


def _keymap(config: Config, value, problem) -> None:
    from .actions import BY_ID

    if not isinstance(value, dict):
        problem(None, "keymap", "must be a table: [keymap] then action = \"keys\"")
        return
    for action_id, keys in value.items():
        if action_id not in BY_ID:
            problem("keymap", action_id, f"is not an action (actions: {', '.join(sorted(BY_ID))})")
            continue
        if isinstance(keys, str):
            keys = [k.strip() for k in keys.split(",")]
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and re.fullmatch(r"[\w+\-]+", k) for k in keys):
            problem("keymap", action_id, "must be keys like \"s\" or \"ctrl+s,asterisk\" (Textual key names)")
            continue
        config.keymap[action_id] = ",".join(keys)


def _colours(config: Config, value, problem) -> None:
    if not isinstance(value, dict):
        problem(None, "entity_colours", "must be a table: [entity_colours] then person = \"cyan\"")
        return
    for kind, colour in value.items():
        if kind not in KINDS:
            problem("entity_colours", kind, f"is not an entity kind ({', '.join(KINDS)})")
            continue
        try:
            Color.parse(str(colour))
        except ColorParseError:
            problem("entity_colours", kind, f"'{colour}' is not a colour (e.g. cyan, bright_red, #ff8800)")
            continue
        config.entity_colours[kind] = str(colour)


def _aliases(config: Config, value, problem) -> None:
    if not isinstance(value, dict):
        problem(None, "aliases", "must be tables like [aliases.org] \"Islamic State\" = [\"IS\"]")
        return
    for kind, entries in value.items():
        if kind not in KINDS or not isinstance(entries, dict):
            problem("aliases", kind, f"must be an entity kind ({', '.join(KINDS)}) with names = [other names]")
            continue
        bad = [name for name, others in entries.items()
               if not isinstance(others, list) or not all(isinstance(o, str) for o in others)]
        for name in bad:
            problem(f"aliases.{kind}", name, "must be a list of names in quotes")
        config.aliases[kind] = {name: others for name, others in entries.items() if name not in bad}


def entities_wanted(config: Config, corpus) -> bool:
    """Whether indexing `corpus` recognises named entities: the folder's own setting (`dossier
    index --entities/--no-entities`), else config.toml's `entities`."""
    setting = corpus.entities_setting
    return config.entities if setting is None else setting
