"""A fixed mix of 200 queries, each in dossier's syntax and SQLite FTS5's.

Eight kinds, 25 each: terms, AND, OR, phrases, title fields, dates, prefixes, fuzzy.
FTS5 has no fuzzy search; its reference for a fuzzy query is the correctly spelled word.
"""

from __future__ import annotations

from dataclasses import dataclass

WORDS = ["oil", "bank", "trade", "market", "prices", "government", "company", "shares", "profit",
         "economy", "growth", "tax", "minister", "election", "court", "dollar", "export", "deal",
         "strike", "talks", "sales", "debt", "budget", "union", "film"]
SECOND = ["china", "japan", "germany", "britain", "france", "president", "inflation", "crude",
          "wheat", "gold", "coffee", "sugar", "steel", "airline", "merger", "loss", "dividend",
          "stake", "music", "mobile", "internet", "football", "rates", "workers", "record"]
PHRASES = ["oil prices", "interest rates", "central bank", "trade deficit", "stock exchange",
           "prime minister", "chief executive", "net profit", "mobile phone", "per cent",
           "world cup", "united states", "trade surplus", "exchange rate", "crude oil",
           "share price", "annual report", "general election", "record label", "video games",
           "money supply", "finance minister", "west german", "third quarter", "first half"]
PREFIXES = ["export", "acqui", "govern", "elect", "inflat", "produc", "comput", "champion",
            "negotiat", "invest", "manufact", "agricult", "petrol", "telecom", "financ",
            "industr", "consum", "shareholder", "currenc", "recess", "pharma", "broadcast",
            "minist", "econom", "subsid"]
FUZZY = [("goverment", "government"), ("inflaton", "inflation"), ("ecconomy", "economy"),
         ("markte", "market"), ("profitt", "profit"), ("minster", "minister"),
         ("eletion", "election"), ("dolar", "dollar"), ("exprt", "export"), ("budgt", "budget"),
         ("compnay", "company"), ("shars", "shares"), ("bnak", "bank"), ("trde", "trade"),
         ("prics", "prices"), ("growht", "growth"), ("curt", "court"), ("stirke", "strike"),
         ("tlaks", "talks"), ("slaes", "sales"), ("dbet", "debt"), ("unoin", "union"),
         ("flim", "film"), ("wheta", "wheat"), ("cofee", "coffee")]
MONTHS = ["1987-02", "1987-03", "1987-04", "1987-05", "1987-06", "1987-07", "1987-08",
          "1987-09", "1987-10", "2004", "2005", "1987"]


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    dossier: str
    fts: str  # FTS5 MATCH expression
    date_from: str | None = None  # inclusive ISO bounds for the FTS5 WHERE clause
    date_to: str | None = None


def _date_bounds(value: str) -> tuple[str, str]:
    if len(value) == 4:
        return f"{value}-01-01", f"{value}-12-31"
    return f"{value}-01", f"{value}-31"


def query_mix() -> list[BenchQuery]:
    mix: list[BenchQuery] = []
    for w in WORDS:
        mix.append(BenchQuery("term", w, w))
    for a, b in zip(WORDS, SECOND):
        mix.append(BenchQuery("and", f"{a} {b}", f"{a} AND {b}"))
    for a, b in zip(SECOND, WORDS):
        mix.append(BenchQuery("or", f"{a} OR {b}", f"{a} OR {b}"))
    for p in PHRASES:
        mix.append(BenchQuery("phrase", f'"{p}"', f'"{p}"'))
    for w in WORDS:
        mix.append(BenchQuery("field", f"title:{w}", f"title:{w}"))
    for i, w in enumerate(WORDS):
        month = MONTHS[i % len(MONTHS)]
        lo, hi = _date_bounds(month)
        mix.append(BenchQuery("date", f"{w} date:{month}", w, lo, hi))
    for p in PREFIXES:
        mix.append(BenchQuery("prefix", f"{p}*", f"{p}*"))
    for wrong, right in FUZZY:
        mix.append(BenchQuery("fuzzy", f"{wrong}~", right))
    return mix
