"""The corpus-wide entity registry: merges spelling variants across articles, conservatively.

A new key is compared only with keys of the same kind that share its consonant skeleton
(so the check stays O(1) at any corpus size), and joins one only when:
  - rapidfuzz's ratio is at least FUZZY_THRESHOLD and the name is at least 5 letters,
  - the numbers in both names are the same (Brigade 4 is not Brigade 14),
  - both have the same number of words (a lone surname joins a full name only inside one
    article, which entities.py does), and
  - they are not two different places that the alias table knows (South Africa, South America).
Of two keys that merge, an alias-table key leads, else the one that sorts first.

After every indexing run `decide` looks at the whole corpus and joins keys no single article
can: a lone surname to the full name the corpus gives it, a name the model read as several
kinds to the kind most of its mentions have. Those decisions are made again from all the
evidence each time and applied when keys are read, so they never depend on the order files
were read in and the index never has to be rebuilt for them.
The registry is saved beside the index and rebuilt with it.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from pathlib import Path


from .aliases import AliasTable, fold, numbers, skeleton
from .gazetteer import known_places

REGISTRY_NAME = "entities.json"  # in the index folder
FUZZY_THRESHOLD = 85
MIN_FUZZY_LENGTH = 5
# A lone surname joins a full name only when that name has this share of the mentions of all
# full names ending in it (Blair: Tony Blair, not Cherie Blair).
DOMINANT_SHARE = 0.8
# How a key came to be joined to an entity (taken_in), as pages and pickers say it: "by ..."
JOINED_BY = {"spelling": "spelling", "corpus": "the corpus", "you": "you"}


class EntityRegistry:
    def __init__(self, aliases: AliasTable, path: Path | None = None):
        self.aliases = aliases
        self.path = path
        self.names: dict[str, str] = {}  # canonical key -> display name
        self.redirects: dict[str, str] = {}  # variant key -> canonical key
        self.variants: dict[str, set[str]] = defaultdict(set)  # canonical key -> surfaces seen
        self.spelled: dict[str, Counter] = defaultdict(Counter)  # canonical key -> times each surface was written
        self._blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._by_variant: dict[str, set[str]] | None = None
        self._merged: dict[str, list[str]] | None = None
        # canonical key -> how often each display name was given for it: the most common one
        # names the entity, whichever key leads its group (the alias table's name for its own).
        self.seen: dict[str, Counter] = defaultdict(Counter)
        # canonical key -> the canonical key the corpus-wide evidence joins it to (`decide`)
        self.decided: dict[str, str] = {}
        # The user's decisions (index/curation.py), applied over all of the above when read,
        # never saved with it: canonical key -> the key a merge or a change of kind joins it
        # to; entities marked "not an entity"; names added by hand; what could not be applied.
        self.curated: dict[str, str] = {}
        self.split_off: dict[str, str] = {}  # a key taken into an entity -> the entity it left
        self.ignored: set[str] = set()
        self.added_names: dict[str, set[str]] = defaultdict(set)
        self.curation_problems: list[str] = []
        if path and path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return  # a lost registry only costs merges of variants seen before
        self.names = dict(data.get("names", {}))
        self.redirects = dict(data.get("redirects", {}))
        for key, surfaces in data.get("variants", {}).items():
            self.variants[key] = set(surfaces)
        for key, counts in data.get("spelled", {}).items():  # not in a registry saved before
            self.spelled[key] = Counter(counts)
        for key, counts in data.get("seen", {}).items():
            self.seen[key] = Counter(counts)
        for key in self.names:
            self._blocks[self._block(key)].append(key)
        if "decided" in data:
            self.decided = dict(data["decided"])
        else:
            self.decide()  # a registry saved before decisions were made

    def save(self, decide: bool = True) -> None:
        """Write the registry; `decide` first unless told not to (a batch in the middle of a
        run keeps the last decisions: deciding costs a pass over every key)."""
        if not self.path:
            return
        if decide:
            self.decide()
        data = {
            "names": self.names,
            "redirects": self.redirects,
            "variants": {k: sorted(v) for k, v in self.variants.items()},
            "spelled": self.spelled,
            "seen": self.seen,
            "decided": self.decided,
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        os.replace(tmp, self.path)

    @staticmethod
    def _split(key: str) -> tuple[str, str]:
        kind, _, folded = key.partition(":")
        return kind, folded

    def _block(self, key: str) -> tuple[str, str]:
        kind, folded = self._split(key)
        return kind, skeleton(folded)

    def _is_alias(self, key: str) -> bool:
        kind, folded = self._split(key)
        alias = self.aliases.lookup(folded, kind)
        return alias is not None and alias.key == key

    def _mergeable(self, key: str, other: str) -> bool:
        _, a = self._split(key)
        _, b = self._split(other)
        if len(a) < MIN_FUZZY_LENGTH or len(b) < MIN_FUZZY_LENGTH:
            return False
        if numbers(a) != numbers(b) or len(a.split()) != len(b.split()):
            return False
        if a in self.aliases.known_places and b in self.aliases.known_places:
            return False
        if self._is_alias(key) and self._is_alias(other):
            return False  # two entries of the alias table are two entities
        from rapidfuzz import fuzz  # here: 12 ms of every command's start-up otherwise

        return fuzz.ratio(a, b) >= FUZZY_THRESHOLD

    def canonical(self, key: str, name: str, surface: str | None = None) -> tuple[str, str]:
        """The canonical (key, display name) for a key found in an article.

        The groups do not depend on the order articles are read in: an alias-table key takes
        in the keys seen before it that it would have taken in after, and of two other keys that
        merge, the one that sorts first leads. Articles indexed under a key that was later taken
        in are found and counted through `resolve` and `merged_into`."""
        key = self.redirects.get(key, key)
        if key not in self.names:
            block = self._blocks[self._block(key)]
            if self._is_alias(key):
                # The alias table is the authority on its names: its key keeps its own name.
                for other in [o for o in block if not self._is_alias(o) and self._mergeable(o, key)]:
                    self._take_in(other, key)
                self.names[key] = name
                block.append(key)
            else:
                # Every key this one merges with joins it (it may bridge two that did not merge
                # with each other); an alias-table key leads, else the key that sorts first.
                matches = [o for o in block if self._mergeable(key, o)]
                table = [o for o in matches if self._is_alias(o)]
                leader = table[0] if table else min([key, *matches])
                if leader == key:
                    self.names[key] = name
                    block.append(key)
                else:
                    self.redirects[key] = leader
                    self._merged = None
                for other in matches:
                    if other != leader and not self._is_alias(other):
                        self._take_in(other, leader)
                key = leader
        if surface:
            if surface not in self.variants[key]:
                self.variants[key].add(surface)
                self._by_variant = None
            self.spelled[key][surface] += 1
        counts = self.seen[key]
        counts[name] += 1
        # Only the name just counted can have overtaken the current one (this runs per mention).
        current = self.names[key]
        if name != current and _rank(counts, name) < _rank(counts, current) and not self._is_alias(key):
            self.names[key] = name
        return key, self.names[key]

    def _rename(self, key: str) -> None:
        """Name an entity by the name most often given for it (ties: the longer, then the
        first in sort order); the alias table names its own entities."""
        if self._is_alias(key) or not self.seen[key]:
            return
        counts = self.seen[key]
        self.names[key] = min(counts, key=lambda n: _rank(counts, n))

    def _take_in(self, old: str, new: str) -> None:
        """Make the canonical key `old` (and every key it took in) a variant of `new`."""
        for variant, target in self.redirects.items():
            if target == old:
                self.redirects[variant] = new
        self.redirects[old] = new
        self.variants[new] |= self.variants.pop(old, set())
        self.spelled[new].update(self.spelled.pop(old, Counter()))
        self.seen[new].update(self.seen.pop(old, Counter()))
        self.names.pop(old, None)
        self._rename(new)
        block = self._blocks[self._block(old)]
        if old in block:
            block.remove(old)
        self._by_variant = None
        self._merged = None

    def merged_into(self, key: str) -> list[str]:
        """The keys taken into canonical `key`, by spelling or by a corpus decision (articles
        indexed under them carry those keys)."""
        if self._merged is None:
            merged: dict[str, list[str]] = defaultdict(list)
            for variant in [*self.redirects, *self.decided, *self.curated]:
                target = self.resolve(variant)
                if target != variant:
                    merged[target].append(variant)
            self._merged = merged
        return sorted(self._merged.get(key, ()))

    def decide(self) -> None:
        """Join the keys that the whole corpus, not one article, shows to be one entity:
        1. a full name written with and without middle initials (George Bush, George W Bush)
           joins the one given more often;
        2. a lone surname (articles that only say "Blair") joins the full name the corpus gives
           for it, when that name has DOMINANT_SHARE of the mentions of full names ending so;
        3. a name the model read as several kinds is the kind the alias table gives it, else
           the kind most of its mentions have (Manchester United the club, not a person); a
           one-word "person" the corpus never gives with a first name counts for no one
           there (Glasgow, Yukos)."""
        mentions = {key: sum(self.seen[key].values()) or 1 for key in self.names}
        decided: dict[str, str] = {}
        people = [key for key in self.names if key.startswith("person:")]

        by_ends: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key in people:
            words = self._split(key)[1].split()
            if len(words) >= 2 and all(len(w) == 1 for w in words[1:-1]):
                by_ends[(words[0], words[-1])].append(key)
        for same in by_ends.values():
            if len(same) > 1:
                leader = min(same, key=lambda k: (-mentions[k], k))
                decided.update((k, leader) for k in same if k != leader and not self._is_alias(k))

        # Full names by last word, where the corpus has seen that word alone name the person
        # (an article's "Blair" joined to its "Tony Blair"): "Kill Bill" never had "Bill"
        # joined to it by an article, so a lone "Bill" is not the film. Not organisations: on
        # wire copy the last word of an organisation is its name more often than a shortening
        # ("Texaco" is not "Pro Texaco"); the alias table knows "the Commons".
        by_name: dict[str, list[str]] = defaultdict(list)
        for key in self.names:
            by_name[self._split(key)[1]].append(key)
        full_by_last: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for key in self.names:
            kind, folded = self._split(key)
            words = folded.split()
            if (kind == "person" and len(words) >= 2
                    and any(" " not in v and fold(v) == words[-1] for v in self.variants.get(key, ()))):
                full_by_last[(kind, words[-1])][decided.get(key, key)] += mentions[key]
        for key in self.names:
            kind, folded = self._split(key)
            fulls = full_by_last.get((kind, folded))
            if " " in folded or not fulls or self._is_alias(key):
                continue
            other_kinds = max((mentions[k] for k in by_name[folded] if k != key), default=0)
            best, count = min(fulls.items(), key=lambda item: (-item[1], item[0]))
            # Bolton the club (named more often than the lone "person" Bolton) is not John Bolton.
            if count >= DOMINANT_SHARE * sum(fulls.values()) and mentions[key] >= other_kinds:
                decided[key] = best

        for folded, keys in by_name.items():
            keys = [k for k in keys if k not in decided]
            alias = self.aliases.lookup(folded)
            if alias is not None:
                decided.update((k, alias.key) for k in keys if self._split(k)[0] != alias.kind)
                continue
            if len(keys) < 2:
                continue

            def votes(key: str) -> float:
                kind = self._split(key)[0]
                if kind == "person" and " " not in folded and ("person", folded) not in full_by_last:
                    return 0  # never given with a first name: Glasgow, Yukos
                if kind == "place" and folded not in known_places():
                    # No gazetteer knows it: half a vote. BT (49 "place", 39 company) is the
                    # company; Alberta (44 "place", 1 company: GeoNames lists no provinces)
                    # stays a place.
                    return mentions[key] / 2
                return mentions[key]

            winner = min(keys, key=lambda k: (-votes(k), k))
            # An unknown "place" does not take in a "person" that counted for nothing: neither
            # is evidence (Kilroy).
            weak = winner.startswith("place:") and folded not in known_places()
            decided.update((k, winner) for k in keys
                           if k != winner and votes(k) < votes(winner) and not (weak and votes(k) == 0))

        for key in list(decided):  # one step to the end of a chain (person -> full name -> org)
            seen, target = {key}, decided[key]
            while target in decided and target not in seen:
                seen.add(target)
                target = decided[target]
            decided[key] = target
        self.decided = {k: v for k, v in decided.items() if k != v}
        self._merged = None
        self._by_variant = None

    def keys_for(self, kind: str, folded: str) -> set[str]:
        """Canonical keys of `kind` that have `folded` as a name or variant."""
        if self._by_variant is None:
            index: dict[str, set[str]] = defaultdict(set)
            for key in self.names:
                index[self._split(key)[1]].add(key)
            for variant, target in self.redirects.items():
                index[self._split(variant)[1]].add(variant if variant in self.split_off else target)
            for key, surfaces in [*self.variants.items(), *self.added_names.items()]:
                for surface in surfaces:
                    index[fold(surface)].add(key)
            self._by_variant = index
        found = {k for k in self._by_variant.get(folded, set()) | self._by_variant.get(fold(folded), set())
                 if k.startswith(kind + ":")}
        if alias := self.aliases.lookup(folded, kind):
            found.add(alias.key)
        return found

    def resolve(self, key: str) -> str:
        key = self._resolve_automatically(key)
        if self.curated:
            seen = {key}
            while key in self.curated:  # the user's decisions come last and win
                key = self._resolve_automatically(self.curated[key])
                if key in seen:
                    break
                seen.add(key)
        return key

    def _resolve_automatically(self, key: str) -> str:
        if self.split_off and key in self.split_off:
            return key  # the user took it out of the entity it was joined to
        key = self.redirects.get(key, key)
        if self.split_off and key in self.split_off:
            return key
        if key in self.decided:  # its target may have been taken in since it was decided
            key = self.redirects.get(self.decided[key], self.decided[key])
        return key

    def is_ignored(self, key: str) -> bool:
        """Marked "not an entity" by the user (after its merges: resolve first)."""
        return bool(self.ignored) and self.resolve(key) in self.ignored

    def apply_curation(self, curation) -> None:
        """Apply the user's decisions (index/curation.py) in the order they were made: a
        later one about an entity wins over an earlier one."""
        from .aliases import make_key

        self.curation_problems = list(curation.problems)
        for decision in curation.decisions:
            kind, _, name = decision.entity.partition(":")
            source = self._resolve_automatically(make_key(kind, name))
            entity = self.resolve(source)  # as the user sees it now
            if decision.action == "merge":
                entity = source  # a later merge moves it, whatever it was merged into before
                into_kind, _, into_name = decision.value.partition(":")
                target = self._resolve_automatically(make_key(into_kind, into_name))
                self.curated.pop(target, None)  # what it joins stands on its own now
                self.ignored.discard(target)
                if target != entity:
                    self.curated[entity] = target
                    self.names.setdefault(target, self.name(target, into_name))
            elif decision.action == "kind":
                target = make_key(decision.value, self.name(entity))
                self.curated.pop(target, None)
                if target != entity:
                    self.names.setdefault(target, self.name(entity))
                    self.curated[entity] = target
            elif decision.action == "split":
                self._split_off(make_key(kind, name), decision.value)
            elif decision.action == "ignore":
                self.ignored.add(entity)
            else:
                self.added_names[entity].add(decision.value)
        self._merged = None
        self._by_variant = None

    def taken_in(self, key: str) -> list[tuple[str, str]]:
        """The keys joined to canonical `key` that a split can take out again, each with how it
        was joined: "spelling" (a close spelling), "corpus" (the corpus's evidence: a lone
        surname, another kind) or "you" (a merge of yours)."""
        out = []
        for variant in self.merged_into(key):
            how = ("you" if variant in self.curated else "corpus" if variant in self.decided
                   else "spelling")
            out.append((variant, how))
        return out

    def _split_off(self, variant: str, entity_key: str | None) -> None:
        """`variant` (a key joined to an entity by spelling, evidence or a merge) stands on its
        own: the articles that name it so, and the spellings that fold to it, are its own."""
        joined_to = self._resolve_automatically(variant)
        self.curated.pop(variant, None)  # a later split undoes an earlier merge of it
        self.split_off[variant] = entity_key or joined_to
        if joined_to == variant:
            return
        _, folded = self._split(variant)
        # Its spellings and the names given for it were gathered under the key it joined.
        for holder in {joined_to, self.redirects.get(variant, joined_to)}:
            moved = {s for s in self.variants.get(holder, ()) if fold(s) == folded}
            if moved:
                self.variants[holder] -= moved
                self.variants[variant] |= moved
            for counts, into in ((self.seen.get(holder), self.seen), (self.spelled.get(holder), self.spelled)):
                for given in [n for n in (counts or ()) if fold(n) == folded]:
                    into[variant][given] += counts.pop(given)
        if variant not in self.names:
            given = self.seen.get(variant)
            self.names[variant] = (min(given, key=lambda n: _rank(given, n)) if given
                                   else folded.title())
        self._rename(joined_to)

    def name(self, key: str, default: str | None = None) -> str:
        """The entity's display name; for a key the registry has never seen, `default` (the
        name stored with a span) or else its folded words."""
        key = self.resolve(key)
        if key in self.names:
            return self.names[key]
        kind, folded = self._split(key)
        alias = self.aliases.lookup(folded, kind)
        if alias is not None and alias.key == key:
            return alias.name
        return default or folded

    def all_variants(self, key: str) -> list[str]:
        """Every spelling of the entity: its own, those of the keys joined to it (not of a key
        split off), the names added by hand and the alias table's."""
        key = self.resolve(key)
        kind, folded = self._split(key)
        out: set[str] = set()
        for each in [key, *self.merged_into(key)]:
            out |= self.variants.get(each, set()) | self.added_names.get(each, set())
        if alias := self.aliases.lookup(folded, kind):
            out |= set(self.aliases.variants(alias))
        return sorted(out)


def _rank(counts: Counter, name: str) -> tuple:
    """Order of the names given for an entity: most often given, then longer, then sort order."""
    return (-counts[name], -len(name), name)
