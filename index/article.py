"""The Article: what one file (or one record of a JSON file) becomes."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from .kinds import KIND_OF_LABEL


def article_id(relpath: str, position: int = 0, anchor: str | None = None) -> str:
    """A stable id: the same file (relative to its corpus) gives the same id on any machine.

    A feed's entries are named by their own id (`anchor`), not their place in the file:
    new entries arrive at the top, and a read mark must stay with its entry."""
    if anchor:
        key = f"{relpath}#{anchor}"
    else:
        key = relpath if position == 0 else f"{relpath}#{position}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class EntitySpan:
    start: int
    end: int
    label: str  # spaCy's label: PERSON, ORG, GPE, LOC, FAC, NORP, EVENT
    key: str  # canonical id, kind-prefixed: "person:qasem soleimani"
    name: str  # display name

    @property
    def kind(self) -> str:
        return KIND_OF_LABEL[self.label]

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "label": self.label, "key": self.key, "name": self.name}


@dataclass(frozen=True)
class Article:
    id: str
    path: str  # relative to the corpus folder, with forward slashes
    title: str
    text: str
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    dateline: str | None = None  # the place a wire story was filed from ("SAN FRANCISCO")
    date_from: str | None = None  # where an inferred date came from ("file name", "text"); None: the metadata
    position: int = 0  # which record of a multi-article file
    entities: tuple = field(default=(), compare=False)

    def date_label(self) -> str | None:
        """The date as shown to a reader, saying where an inferred one came from."""
        if self.date is None:
            return None
        return self.date.isoformat() + (f" (from the {self.date_from})" if self.date_from else "")

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_from": self.date_from,
            "authors": list(self.authors),
            "source": self.source,
            "url": self.url,
            "dateline": self.dateline,
            "path": self.path,
            "text": self.text,
            "entities": [span.to_json() for span in self.entities],
        }
