"""Checks on the shipped actor dictionaries: countries.csv, actors.yaml, agents.yaml.

These tests fail on bad data (an invalid country code, a duplicate id, an alias that points at two
actors, a dangling affiliation, a centroid off the globe ...), so a broken edit to a data file is
caught before it poisons coded events. Conventions are documented in src/factions/data/README.md.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pycountry
import pytest

from factions.data import load_csv, load_yaml

PLOVER_SECTORS = {
    "GOV", "JUD", "LEG", "MIL", "COP", "OPP", "PTY", "REB", "PRM", "SPY", "UAF", "CVL", "ELI", "BUS",
    "EDU", "MED", "LAB", "AGR", "JRN", "REF", "REL", "SOC", "CRM",
}
NON_STATE_CODES = {"IGO", "NGO", "IMG", "MNC"}
EXTRA_ISO3 = {"XKX"}  # Kosovo: user-assigned code, not in ISO 3166-1 / pycountry
ACTOR_KINDS = {"person", "state", "armed_group", "party", "movement", "organization", "igo", "ngo",
               "media", "business", "government_body"}
AGENT_KINDS = {"state", "person", "military", "police", "armed_group", "party", "movement",
               "organization", "group", "media", "igo", "ngo", "business"}
ACTOR_KEYS = {"id", "name", "kind", "country", "sector", "aliases", "roles", "affiliation"}
COUNTRY_HEADER = ["iso3", "name", "aliases", "adjectives", "capital", "capital_aliases", "lat", "lon"]

#: Surface forms deliberately shared by more than one actor/country (normalised form -> owners).
#: Each entry needs a reason in README.md ("Shared surface forms"). Empty today: every ambiguous
#: form was given to one owner or to none (e.g. "Korean", "Virgin Islander", "PTI", "SNA", "AA"...).
ALLOWED_SHARED: dict[str, set[str]] = {}

#: Single-word person aliases that are genuine mononyms, nicknames or noms de guerre (not surnames).
MONONYMS = {
    "akd", "amlo", "apo", "atiku", "bibi", "farmaajo", "farmajo", "fito", "hemedti", "hemeti", "ibk",
    "jokowi", "jolani", "al-jolani", "al-jawlani", "lula", "mbn", "mbs", "mbz", "megawati", "naruhito",
    "otoniel", "prabowo", "prachanda", "saddam", "sby", "strelkov", "tedros", "timochenko",
}

#: Ordinary English words/phrases that the resolver would match in any case (names of 5+ chars are
#: matched case-insensitively), so they must never be a name or alias. A regression list of forms
#: that were removed on purpose.
FORBIDDEN_FORMS = {
    "shell", "amnesty", "memorial", "number 10", "no 10", "national front", "blue and white",
    "historic pact", "the guardian", "border patrol", "secret service", "self-defense forces",
    "home office", "law and justice", "peace now", "breaking the silence", "stanley", "plymouth",
    "crisis group", "european solidarity", "religious zionism", "national unity government",
    "government of national unity", "national intelligence service", "national defence forces",
    "labour", "labor", "barbecue", "alphabet", "facebook", "starlink", "popular force", "car",
    "border police", "azov", "congress", "korea", "korean", "the ukraine", "cctv", "resistance",
}


def norm(text: str) -> str:
    """The resolver's matching key: lower case, straight quotes, plain hyphens, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.lower().split())


def split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


@pytest.fixture(scope="module")
def countries() -> tuple[dict[str, str], ...]:
    return load_csv("countries.csv")


@pytest.fixture(scope="module")
def actors() -> list[dict]:
    return load_yaml("actors.yaml")


@pytest.fixture(scope="module")
def agents() -> dict[str, dict]:
    return load_yaml("agents.yaml")


VALID_ISO3 = {c.alpha_3 for c in pycountry.countries} | EXTRA_ISO3


# -- countries.csv -----------------------------------------------------------------------------------
def test_countries_header_and_loader(countries):
    from factions.data import _path
    with _path("countries.csv").open(encoding="utf-8") as fh:
        assert fh.readline().strip().split(",") == COUNTRY_HEADER
    assert len(countries) >= 249


def test_countries_cover_iso_exactly(countries):
    codes = [r["iso3"] for r in countries]
    assert len(codes) == len(set(codes)), "duplicate iso3 rows"
    assert set(codes) <= VALID_ISO3, f"invalid iso3: {sorted(set(codes) - VALID_ISO3)}"
    missing = {c.alpha_3 for c in pycountry.countries} - set(codes)
    assert not missing, f"pycountry countries without a row: {sorted(missing)}"
    assert {"XKX", "PSE", "TWN"} <= set(codes)


def test_country_rows_are_well_formed(countries):
    for r in countries:
        iso = r["iso3"]
        assert r["name"].strip() == r["name"] and r["name"], iso
        assert "," not in r["name"] or iso in {"BES", "SHN"}, f"{iso}: inverted pycountry name {r['name']!r}"
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, iso
        adjectives = split(r["adjectives"])
        assert adjectives, f"{iso} has no adjective/demonym"
        for col in ("aliases", "adjectives", "capital_aliases"):
            raw = r[col] or ""
            assert ";;" not in raw and not raw.startswith(";") and not raw.endswith(";"), (iso, col)
            items = [norm(x) for x in split(raw)]
            assert len(items) == len(set(items)), f"{iso} {col} has duplicates"
        assert r["capital"] == r["capital"].strip(), iso
        if r["capital_aliases"]:
            assert r["capital"], f"{iso}: capital aliases without a capital"


def test_common_news_names(countries):
    by_iso = {r["iso3"]: r for r in countries}
    expect = {"USA": "United States", "RUS": "Russia", "IRN": "Iran", "SYR": "Syria",
              "KOR": "South Korea", "PRK": "North Korea", "COD": "Democratic Republic of the Congo",
              "CIV": "Ivory Coast", "GBR": "United Kingdom", "TWN": "Taiwan", "PSE": "Palestine",
              "XKX": "Kosovo", "VNM": "Vietnam", "TUR": "Turkey"}
    for iso, name in expect.items():
        assert by_iso[iso]["name"] == name
    assert {"US", "U.S.", "America"} <= set(split(by_iso["USA"]["aliases"]))
    assert {"American", "Americans"} <= set(split(by_iso["USA"]["adjectives"]))
    assert {"British", "Britons"} <= set(split(by_iso["GBR"]["adjectives"]))
    assert "Kiev" in split(by_iso["UKR"]["capital_aliases"]) and by_iso["UKR"]["capital"] == "Kyiv"
    assert by_iso["IRN"]["capital"] == "Tehran"
    # the documented ambiguity decisions
    assert "Congolese" in split(by_iso["COD"]["adjectives"])
    assert "Congolese" not in split(by_iso["COG"]["adjectives"])
    assert "Congo" in split(by_iso["COD"]["aliases"]) and "Congo" not in split(by_iso["COG"]["aliases"])
    for iso in ("KOR", "PRK"):
        assert "Korean" not in split(by_iso[iso]["adjectives"])
    assert "Sudanese" in split(by_iso["SDN"]["adjectives"])
    assert split(by_iso["SSD"]["adjectives"]) == ["South Sudanese"]


def test_centroids_are_plausible(countries):
    by_iso = {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in countries}
    # (lat, lon) boxes that the centroid must fall in, for countries where a sign slip is easy
    boxes = {"USA": (25, 50, -125, -65), "BRA": (-34, 5, -74, -34), "AUS": (-44, -10, 112, 154),
             "RUS": (41, 82, 27, 180), "CHN": (18, 54, 73, 135), "IRN": (25, 40, 44, 64),
             "ZAF": (-35, -22, 16, 33), "ARG": (-55, -21, -74, -53), "IDN": (-11, 6, 95, 141),
             "NZL": (-47, -34, 166, 179), "CAN": (42, 84, -141, -52), "ISL": (63, 67, -25, -13)}
    for iso, (lat0, lat1, lon0, lon1) in boxes.items():
        lat, lon = by_iso[iso]
        assert lat0 <= lat <= lat1 and lon0 <= lon <= lon1, (iso, lat, lon)


# -- actors.yaml -------------------------------------------------------------------------------------
def test_actor_entries_have_valid_fields(actors):
    assert isinstance(actors, list) and len(actors) >= 600
    for e in actors:
        assert set(e) == ACTOR_KEYS, f"{e.get('id')}: keys {sorted(set(e) ^ ACTOR_KEYS)}"
        assert re.fullmatch(r"[a-z][a-z0-9_]*", e["id"]), e["id"]
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"] and e["name"], e["id"]
        assert e["kind"] in ACTOR_KINDS, (e["id"], e["kind"])
        assert e["country"] in VALID_ISO3 | NON_STATE_CODES, (e["id"], e["country"])
        assert e["sector"] in PLOVER_SECTORS, (e["id"], e["sector"])
        assert isinstance(e["aliases"], list) and all(isinstance(a, str) and a.strip() == a and a for a in e["aliases"]), e["id"]
        assert isinstance(e["roles"], list) and all(isinstance(r, str) and r == r.lower() for r in e["roles"]), e["id"]
        if e["kind"] == "person":
            assert e["roles"], f"{e['id']}: a person needs roles"
        else:
            assert not e["roles"], f"{e['id']}: roles are for persons only"
        assert e["affiliation"] is None or isinstance(e["affiliation"], str), e["id"]


def test_actor_ids_unique_and_distinct_from_iso(actors):
    ids = [e["id"] for e in actors]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate ids: {sorted(dupes)}"
    # the resolver keys countries by upper-case ISO3 and actors by id in one table
    assert not {i.upper() for i in ids if len(i) == 3} & VALID_ISO3


def test_affiliations_resolve_without_cycles(actors):
    ids = {e["id"]: e for e in actors}
    for e in actors:
        a = e["affiliation"]
        if a is None:
            continue
        assert a != e["id"], f"{e['id']} is affiliated with itself"
        assert a in ids or a in VALID_ISO3, f"{e['id']}: affiliation {a!r} is neither an id nor an ISO3"
    for e in actors:
        seen, cur = set(), e["id"]
        while cur in ids and ids[cur]["affiliation"] in ids:
            assert cur not in seen, f"affiliation cycle through {cur}"
            seen.add(cur)
            cur = ids[cur]["affiliation"]


def test_no_alias_points_at_two_owners(actors, countries):
    owners: dict[str, set[str]] = defaultdict(set)
    for r in countries:
        forms = [r["name"], r["capital"], *split(r["aliases"]), *split(r["adjectives"]), *split(r["capital_aliases"])]
        for f in forms:
            if f:
                owners[norm(f)].add(f"country:{r['iso3']}")
    for e in actors:
        for f in [e["name"], *e["aliases"]]:
            owners[norm(f)].add(e["id"])
    clashes = {k: v for k, v in owners.items() if len(v) > 1 and ALLOWED_SHARED.get(k) != v}
    assert not clashes, "surface forms with two owners (add to ALLOWED_SHARED + README only if intended): " + \
        "; ".join(f"{k!r}: {sorted(v)}" for k, v in sorted(clashes.items()))


def test_aliases_are_not_duplicates_or_bare_surnames(actors):
    for e in actors:
        keys = [norm(a) for a in e["aliases"]]
        assert len(keys) == len(set(keys)), f"{e['id']}: duplicate aliases"
        assert norm(e["name"]) not in keys, f"{e['id']}: alias repeats the name"
        if e["kind"] != "person":
            continue
        surname = norm(e["name"].split()[-1])
        for a in e["aliases"]:
            k = norm(a)
            assert k != surname, f"{e['id']}: bare surname alias {a!r}"
            if " " not in k:
                assert k in MONONYMS, f"{e['id']}: one-word alias {a!r} is not a listed mononym"


def test_no_ordinary_words_as_names(actors, countries):
    forms = {norm(f) for e in actors for f in [e["name"], *e["aliases"]]}
    for r in countries:
        forms |= {norm(f) for f in [r["name"], r["capital"], *split(r["aliases"]), *split(r["capital_aliases"])] if f}
    bad = forms & FORBIDDEN_FORMS
    assert not bad, f"ordinary words used as names: {sorted(bad)}"
    assert not [f for f in forms if f.startswith("the ") and len(f.split()) == 2 and f != "the gambia"
                and f not in {"the bahamas", "the netherlands", "the philippines", "the kremlin",
                              "the pentagon"}], "two-word 'the X' forms add nothing"


def test_actor_roles_are_known_agent_nouns(actors, agents):
    for e in actors:
        for r in e["roles"]:
            head = r.split(" of ")[0].split()[-1] if " of " in r else r.split()[-1]
            assert r in agents or head in agents, f"{e['id']}: role {r!r} has no agent noun"


def test_key_actors_are_coded_right(actors):
    """Spot checks of the codes downstream analyses depend on most."""
    by_id = {e["id"]: e for e in actors}
    expect = {
        "qassem_soleimani": ("IRN", "MIL", "quds_force"), "quds_force": ("IRN", "MIL", "irgc"),
        "irgc": ("IRN", "MIL", "IRN"), "ali_khamenei": ("IRN", "GOV", "IRN"),
        "hezbollah": ("LBN", "REB", None), "hamas": ("PSE", "REB", None), "houthis": ("YEM", "REB", None),
        "islamic_state": ("IMG", "REB", None), "al_qaeda": ("IMG", "REB", None),
        "al_shabaab": ("SOM", "REB", "al_qaeda"), "iswap": ("NGA", "REB", "islamic_state"),
        "taliban": ("AFG", "REB", None), "ttp": ("PAK", "REB", None), "pkk": ("TUR", "REB", None),
        "wagner": ("RUS", "PRM", "RUS"), "rsf": ("SDN", "REB", None), "saf": ("SDN", "MIL", "SDN"),
        "m23": ("COD", "REB", "afc"), "sinaloa_cartel": ("MEX", "CRM", None), "kataib_hezbollah": ("IRQ", "REB", "pmf"),
        "pmf": ("IRQ", "PRM", "IRQ"), "pentagon": ("USA", "MIL", "USA"), "kremlin": ("RUS", "GOV", "RUS"),
        "idf": ("ISR", "MIL", "ISR"), "fsb": ("RUS", "SPY", "RUS"), "cia": ("USA", "SPY", "USA"),
        "muqtada_al_sadr": ("IRQ", "OPP", "sadrist_movement"), "abu_mahdi_al_muhandis": ("IRQ", "PRM", "pmf"),
        "un": ("IGO", "GOV", None), "amnesty": ("NGO", "SOC", None), "reuters": ("GBR", "JRN", None),
        "vladimir_putin": ("RUS", "GOV", "RUS"), "volodymyr_zelensky": ("UKR", "GOV", "servant_of_the_people"),
    }
    for aid, (country, sector, aff) in expect.items():
        e = by_id[aid]
        assert (e["country"], e["sector"], e["affiliation"]) == (country, sector, aff), aid
    assert "Quds Force" == by_id["quds_force"]["name"] and "al-Quds Forces" in by_id["quds_force"]["aliases"]
    assert "Lula" in by_id["lula"]["aliases"] and "Hemedti" in by_id["hemedti"]["aliases"]


def test_dictionary_is_balanced_across_regions(actors):
    middle_east = {"IRN", "IRQ", "SYR", "LBN", "ISR", "PSE", "JOR", "SAU", "YEM", "ARE", "QAT", "BHR",
                   "KWT", "OMN", "TUR", "EGY"}
    africa = {"DZA", "AGO", "BEN", "BWA", "BFA", "BDI", "CMR", "CPV", "CAF", "TCD", "COM", "COD", "COG",
              "CIV", "DJI", "GNQ", "ERI", "SWZ", "ETH", "GAB", "GMB", "GHA", "GIN", "GNB", "KEN", "LSO",
              "LBR", "LBY", "MDG", "MWI", "MLI", "MRT", "MUS", "MAR", "MOZ", "NAM", "NER", "NGA", "RWA",
              "STP", "SEN", "SYC", "SLE", "SOM", "ZAF", "SSD", "SDN", "TZA", "TGO", "TUN", "UGA", "ZMB",
              "ZWE", "ESH"}
    latin_america = {"MEX", "GTM", "BLZ", "HND", "SLV", "NIC", "CRI", "PAN", "CUB", "HTI", "DOM", "COL",
                     "VEN", "ECU", "PER", "BOL", "BRA", "PRY", "URY", "ARG", "CHL", "GUY", "SUR"}
    europe_russia = {"RUS", "UKR", "BLR", "GBR", "FRA", "DEU", "ITA", "ESP", "POL", "HUN", "NLD", "BEL",
                     "AUT", "CHE", "SWE", "NOR", "DNK", "FIN", "GRC", "PRT", "IRL", "CZE", "SVK", "ROU",
                     "BGR", "SRB", "HRV", "BIH", "XKX", "ALB", "MKD", "MNE", "MDA", "LTU", "LVA", "EST",
                     "GEO", "ARM", "AZE", "CYP", "VAT", "SVN"}
    asia = {"AFG", "PAK", "IND", "BGD", "LKA", "NPL", "MDV", "CHN", "TWN", "HKG", "PRK", "KOR", "JPN",
            "MMR", "THA", "KHM", "VNM", "PHL", "IDN", "MYS", "SGP", "TLS", "KAZ", "UZB", "TJK", "KGZ", "TKM"}
    regions = {"middle east": middle_east, "africa": africa, "latin america": latin_america,
               "europe/russia": europe_russia, "asia": asia, "north america": {"USA", "CAN"}}
    for label, codes in regions.items():
        n = sum(e["country"] in codes for e in actors)
        assert n >= 100, f"{label}: only {n} actors"


# -- agents.yaml -------------------------------------------------------------------------------------
def test_agents_are_valid(agents):
    assert isinstance(agents, dict) and len(agents) >= 250
    for lemma, info in agents.items():
        assert isinstance(lemma, str) and lemma == lemma.lower() == lemma.strip() and "  " not in lemma, lemma
        assert set(info) <= {"sector", "kind", "role", "international"}, lemma
        assert info["sector"] in PLOVER_SECTORS, lemma
        assert info["kind"] in AGENT_KINDS, lemma
        if "role" in info:
            assert info["role"] is True and info["kind"] == "person", lemma
        if "international" in info:  # only civil society can be an international NGO
            assert info["international"] is True and info["sector"] == "SOC", lemma
    assert {i["sector"] for i in agents.values()} == PLOVER_SECTORS, "every PLOVER sector needs agent nouns"


def test_agent_spot_checks(agents):
    expect = {"militia": "REB", "government": "GOV", "regime": "GOV", "embassy": "GOV", "president": "GOV",
              "troops": "MIL", "police": "COP", "protester": "OPP", "contractor": "CVL", "gunman": "UAF",
              "gunmen": "UAF", "security forces": "COP", "intelligence agency": "SPY", "paramilitary": "PRM",
              "refugee": "REF", "journalist": "JRN", "cleric": "REL", "cartel": "CRM", "farmer": "AGR",
              "human rights group": "SOC", "student": "EDU", "doctor": "MED", "union": "LAB",
              "businessman": "BUS", "lawmaker": "LEG", "judge": "JUD", "tribal elder": "ELI"}
    for lemma, sector in expect.items():
        assert agents[lemma]["sector"] == sector, lemma
    for title in ("president", "general", "prime minister", "minister", "king", "commander", "leader", "ayatollah"):
        assert agents[title].get("role") is True, title
    for not_an_actor in ("bank", "press", "force", "authority", "people smuggling"):
        assert not_an_actor not in agents


# -- the files are consumable --------------------------------------------------------------------------
def test_readme_documents_every_file():
    from factions.data import _path
    text = _path("README.md").read_text(encoding="utf-8")
    for name in ("countries.csv", "actors.yaml", "agents.yaml", "ALLOWED_SHARED", "Congolese", "Korean"):
        assert name in text, name


def test_actor_dictionary_builds_from_the_files():
    dictionary = pytest.importorskip("factions.actors.dictionary")
    d = dictionary.ActorDictionary()
    assert d.lookup("Hezbollah").id == "hezbollah"
    assert d.lookup("al-Quds Forces").id == "quds_force"
    assert d.lookup("Islamic Revolutionary Guard").id == "irgc"
    assert d.lookup("U.S.").id == "USA"
    assert d.country_of_word("Iranian") == "IRN"
    assert d.country_of_word("Tehran") == "IRN"
    assert d.country_of_word("Iraq's") == "IRQ"
    assert d.agent("militia").sector == "REB"


def test_regions_are_well_formed():
    from factions.data import load_csv
    countries = {r["iso3"] for r in load_csv("countries.csv")}
    seen: set[str] = set()
    for row in load_csv("regions.csv"):
        assert row["iso3"] in countries, row
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row
        for name in [row["name"], *(a for a in (row["aliases"] or "").split(";") if a)]:
            assert name.lower() not in seen, f"{name} is listed twice"
            seen.add(name.lower())


def test_regions_geocode_to_their_country_over_small_namesakes():
    from factions.nlp.geocode import default_gazetteer
    gaz = default_gazetteer()
    assert gaz.lookup("Borno").country == "NGA"          # not a German village of that spelling
    assert gaz.lookup("Cabo Delgado").kind == "region"
    assert gaz.lookup("Kharkiv").kind == "city"          # a city keeps its own row


def test_ethnic_homelands_are_countries_and_not_nationalities():
    from factions.data import load_csv, load_yaml
    rows = load_csv("countries.csv")
    codes = {r["iso3"] for r in rows}
    adjectives = {a.lower() for r in rows for a in (r["adjectives"] or "").split(";") if a}
    for people, iso in load_yaml("matching.yaml")["ethnic_homelands"].items():
        assert iso in codes, people
        assert people not in adjectives, f"{people} is already a nationality in countries.csv"
