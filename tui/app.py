"""The dossier app: the terminal, the keys and the settings; the main screen does the rest.

The app routes every key to the end before the next (tui/keys.py: keys arrive in bursts
over SSH), sets the user's keymap and theme once at start, and opens the main screen
(tui/screens/main.py), which holds the search, the results and the open article.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import App

from index.corpus import Corpus

from . import actions, external, theme
from .commands import ActionCommands
from .config import Config
from .keys import KeyRouter
from .screens.main import MainScreen


@dataclass(frozen=True)
class Timing:
    """The reader's delays, in seconds (tests make them short)."""

    debounce: float = 0.15  # quiet typing before a search runs
    settle: float = 0.2  # the list cursor must rest this long before the reader follows it
    # While a query is being typed the reader waits for a pause: redrawing the article (and
    # its entities) for every keystroke tripled the bytes sent per character over SSH.
    typing_settle: float = 1.0
    index_poll: float = 2.0  # between checks for commits made by another dossier process


class DossierApp(KeyRouter, App):
    TITLE = "dossier"
    CSS = """
    Screen { layout: vertical; }
    #search-bar { height: 1; }
    #search-label { width: 2; height: 1; color: $accent; text-style: bold; }
    #search { height: 1; border: none; padding: 0; width: 1fr; background: $surface; }
    #search:focus { background: $boost; }
    /* Always one row: showing and hiding it moved every pane, so Textual redrew the whole
       screen (20 KB over SSH) each time a search found nothing and then something. */
    #message { height: 1; color: $warning; padding: 0 1; }
    #message.error { color: $error; }
    #panes { height: 1fr; }
    .pane { border-top: hkey $panel; border-title-color: $text-muted; height: 1fr; }
    .pane:focus-within { border-top: hkey $accent; border-title-color: $text; border-title-style: bold; }
    #list-pane { width: 2fr; min-width: 30; }
    #reader-pane { width: 3fr; }
    #entity-pane { width: 34; display: none; }
    #entity-pane.shown { display: block; }
    """
    COMMANDS = App.COMMANDS | {ActionCommands}
    # The main screen is the first on the stack, composed and mounted like any screen.
    MODES = {"main": MainScreen}
    DEFAULT_MODE = "main"

    def __init__(self, corpus: Corpus, index_in_background: bool = True, config: Config | None = None,
                 watch: bool = False, timing: Timing = Timing(), names: str | None = None) -> None:
        self.config = config or Config()
        self.timing = timing
        for kind, colour in self.config.entity_colours.items():
            theme.set_entity_colour(kind, colour)
        super().__init__()
        self.corpus = corpus
        self.index_in_background = index_in_background
        self.watch_on_start = watch
        self.names_on_start = names  # a list of names to cross-reference once open (--xref)
        if external.OVER_SSH:
            self.animation_level = "none"

    @property
    def main(self) -> MainScreen:
        """The main screen (at the bottom of the stack, under any dialog)."""
        return self.screen_stack[0]

    def get_driver_class(self):
        from textual import constants

        driver = super().get_driver_class()
        # Linux and macOS terminals get Esc without the lag, unless TEXTUAL_DRIVER names one.
        if driver.__name__ == "LinuxDriver" and constants.DRIVER is None:
            from .driver import PromptEscDriver

            return PromptEscDriver
        return driver

    def on_mount(self) -> None:
        self.theme = self.config.theme
        # The keymap is the user's config.toml [keymap], read by the registry's keys_of() for
        # the help, the footer and the palette, and given to Textual here, once.
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for problem in self.config.problems:
            self.notify(problem, title="config.toml", severity="warning", timeout=15)

    def pending(self) -> list[str]:
        """What the user asked for that has not reached the screen yet (empty when the screen
        shows everything asked for): tests wait on this instead of sleeping."""
        waiting = [f"{len(self._held)} keys held"] if getattr(self, "_held", None) else []
        over = getattr(self.screen, "pending", None) if self.screen is not self.main else None
        return waiting + (over() if over else []) + self.main.pending()

    # -- keys (tui/keys.py handles each key to the end before the next) -----------------------
    async def route_main_key(self, event: events.Key):
        return await self.main.route_main_key(event)

    def binding_allowed_while_typing(self, key: str) -> bool:
        return key not in actions.typed_keys_taken(self.config.keymap)

    def keys_wait(self) -> bool:
        return self.main.keys_wait()


def run_app(corpus: Corpus, config: Config | None = None, mouse: bool = True, watch: bool = False,
            names: str | None = None) -> None:
    DossierApp(corpus, config=config, watch=watch, names=names).run(mouse=mouse)
