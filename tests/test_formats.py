"""Each file format and encoding a corpus may hold."""

import codecs
import datetime as dt
import json

import pytest

from index.formats import Unreadable, read_articles

ARTICLE = "Headline about Tehran\n\nBy Jane Doe\n\nMarch 3, 2021\n\nThe body of the story mentions Tehran.\n"


def one(data: bytes, name: str = "a.txt"):
    articles, _ = read_articles(data, name)
    assert len(articles) == 1
    return articles[0]


def test_plain_text_header():
    a = one(ARTICLE.encode())
    assert a.title == "Headline about Tehran"
    assert a.authors == ("Jane Doe",)
    assert a.date == dt.date(2021, 3, 3)
    assert a.text == "The body of the story mentions Tehran."


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
        ARTICLE.encode("utf-16-le"),
        ARTICLE.encode("utf-16-be"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be"],
)
def test_unicode_encodings(encoded):
    a = one(encoded)
    assert a.title == "Headline about Tehran"
    assert "\ufeff" not in a.title + a.text


def test_cp1252_fallback_keeps_pound_sign_and_quotes():
    text = "Prices rise\n\nIt cost \u00a3300 and they said \u201cno\u201d.\n"
    a = one(text.encode("cp1252"))
    assert "\u00a3300" in a.text and "\u201cno\u201d" in a.text


def test_latin1_bytes_that_cp1252_cannot_decode():
    a = one(b"Caf\xe9 news\n\nA byte \x81 here and caf\xe9 there.\n")
    assert "caf\u00e9 there" in a.text


def test_markdown_front_matter():
    md = ("---\ntitle: Front matter title\ndate: 2019-05-04\nauthor: A. Writer\n"
          "source: The Paper\nurl: https://example.com/x\n---\n# Front matter title\n\nBody [link text](https://x.y) here.\n")
    a = one(md.encode(), "story.md")
    assert a.title == "Front matter title"
    assert a.date == dt.date(2019, 5, 4)
    assert a.authors == ("A. Writer",)
    assert a.source == "The Paper"
    assert a.url == "https://example.com/x"
    assert a.text == "Body link text here."


@pytest.mark.parametrize("body", [
    "Investigators found the convoy in Kunduz.",  # one sentence: it looked like a headline
    "Kunduz convoy found",
    "By the river in Kunduz, a convoy was found.",
])
def test_a_short_body_under_front_matter_is_kept(body):
    """The front matter names the title, so the one line below it is the article's text,
    not a second headline to drop (its words could not be found)."""
    a = one(f"---\ntitle: Kunduz inquiry\ndate: 2021-05-03\n---\n{body}\n".encode(), "short.md")
    assert a.title == "Kunduz inquiry" and a.text == body


def test_front_matter_title_repeated_as_a_heading_is_not_text_twice():
    a = one(b"---\ntitle: Kunduz inquiry\n---\n# Kunduz Inquiry\n\nThe convoy was found.\n", "short.md")
    assert a.title == "Kunduz inquiry" and a.text == "The convoy was found."


@pytest.mark.parametrize("data", [
    b"Kunduz convoy\n\nThe convoy\x00 was found\x00 near Kunduz.\x00\n",  # 3 NULs in 50 bytes
    b"Title\x00\n\nA body\x00 about\x00 Herat\x00 and\x00 more.",
    b"\x00\x00Short story\n\nText about Mazar.",
])
def test_a_short_text_with_stray_nul_bytes_is_read_without_them(data):
    """A few NULs in a short file are over the share a long one may have: the file was
    skipped as binary. Its words are text; the NULs go."""
    a = one(data, "nul.txt")
    assert "\x00" not in a.title + a.text and any(w in a.text for w in ("Kunduz", "Herat", "Mazar"))


def test_json_object_and_list_with_usual_field_names():
    obj = {"headline": "One", "content": "Text one", "published": "2020-02-03T10:00:00Z",
           "authors": ["A", "B"], "publication": "Wire", "link": "http://l"}
    a = one(json.dumps(obj).encode(), "x.json")
    assert (a.title, a.text, a.date, a.authors, a.source, a.url) == (
        "One", "Text one", dt.date(2020, 2, 3), ("A", "B"), "Wire", "http://l")
    listed, _ = read_articles(json.dumps([obj, {"title": "Two", "body": "Text two"}]).encode(), "x.json")
    assert [x.title for x in listed] == ["One", "Two"]
    assert len({x.id for x in listed}) == 2


def test_json_wrapper_object():
    data = {"articles": [{"title": "Wrapped", "text": "Inside"}]}
    assert one(json.dumps(data).encode(), "w.json").title == "Wrapped"


def test_jsonl_with_a_bad_line_indexes_the_rest_and_warns():
    lines = [json.dumps({"title": "L1", "text": "first"}), "{not json", json.dumps({"title": "L3", "text": "third"})]
    articles, warnings = read_articles("\n".join(lines).encode(), "x.jsonl")
    assert [a.title for a in articles] == ["L1", "L3"]
    assert warnings == ["line 2: invalid JSON (Expecting property name enclosed in double quotes)"]


def test_one_deeply_nested_jsonl_line_costs_that_line_only():
    good = json.dumps({"title": "Kept", "text": "A story about Kandahar."})
    data = f"{good}\n{'[' * 100_000}{']' * 100_000}\n{good.replace('Kept', 'Also kept')}\n".encode()
    articles, warnings = read_articles(data, "feed.jsonl")
    assert [a.title for a in articles] == ["Kept", "Also kept"]
    assert warnings == ["line 2: JSON nested too deeply"]


def test_json_without_title_finds_one_in_text():
    a = one(json.dumps({"text": "A headline\n\nAnd the body."}).encode(), "t.json")
    assert a.title == "A headline" and a.text == "And the body."


@pytest.mark.parametrize(
    "data,name,reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "img.txt", "binary file (a PNG image)"),
        (b"abc\x00\x00\x00\x01\x02\x00\x00" * 20, "blob.txt", "binary file (NUL bytes)"),
        (bytes(range(256)) * 8, "bytes.md", "binary file (control bytes)"),
        (b"", "empty.txt", "empty file"),
        (b"  \n\t \n", "blank.txt", "empty file"),
        (b"{broken", "bad.json", "invalid JSON (line 1, column 2: Expecting property name enclosed in double quotes)"),
        (b"[1, 2]", "nums.json", "no articles in the file (item 1: not an object, ...)"),
        (b"x", "a.pdf", "unsupported file type .pdf"),
    ],
)
def test_unreadable_files_have_reasons(data, name, reason):
    with pytest.raises(Unreadable) as err:
        read_articles(data, name)
    assert str(err.value) == reason


def test_escape_sequences_never_reach_stored_text():
    raw = "Title \x1b]0;pwned\x07here\n\nBody \x1b[2J\x1b[31mred\x1b[0m \x9b31m and \x1b]52;c;Zm9v\x07 end\x00.\n"
    a = one(raw.encode())
    assert a.title == "Title here"
    assert a.text == "Body red  and  end."
