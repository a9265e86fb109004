"""How many articles each text-repair rule changes, per corpus (issue 17).

    python -m benchmarks.textrepair_bench

Every file of the seeds, the BBC folder and Reuters-21578 (as the JSONL the other benchmarks
use) is read as `dossier index` reads it; each rule of index/textrepair.py is applied in turn
to each article's title and body, and an article counts for a rule when that rule changed
it; "reflowed" counts the articles whose reading view joins hard-wrapped lines. A few examples per rule are printed, so a rule firing on the wrong articles shows.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from index import formats, textrepair
from index.reflow import reflow
from index.walk import walk

from .corpora import OUT, bbc_folder, reuters_jsonl

REPO = Path(__file__).resolve().parent.parent


def measure(folder: Path) -> tuple[int, Counter, dict]:
    changed: Counter = Counter()
    examples: dict[str, list] = defaultdict(list)
    seen: list[str] = []

    def recording(text: str) -> str:
        for name, applies, rule in textrepair.RULES:
            if text and applies(text):
                after = rule(text)
                if after != text:
                    seen.append(name)
                    if len(examples[name]) < 4:
                        examples[name].append(_difference(text, after))
                text = after
        return text

    datelines: list = []

    def dateline_recording(text: str):
        found = original_dateline(text)
        if found is not None:
            datelines.append(found)
            if len(examples["datelines"]) < 4:
                examples["datelines"].append((text[:found.length + 30], f"{found.place} / {found.source}"))
        return found

    def encoding_recording(text: str) -> str:
        after = original_encoding(text)
        if after != text:
            seen.append("mis-decoded text (ftfy)")
        return after

    original, original_dateline, original_encoding = formats.repair, formats.find_dateline, formats.repair_encoding
    formats.repair, formats.find_dateline, formats.repair_encoding = recording, dateline_recording, encoding_recording
    articles = reflowed = inferred = 0
    try:
        for found in walk(folder)[0]:
            try:
                read, _ = formats.read_articles(Path(found.abspath).read_bytes(), found.relpath)
            except formats.Unreadable:
                continue
            articles += len(read)
            reflowed += sum(reflow(a.text) != a.text for a in read)
            inferred += sum(a.date_from is not None for a in read)
            del read
            changed.update(set(seen))  # per file; the corpora here have one article per file or
            seen.clear()               # rules too rare to count twice in one file
    finally:
        formats.repair, formats.find_dateline, formats.repair_encoding = original, original_dateline, original_encoding
    changed["datelines"] = len(datelines)
    changed["reflowed in the reading view"] = reflowed
    changed["dates inferred"] = inferred
    return articles, changed, examples


def reuters_datelines() -> tuple[int, int, list[str]]:
    """Reuters-21578 keeps each story's dateline in its own tag; written before the body, as
    the wire sent it, how many does find_dateline take whole (and the story after it)?"""
    import html

    from index.dateline import find_dateline

    from .corpora import CORPORA, _RECORD, _tag

    total, found, missed = 0, 0, []
    for sgm in sorted((CORPORA / "reuters-21578").glob("reut2-*.sgm")):
        for m in _RECORD.finditer(sgm.read_text(encoding="latin-1")):
            dateline, body = _tag(m.group(2), "DATELINE"), _tag(m.group(2), "BODY")
            if not dateline or not body:
                continue
            total += 1
            dateline, body = html.unescape(dateline).strip(), html.unescape(body).strip()
            hit = find_dateline(f"{dateline} {body}")
            if hit and hit.place and f"{dateline} {body}"[hit.length:] == body:
                found += 1
            elif len(missed) < 6:
                missed.append(dateline)
    return total, found, missed


def _difference(before: str, after: str) -> tuple[str, str]:
    start = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
    lo = max(start - 30, 0)
    return before[lo:start + 50], after[lo:start + 50]


def main() -> None:
    results = {}
    for label, folder in (("seeds", REPO / "seeds"), ("bbc", bbc_folder()), ("reuters", reuters_jsonl(1))):
        articles, changed, examples = measure(folder)
        results[label] = {"articles": articles, "changed": dict(changed)}
        print(f"{label}: {articles:,} articles; changed by " +
              (", ".join(f"{name} {n:,}" for name, n in changed.items()) or "no rule"))
        for name, pairs in examples.items():
            for before, after in pairs:
                print(f"  {name}: {before!r}\n  {' ' * len(name)}  -> {after!r}")
    total, found, missed = reuters_datelines()
    results["reuters_archive_datelines"] = {"stories": total, "found": found, "missed_examples": missed}
    print(f"Reuters-21578 datelines as the archive writes them: {found:,} of {total:,} taken whole; "
          f"missed e.g. {missed}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "textrepair.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
