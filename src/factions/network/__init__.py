"""The signed actor network: ties from events, balance, coalitions, what-if and trends.

Library entry points (the CLI and the web app are thin layers over these):

* :func:`factions.network.relations.build_relations` - events -> signed, weighted ties
* :func:`factions.network.graph.load_graph` - a store -> ``networkx.Graph``;
  :func:`~factions.network.graph.read_edge_list` - a signed csv/tsv edge list -> graphs
* :func:`factions.network.balance.analyse` - triangles, degree of balance, frustration index
* :func:`factions.network.coalitions.coalitions` / :func:`~factions.network.coalitions.centrality`
* :func:`factions.network.whatif.whatif` - remove actors, compare before/after
* :func:`factions.network.trends.trends` - cooperation/conflict per period, dyad or actor
* :func:`factions.network.snapshots.analyse_network` / ``save_snapshot`` / ``load_snapshot``

Definitions and formulations: docs/network.md.
"""
