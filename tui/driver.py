"""Esc acts when its wait is over, not up to a tenth of a second later.

A lone ESC byte may be the start of a key's escape sequence, so the parser waits ESCDELAY
(100 ms) for more before reporting Esc. Textual's Linux driver checks that wait only when
its select() returns, every 100 ms, so Esc took 100-200 ms to act, and more on a loaded
machine. This driver sleeps in select() exactly until the parser's wait ends.

The loop is Textual 8's LinuxDriver.run_input_thread with that one change; Textual is pinned
below 9, and every test in tests/test_journeys.py runs through it in a real terminal.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

IDLE_WAKE = 0.1  # seconds: how often the thread checks whether it should stop


class PromptEscDriver(LinuxDriver):
    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        feed, tick = parser.feed, parser.tick
        decode = getincrementaldecoder("utf-8")().decode

        def process(selector_events, final: bool = False) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:
                        break
                    for event in feed(data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        def timeout() -> float:
            due = getattr(parser, "_timeout_time", None)  # the end of the wait after a lone ESC
            if due is None:
                return IDLE_WAKE
            return min(IDLE_WAKE, max(due - get_time(), 0.0) + 0.001)

        try:
            while not self.exit_event.is_set():
                process(selector.select(timeout()))
            selector.unregister(fileno)
            process(selector.select(IDLE_WAKE), final=True)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass
