"""Entity names: canonical keys, the alias table, and name shapes used for merging."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .kinds import KINDS

# Generic words after a place name that do not change the place ("Diyala province").
_PLACE_SUFFIX = re.compile(r"\s+(?:province|governorate|region|district|city|county)$")


_POSSESSIVE = re.compile(r"'s$")
_DASHES = re.compile(r"[-_/–—]+")
_PUNCTUATION = re.compile(r"[^\w\s&]+")
_LEADING_THE = re.compile(r"^the\s+")


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Case, accents, dots, hyphens, apostrophes and a leading 'the' folded away.
    Cached: the same names are folded over and over while a corpus is indexed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("’", "'").replace("‘", "'")
    text = _POSSESSIVE.sub("", text)
    text = text.replace(".", "").replace("'", "")
    text = _DASHES.sub(" ", text)
    text = _PUNCTUATION.sub(" ", text)
    text = _LEADING_THE.sub("", text.strip())
    return " ".join(text.split())


def skeleton(folded: str) -> str:
    """Consonants with doubles collapsed: spelling variants of one name share it.

    Soleimani, Suleimani and Soliemani are all 'slmn'; Deir Az Zor and Deir Ezzor are 'drzr'.
    """
    consonants = re.sub(r"[aeiouy\s]", "", folded)
    return re.sub(r"(.)\1+", r"\1", consonants)


def numbers(folded: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", folded))


@dataclass(frozen=True)
class Alias:
    kind: str
    name: str  # canonical display name

    @property
    def key(self) -> str:
        return make_key(self.kind, self.name)


# A company's legal form is not part of its name: Intel, Intel Corp and Intel Corporation are one.
_ORG_SUFFIX = re.compile(r"(?<=\w)\s+(?:inc|incorporated|corp|corporation|co|ltd|limited|plc|llc|ag|nv|gmbh)$")


def make_key(kind: str, name: str) -> str:
    folded = fold(name)
    if kind == "place":
        folded = _PLACE_SUFFIX.sub("", folded)
    elif kind == "org":
        folded = _ORG_SUFFIX.sub("", folded) or folded
    return f"{kind}:{folded}"


class AliasTable:
    """folded name -> Alias, from the shipped table and the user's extension."""

    def __init__(self, tables: list[dict], problems: list[str] | None = None):
        self.problems = problems or []  # why a user's table was not used, for the user to see
        self.by_name: dict[tuple[str, str], Alias] = {}  # (kind, folded) -> alias
        self.any_kind: dict[str, Alias] = {}  # folded -> alias, when the kind is unambiguous
        self.surfaces: set[str] = set()  # every name as written in the tables
        self._written: dict[Alias, set[str]] = {}
        self._pattern: re.Pattern | None = None
        ambiguous: set[str] = set()
        for table in tables:
            for kind, entries in table.items():
                if kind not in KINDS or not isinstance(entries, dict):
                    continue
                for canonical, others in entries.items():
                    alias = Alias(kind, str(canonical))
                    for variant in [canonical, *(others if isinstance(others, list) else [])]:
                        self.surfaces.add(str(variant))
                        self._written.setdefault(alias, set()).add(str(variant))
                        folded = fold(str(variant))
                        if not folded:
                            continue
                        self.by_name[(kind, folded)] = alias
                        if folded in self.any_kind and self.any_kind[folded].kind != kind:
                            ambiguous.add(folded)
                        self.any_kind[folded] = alias
        # An event's or a group's name in the singular is the same name (Oscar, Oscars;
        # Sunni, Sunnis), where the tables do not say otherwise.
        for (kind, folded), alias in list(self.by_name.items()):
            if kind in ("event", "group") and folded.endswith("s") and not folded.endswith("ss"):
                single = folded[:-1]
                if (kind, single) not in self.by_name and single not in self.any_kind and single not in ambiguous:
                    self.by_name[(kind, single)] = alias
                    self.any_kind[single] = alias
        for folded in ambiguous:
            del self.any_kind[folded]
        self.known_places = {f for (k, f) in self.by_name if k == "place"}
        # Last words of the table's people: a lone "Assad" is a person's name.
        self.surnames = {f.split()[-1] for (k, f) in self.by_name if k == "person" and " " in f}

    def gazetteer_pattern(self) -> re.Pattern | None:
        """A regex for the table's multi-word names and acronyms, longest first, case-sensitive."""
        if self._pattern is None:
            names = {v for v in self.surfaces if " " in v.strip() or re.fullmatch(r"[A-Z][A-Z.]{2,}", v)}
            if not names:
                return None
            alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self._pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z0-9])")
        return self._pattern

    def lookup(self, folded: str, kind: str | None = None) -> Alias | None:
        if kind is not None and (kind, folded) in self.by_name:
            return self.by_name[(kind, folded)]
        return self.any_kind.get(folded)

    def variants(self, alias: Alias) -> list[str]:
        """The alias's names as the tables write them."""
        return sorted(self._written.get(alias, ()))


def user_alias_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("dossier", appauthor=False)) / "aliases.toml"


def config_aliases() -> dict:
    """The [aliases] tables of the user's config.toml ($DOSSIER_CONFIG or the config folder).
    A broken file adds nothing here; the reader and commands report what is wrong with it."""
    import os

    import platformdirs

    env = os.environ.get("DOSSIER_CONFIG")
    path = Path(env).expanduser() if env else Path(platformdirs.user_config_dir("dossier", appauthor=False)) / "config.toml"
    try:
        aliases = tomllib.loads(path.read_text("utf-8")).get("aliases", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return aliases if isinstance(aliases, dict) else {}


@lru_cache(maxsize=4)
def load_aliases(user_file: str | None = None) -> AliasTable:
    shipped = tomllib.loads(resources.files("index").joinpath("data/aliases.toml").read_text("utf-8"))
    tables = [shipped]
    problems = []
    path = Path(user_file) if user_file else user_alias_file()
    if path.is_file():
        try:
            tables.append(tomllib.loads(path.read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            # A broken user table must not stop indexing: the shipped one is used, and
            # `dossier entities` says what is wrong.
            problems.append(f"your alias table {path} was not used: {exc}")
    tables.append(config_aliases())
    return AliasTable(tables, problems)
