"""factions: turn political and conflict writing into sourced PLOVER events and a signed actor network."""

__version__ = "0.1.0"
