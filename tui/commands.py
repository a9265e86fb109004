"""The command palette's provider: every action from the registry, by its description."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .actions import key_label, keys_of, of_screen


class ActionCommands(Provider):
    async def discover(self) -> Hits:
        for action in of_screen("main"):  # they run on the main screen
            yield DiscoveryHit(action.description, partial(self.app.run_action, action.action, self.app.main),
                               help=" ".join(key_label(k) for k in keys_of(action, self.app.config.keymap)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in of_screen("main"):  # they run on the main screen
            score = matcher.match(action.description)
            if score > 0:
                yield Hit(score, matcher.highlight(action.description), partial(self.app.run_action, action.action, self.app.main),
                          help=" ".join(key_label(k) for k in keys_of(action, self.app.config.keymap)))
