"""Wire datelines and credits: metadata, not the story's first words.

"SAN FRANCISCO (Reuters) - Apple said ...", "LONDON (AP) -- ...", "WASHINGTON, March 3
(Reuters) - ...", "Canadian Press - VANCOUVER (CP) - ...", "Reuters - Short-sellers ...",
"NEW YORK, Feb 26 - ..." (Reuters' archive):
the place and the agency go to the article's dateline and source, and the text starts
where the story does, so the snippet, the reading view's first line and the entities
(the dateline's place is not something the story mentions) are the story's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The agencies whose credit opens a story; a credit that is not one of them is not taken
# ("Officials (pictured) - ..." is a sentence).
AGENCIES = (
    "Reuters", "Reuter", "AP", "Associated Press", "AFP", "Agence France-Presse", "UPI", "CP",
    "Canadian Press", "The Canadian Press", "Bloomberg", "dpa", "DPA", "Xinhua", "PA", "Press Association",
    "IANS", "PTI", "ANSA", "Kyodo", "Yonhap", "TASS", "Itar-Tass", "RIA Novosti", "EFE", "Anadolu", "Sapa",
    "AAP", "NNA", "KUNA", "WAM", "SPA", "IRNA", "APA", "BNA", "MENA", "CNA", "Interfax", "Prensa Latina",
)
_AGENCY = "|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True))
_DASH = r"\s+(?:-{1,2}|\u2013|\u2014)\s+"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
# A place: one to five capitalised words ("SAN FRANCISCO", "Kuala Lumpur", "ST. PAUL, Minn."),
# then perhaps a date ("WASHINGTON, March 3").
_PLACE = r"[A-Z][\w.'\u2019\-]*(?:(?:\s+|,\s*)[A-Z][\w.'\u2019\-]*){0,5}"
_WITH_AGENCY = re.compile(rf"\s*(?P<place>{_PLACE})?(?:,?\s+{_MONTH})?\s*\((?P<agency>{_AGENCY})\){_DASH}")
# Reuters' archive form, without the agency: "NEW YORK, Feb 26 - ", "PORTLAND, Ore., Feb 26 - "
# (the place in capitals, perhaps its state).
_WITH_DATE = re.compile(rf"\s*(?P<place>[A-Z][A-Z.'\u2019\-]*(?:\s+[A-Z][A-Z.'\u2019\-]*){{0,4}}"
                        rf"(?:,\s+[A-Z][A-Za-z.]{{1,8}})?),\s+{_MONTH}{_DASH}")
_CREDIT = re.compile(rf"\s*(?P<agency>{_AGENCY}){_DASH}")
MAX_DATELINE = 80  # characters: a longer opening is a sentence, not a dateline


@dataclass(frozen=True)
class Dateline:
    place: str | None
    source: str | None
    length: int  # characters of the text it takes, the dash and spaces after it included


def find_dateline(text: str) -> Dateline | None:
    """The dateline and credit at the start of `text`, or None."""
    credit = _CREDIT.match(text)
    start = credit.end() if credit else 0
    line = _WITH_AGENCY.match(text, start) if start else _WITH_AGENCY.match(text)
    if line and line.end() - start <= MAX_DATELINE and "\n" not in text[start:line.end()]:
        place = (line.group("place") or "").strip(" ,") or None
        source = credit.group("agency") if credit else line.group("agency")
        return Dateline(place, _agency_name(source), line.end())
    if credit and text[credit.end():credit.end() + 1].strip():
        return Dateline(None, _agency_name(credit.group("agency")), credit.end())
    if (dated := _WITH_DATE.match(text)) and dated.end() <= MAX_DATELINE and "\n" not in dated.group(0).strip():
        return Dateline(dated.group("place"), None, dated.end())
    return None


def _agency_name(agency: str) -> str:
    return {"Reuter": "Reuters", "The Canadian Press": "Canadian Press"}.get(agency, agency)
