"""The network, balance, what-if and timeline payloads of the page, over factions.network.

Nothing here computes a tie, a sign, a bloc or a trend: it calls the network package
(``graph.load_graph``, ``balance.analyse``, ``whatif.whatif``, ``trends.trends``) and shapes
the results into the JSON the page draws.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from factions.store.db import Store

#: Seconds the exact frustration solver may spend for one page request.
BALANCE_TIME_LIMIT = 5.0


def network_view(store: Store, *, since: date | None, until: date | None, min_events: int,
                 remove: list[str]) -> dict[str, Any]:
    """Nodes, signed edges, the balance analysis and, with ``remove``, the baseline before it."""
    from factions.network.graph import load_graph
    from factions.network.balance import analyse
    raise NotImplementedError


def timeline_view(store: Store, *, actor: str, counterpart: str | None, freq: str) -> dict[str, Any]:
    """Cooperation and conflict counts per period for an actor (or a dyad)."""
    raise NotImplementedError
