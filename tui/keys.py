"""Keys are handled in the order they were typed, whatever the machine is doing.

Textual forwards each key to the focused widget's own queue and runs the app's bindings
only when the key bubbles back up to the app. Over SSH keys arrive in bursts, and on a busy
machine the app forwards a whole burst before any widget has run: the keys after `/` went
to the list, the word after `/`+ctrl+u was lost, the `j` of Esc-then-j was typed into the
query, the keys after `t` reached no one because the prompt was not mounted yet.

So the app handles every key itself, one at a time, to the end, before the next: text goes
into the focused text field at once, bindings run at once (the app's, then those of the
focused widget and its parents), and keys that arrive while a screen is still opening are
held and replayed to it when it is ready. Keys that no binding wants are forwarded as
Textual would (a widget's own `key_` handlers).
"""

from __future__ import annotations

import os
import sys
import time

from textual import events
from textual.screen import ModalScreen
from textual.widgets import Input

# Held keys go on after this long whatever happens: a screen that never says it is ready
# (one of Textual's own) or a search that takes its time delays keys, never loses them.
HOLD_LIMIT = 5.0
RETRY = 0.02  # seconds between checks while keys are held


KEY_LOG = os.environ.get("DOSSIER_KEY_LOG")  # a file to log each key and where it went, to diagnose


def _log_key(event, focused, screen) -> None:
    with open(KEY_LOG, "a", encoding="utf-8") as log:
        what = event.key if isinstance(event, events.Key) else "paste"
        log.write(f"{time.monotonic():.3f} {what!r} focused={getattr(focused, 'id', None) or type(focused).__name__} "
                  f"screen={type(screen).__name__}\n")


def _text_area_class():
    """TextArea, if it was imported (the note editor imports it on demand: 25 ms of start-up)."""
    module = sys.modules.get("textual.widgets._text_area")
    return getattr(module, "TextArea", None)


def is_text_field(widget) -> bool:
    text_area = _text_area_class()
    return isinstance(widget, Input) or (text_area is not None and isinstance(widget, text_area))


def unalt(event: events.Key) -> events.Key | None:
    """Esc then a key, read as alt+key (Textual reads ESC x as one key when x follows at once):
    the key without alt, or None if it is not such a key."""
    if not event.key.startswith("alt+"):
        return None
    key = event.key[len("alt+"):]
    if key.startswith("shift+") and len(key) == len("shift+") + 1:  # alt+shift+n is ESC N
        key = key[-1].upper()
    character = event.character if event.character and event.character.isprintable() else None
    if len(key) == 1:
        character = key
    return events.Key(key, character)


def focus_now(widget) -> None:
    """Focus now, not after the current message as Widget.focus() does: the next key typed
    must already find the focus where this key put it."""
    widget.screen.set_focus(widget)


def type_into(widget, text: str) -> None:
    """Insert typed or pasted text into a text field, replacing its selection, as the field
    itself would."""
    if isinstance(widget, Input):
        accept = getattr(widget, "accepts", None)
        if accept is not None and not accept(text):
            return
        selection = widget.selection
        if selection.is_empty:
            widget.insert_text_at_cursor(text)
        else:
            widget.replace(text, *selection)
        return
    if not widget.read_only:  # a TextArea
        widget.replace(text, *widget.selection)


class Dialog(ModalScreen):
    """A modal screen that takes the keys typed right after it was asked for.

    Keys that arrive before it has mounted and focused its field are held by the app and
    replayed to it. Enter and Esc answer it at once, so the keys after them reach the screen
    below, not the field."""

    takes_keys = False
    keys_on_mount = True  # False: the dialog calls ready_for_keys() when what it shows has come

    def on_mount(self) -> None:  # runs after a subclass's on_mount (Textual calls each class's)
        if self.keys_on_mount:
            self.ready_for_keys()

    def ready_for_keys(self) -> None:
        self.takes_keys = True
        release = getattr(self.app, "release_keys", None)
        if release is not None:
            self.call_after_refresh(release)

    def route_key(self, event: events.Key) -> bool | events.Key:
        """Keys the dialog handles itself, before bindings and text: True if handled, or the
        key to handle next in its place. Esc cancels; Esc then a key cancels and passes the
        key on to the screen below."""
        if event.key == "escape":
            self.dismiss(None)
            return True
        if (key := unalt(event)) is not None:
            self.dismiss(None)
            return key
        return False


class KeyRouter:
    """Mixin for the App: every key (and paste) in arrival order, each handled to the end.

    The app says which screen is its main one and where its own keys go by overriding
    `route_main_key` (keys the main screen handles before bindings) and
    `binding_allowed_while_typing`."""

    _held: list
    _held_since: float | None = None
    _keys_ready = False  # set once the main screen is mounted and has its focus
    _draining = False
    _retry_timer = None

    def keys_ready(self) -> None:
        """The main screen can take keys: replay what was typed while it was starting."""
        self._keys_ready = True
        self.release_keys()

    def release_keys(self) -> None:
        self.call_next(self._drain)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if not hasattr(self, "_held"):
                self._held = []
            self._held.append(event)
            await self._drain()
            return
        await super().on_event(event)

    def _screen_ready(self) -> bool:
        if not self._keys_ready:
            return False
        screen = self.screen
        ready = getattr(screen, "takes_keys", None)
        if ready is not None:
            return bool(ready)
        if screen is self.screen_stack[0]:
            return not self.keys_wait()
        return screen.is_mounted and screen.focused is not None

    async def _drain(self) -> None:
        if self._draining:
            return
        self._draining = True
        try:
            while getattr(self, "_held", None):
                if not self._screen_ready():
                    now = time.monotonic()
                    if self._held_since is None:
                        self._held_since = now
                    if now - self._held_since < HOLD_LIMIT:
                        if self._retry_timer is None:
                            self._retry_timer = self.set_interval(RETRY, self._retry)
                        return
                self._held_since = None
                event = self._held.pop(0)
                await self._route(event)
        finally:
            self._draining = False
        if self._retry_timer is not None and not getattr(self, "_held", None):
            self._retry_timer.stop()
            self._retry_timer = None

    async def _retry(self) -> None:
        await self._drain()

    async def _route(self, event: events.Event) -> None:
        focused = self.focused
        if KEY_LOG:
            _log_key(event, focused, self.screen)
        if isinstance(event, events.Paste):
            if is_text_field(focused) and event.text:
                type_into(focused, event.text if not isinstance(focused, Input) else event.text.splitlines()[0])
            else:
                await super().on_event(event)
            return
        screen = self.screen
        if isinstance(screen, Dialog):
            routed = screen.route_key(event)
        elif screen is self.screen_stack[0]:
            routed = await self.route_main_key(event)
        else:
            routed = False
        if isinstance(routed, events.Key):
            # Next in line, and like any key it waits if what it acts on is on its way
            # (Esc then j: the search left is still running when j comes).
            self._held.insert(0, routed)
            return
        if routed:
            return
        typing = is_text_field(focused)
        if typing and event.is_printable and event.character:
            type_into(focused, event.character)
            return
        if not typing or self.binding_allowed_while_typing(event.key):
            if await self._check_bindings(event.key, priority=True):
                return
        if await self._check_bindings(event.key):
            return
        if typing and event.key == "enter" and not isinstance(focused, Input):
            type_into(focused, "\n")  # a newline in the note editor
            return
        await super().on_event(event)  # no binding wants it: Textual forwards it as usual

    # -- for the app to override --------------------------------------------------------------
    async def route_main_key(self, event: events.Key) -> bool | events.Key:
        """Keys the main screen handles before bindings and text: True if handled, or the
        key to handle next in its place."""
        return False

    def binding_allowed_while_typing(self, key: str) -> bool:
        return True

    def keys_wait(self) -> bool:
        """The main screen is about to change under the keys (results on their way): hold them."""
        return False

