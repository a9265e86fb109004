"""Styles for the reading view. Named ANSI colours come from the terminal's own palette, so
they read in 16 colours; each style also has an attribute (underline, reverse) that
survives NO_COLOR or a monochrome terminal."""

from __future__ import annotations

from rich.style import Style

from index.kinds import ENTITY_KINDS

KIND_STYLES: dict[str, Style] = {kind.name: Style(color=kind.colour, underline=True) for kind in ENTITY_KINDS}
HIT = Style(reverse=True, bold=True)
CURRENT_HIT = Style(color="black", bgcolor="yellow", bold=True, underline=True)
TITLE = Style(bold=True)
META = Style(dim=True)
STAR = Style(color="yellow", bold=True)
TAG = Style(color="green")


def set_entity_colour(kind: str, colour: str) -> None:
    """The user's colour for an entity kind (config.toml); the underline stays for monochrome."""
    KIND_STYLES[kind] = Style(color=colour, underline=True)
