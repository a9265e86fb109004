"""Driving the reader through Textual's Pilot: wait for conditions with a deadline, never for
a fixed time, and send keys in bursts as SSH delivers them."""

from __future__ import annotations

import asyncio
import time

from textual import events
from textual.keys import _character_to_key, key_to_character

from tui.app import DossierApp, Timing
from tui.config import Config

# Short delays: the tests wait for what is pending to be done, not for the delays to pass.
FAST = Timing(debounce=0.01, settle=0.01, typing_settle=0.03, index_poll=0.3)
DEADLINE = 60.0  # seconds: a machine busy with other work is slow, never this slow
POLL = 0.01
_NAMED_CHARACTERS = {"space", "slash", "question_mark", "asterisk", "vertical_line", "enter", "escape", "tab"}


def every_article() -> Config:
    """Settings that list every article, one row each: for folders written from a template
    (the same sentences with a word changed), which are one story, in tests about lists."""
    return Config(collapse="none")


def make_app(corpus, background: bool = False, **kwargs) -> DossierApp:
    kwargs.setdefault("timing", FAST)
    return DossierApp(corpus, index_in_background=background, **kwargs)


async def wait_for(pilot, condition, what: str = "the condition", timeout: float = DEADLINE) -> None:
    """Until `condition()` holds, with a deadline; the assertion says what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s; pending: {pilot.app.pending()}")
        await asyncio.sleep(POLL)


async def settle(pilot, *_ignored) -> None:
    """Until everything asked for has reached the screen: no search or article on its way,
    no key held, no timer waiting (checked twice: one answer can set off the next)."""
    for _ in range(2):
        await wait_for(pilot, lambda: not pilot.app.is_running or not pilot.app.pending(), "the reader settling")


async def burst(pilot, *keys: str) -> None:
    """Post keys to the app all at once, as SSH delivers typing (Pilot.press waits for each
    key to be handled before sending the next: no race can show there)."""
    for key in keys:
        if len(key) == 1:  # a character: its key name as the terminal driver would give it
            character, key = key, (key if key.isalnum() else _character_to_key(key))
        else:
            character = key_to_character(key) if key in _NAMED_CHARACTERS else None
        pilot.app.post_message(events.Key(key, character))
    await settle(pilot)


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *list(text), "enter")
    await settle(pilot)
