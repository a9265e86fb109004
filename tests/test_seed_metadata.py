"""The metadata a reader sees for each bundled seed article (issue 2's expectations)."""

import datetime as dt

import pytest

from index.formats import read_articles

from .conftest import SEEDS


def seed(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    articles, warnings = read_articles(path.read_bytes(), path.name)
    assert len(articles) == 1 and not warnings
    return articles[0]


def test_002_title_and_date():
    a = seed("002")
    assert a.title == "Iran initiates missile launch against ISIS"
    assert a.date == dt.date(2014, 12, 11)
    assert a.text.startswith("Iran is joining in America")
    assert "December 11th" not in a.text


def test_001_title_author_source_date():
    a = seed("001")
    assert a.title == ("Dangerous Development: Iranian Missile Launch into Syria Against ISIS "
                       "Puts US in Precarious Position")
    assert a.authors == ("Patrick Henningsen",)
    assert a.source == "Global Research"
    assert a.date == dt.date(2017, 6, 21)


def test_001_body_has_no_site_furniture():
    text = seed("001").text
    assert text.startswith("Yesterday, Iran's Revolutionary Guard announced")
    for furniture in ("Region:", "Theme:", "In-depth Report", "Become a Member", "Disclaimer",
                      "Copyright", "For media inquiries", "Articles by:", "contains copyrighted material",
                      "](#)", "[Sepahnews"):
        assert furniture not in text, furniture
    # Markdown link text stays as plain words; the author's bio is article text.
    assert "news agency for the Iranian Revolutionary Guard Corps, Sepahnews," in text
    assert text.rstrip().endswith("Alternate Current Radio Network (ACR).")


def test_003_title_and_no_date():
    a = seed("003")
    assert a.title == "Mutual bombing between US forces and Iranian militias in Syria"
    assert a.date is None
    assert "Please enter your comment" not in a.text
    assert "Please enter your name" not in a.text
    assert a.text.startswith("WASHINGTON/Damascus")


def test_004_date_source_title():
    a = seed("004")
    assert a.date == dt.date(2020, 1, 8)
    assert a.source == "Rolling Stone"
    assert a.title in ("Iran Missiles Strike U.S. Targets in Iraq", "Iranians Strike At U.S. Targets in Iraq")
    assert "Home Politics Politics News" not in a.text
    assert not a.text.startswith("date ")


def test_000_title_from_opening_sentence_and_no_date():
    a = seed("000")
    assert a.date is None
    assert a.title.startswith("For the first time in almost 30 years, Iran launched a missile strike")
    assert len(a.title) <= 120
    assert a.text.startswith("For the first time")  # the sentence stays in the body


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_ids_are_stable(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    first = read_articles(path.read_bytes(), path.name)[0][0].id
    again = read_articles(path.read_bytes(), path.name)[0][0].id
    assert first == again and len(first) == 16
