"""The five entity kinds: the one table every part of dossier reads them from.

A kind's name is its key prefix (`person:tony blair`), its index field and its query field
(`person:blair`); the spaCy labels it gathers decide what the recogniser's output becomes;
the words and the colour are what the reader, the CLI and the help say and show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntityKind:
    name: str  # key prefix, index field and query field
    label: str  # the spaCy label a span of this kind is written with
    labels: tuple[str, ...]  # every spaCy label gathered into this kind
    noun: str  # "organisation": in the reader's legend and in messages
    title: str  # "Organisations": a heading in the entity pane and the CLI
    colour: str  # a named ANSI colour, so it reads in 16 colours (config.toml may change it)


ENTITY_KINDS: tuple[EntityKind, ...] = (
    EntityKind("person", "PERSON", ("PERSON",), "person", "People", "cyan"),
    EntityKind("org", "ORG", ("ORG",), "organisation", "Organisations", "magenta"),
    EntityKind("place", "GPE", ("GPE", "LOC", "FAC"), "place", "Places", "green"),
    EntityKind("group", "NORP", ("NORP",), "group", "Groups", "yellow"),
    EntityKind("event", "EVENT", ("EVENT",), "event", "Events", "blue"),
)

KINDS: tuple[str, ...] = tuple(kind.name for kind in ENTITY_KINDS)
KIND_BY_NAME: dict[str, EntityKind] = {kind.name: kind for kind in ENTITY_KINDS}
KIND_OF_LABEL: dict[str, str] = {label: kind.name for kind in ENTITY_KINDS for label in kind.labels}
LABEL_OF_KIND: dict[str, str] = {kind.name: kind.label for kind in ENTITY_KINDS}
KIND_NOUNS: dict[str, str] = {kind.name: kind.noun for kind in ENTITY_KINDS}
KIND_TITLES: dict[str, str] = {kind.name: kind.title for kind in ENTITY_KINDS}
