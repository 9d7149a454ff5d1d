"""Structural balance of a signed graph: triangle census, degree of balance, frustration index.

networkx has no signed measures, so they are written here on top of a plain ``networkx.Graph``
whose edges carry ``sign`` (+1/-1). See docs/network.md for the definitions.

* **Triangle census** - triangles by number of negative edges (``+++``, ``++-``, ``+--``,
  ``---``), counted with sparse matrix products; ``+++`` and ``+--`` are balanced.
* **Degree of balance** - balanced triangles / all triangles (Cartwright & Harary 1956).
* **Frustration index** L - the fewest edges whose removal (equivalently: sign flip) makes the
  graph balanced = the fewest edges violated by a two-bloc split (a positive edge across the
  split or a negative edge inside a bloc). Solved EXACTLY as the binary linear program of
  Aref, Mason & Wilson (2018, 2020; the "AND" model) with ``scipy.optimize.milp`` (HiGHS),
  after splitting the graph into biconnected components - L is additive over them - and with
  the unbalanced-triangle valid inequalities of Aref et al. that tighten the LP relaxation.
  Large graphs (or a solve over its time limit) use a fast heuristic that returns a partition
  (an upper bound) together with a proven lower bound (edge-disjoint unbalanced cycles, or the
  solver's dual bound), so the answer is always stated as ``lower <= L <= value``.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

from factions.errors import FactionsError

Node = Hashable
Edge = tuple[Node, Node]

#: Census keys, by number of negative edges in the triangle.
TRIANGLE_KEYS = ("+++", "++-", "+--", "---")
#: Above this many edges in one biconnected block, ``method="auto"`` uses the heuristic.
EXACT_MAX_EDGES = 20_000
METHODS = ("auto", "exact", "heuristic")


# -- signs and matrices ----------------------------------------------------------------------------
def sign_of(u: Node, v: Node, data: dict[str, Any]) -> int:
    """The sign (+1/-1) in edge u-v's attribute dict; anything else is a malformed signed graph."""
    s = data.get("sign")
    if s not in (1, -1):
        raise FactionsError("E403", name="sign", detail=f"edge {u}-{v} has sign {s!r} (need +1 or -1)")
    return int(s)


def edge_sign(graph: nx.Graph, u: Node, v: Node) -> int:
    """The sign (+1/-1) of edge u-v."""
    return sign_of(u, v, graph.edges[u, v])


def signed_matrices(graph: nx.Graph) -> tuple[list[Node], sparse.csr_array, sparse.csr_array]:
    """Node order and the 0/1 adjacency matrices of the positive and the negative edges."""
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    rows: dict[int, list[int]] = {1: [], -1: []}
    cols: dict[int, list[int]] = {1: [], -1: []}
    for u, v, d in graph.edges(data=True):
        s = sign_of(u, v, d)
        i, j = index[u], index[v]
        rows[s] += (i, j)
        cols[s] += (j, i)
    n = len(nodes)

    def mat(s: int) -> sparse.csr_array:
        data = np.ones(len(rows[s]), dtype=np.int64)
        return sparse.csr_array((data, (rows[s], cols[s])), shape=(n, n))

    return nodes, mat(1), mat(-1)


def triangle_census(graph: nx.Graph) -> dict[str, int]:
    """Triangles by sign pattern: ``{"+++": a, "++-": b, "+--": c, "---": d}``.

    Nodes are ranked by degree and every edge is oriented from lower to higher rank, so each
    triangle a < b < c appears exactly once as the path a->b->c closed by a->c. With LP, LN the
    oriented positive/negative adjacency matrices, (LX @ LY) * LZ counts the triangles whose
    edges a->b, b->c, a->c have signs X, Y, Z. Degree ordering keeps those products small
    (at most sum over b of in-degree x out-degree, O(m^1.5)) even around hubs, where the
    unoriented P @ P would be nearly dense.
    """
    if graph.number_of_edges() == 0:
        return dict.fromkeys(TRIANGLE_KEYS, 0)
    _, P, N = signed_matrices(graph)
    deg = np.asarray((P + N).sum(axis=1)).ravel()
    order = np.lexsort((np.arange(len(deg)), deg))
    LP = sparse.triu(P[order][:, order], k=1).tocsr()
    LN = sparse.triu(N[order][:, order], k=1).tocsr()

    PP, PN, NP, NN = LP @ LP, LP @ LN, LN @ LP, LN @ LN     # two-edge paths by sign

    def closed(paths: sparse.csr_array, z: sparse.csr_array) -> int:
        return int(paths.multiply(z).sum())

    return {"+++": closed(PP, LP),
            "++-": closed(PP, LN) + closed(PN, LP) + closed(NP, LP),
            "+--": closed(PN, LN) + closed(NP, LN) + closed(NN, LP),
            "---": closed(NN, LN)}


def degree_of_balance(census: dict[str, int]) -> float | None:
    """Balanced triangles (``+++``, ``+--``) over all triangles; None without triangles."""
    total = sum(census.values())
    return (census["+++"] + census["+--"]) / total if total else None


def violations(graph: nx.Graph, partition: dict[Node, Any]) -> list[tuple[Node, Node, int]]:
    """Edges that break a partition into blocs (any number of blocs).

    A positive edge between blocs or a negative edge inside a bloc violates it. With two blocs
    the count is the partition's frustration; with more it is Davis's clusterability error.
    """
    out = []
    for u, v, d in graph.edges(data=True):
        s = sign_of(u, v, d)
        same = partition[u] == partition[v]
        if (s > 0) != same:
            out.append((u, v, s))
    return out


# -- frustration: the blocks ------------------------------------------------------------------------
@dataclass
class Frustration:
    """The frustration index and the two-bloc partition attaining it (or the best found)."""

    value: int                        # violated edges of `partition` (= L when exact)
    lower_bound: int                  # proven: lower_bound <= L <= value
    exact: bool                       # value == L, proven optimal
    method: str                       # "exact", "heuristic" or "exact+heuristic" (time limit hit)
    partition: dict[Node, int]        # node -> 0/1
    frustrated_edges: list[tuple[Node, Node, int]] = field(default_factory=list)
    seconds: float = 0.0


class _Block:
    """One biconnected block as integer arrays (node i of the block is ``nodes[i]``)."""

    def __init__(self, edges: list[Edge], graph: nx.Graph) -> None:
        self.nodes: list[Node] = list(dict.fromkeys(n for e in edges for n in e))
        index = {n: i for i, n in enumerate(self.nodes)}
        self.u = np.fromiter((index[a] for a, _ in edges), dtype=np.int64, count=len(edges))
        self.v = np.fromiter((index[b] for _, b in edges), dtype=np.int64, count=len(edges))
        self.s = np.fromiter((edge_sign(graph, a, b) for a, b in edges), dtype=np.int64, count=len(edges))
        n = len(self.nodes)
        # Symmetric signed adjacency in CSR form, for the local search and the spectral start.
        self.A = sparse.csr_array((np.concatenate([self.s, self.s]).astype(float),
                                   (np.concatenate([self.u, self.v]), np.concatenate([self.v, self.u]))),
                                  shape=(n, n))

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.s)

    def cost(self, sigma: np.ndarray) -> int:
        """Violated edges of the split sigma (+1/-1 per node)."""
        return int(np.count_nonzero(self.s * sigma[self.u] * sigma[self.v] < 0))

    def switching(self) -> np.ndarray | None:
        """A split violating no edge (BFS sign propagation) or None if the block is unbalanced."""
        sigma = np.zeros(self.n, dtype=np.int64)
        indptr, indices, data = self.A.indptr, self.A.indices, self.A.data
        sigma[0] = 1
        queue = deque([0])
        while queue:
            i = queue.popleft()
            for k in range(indptr[i], indptr[i + 1]):
                j, want = indices[k], sigma[i] * int(data[k])
                if sigma[j] == 0:
                    sigma[j] = want
                    queue.append(j)
                elif sigma[j] != want:
                    return None
        return sigma

    def unbalanced_triangles(self, limit: int) -> list[tuple[int, int, int]] | None:
        """Edge-index triples of the block's unbalanced triangles (None if more than ``limit``)."""
        eid: dict[tuple[int, int], int] = {}
        nbrs: list[set[int]] = [set() for _ in range(self.n)]
        for k, (a, b) in enumerate(zip(self.u.tolist(), self.v.tolist())):
            eid[(a, b)] = eid[(b, a)] = k
            nbrs[a].add(b)
            nbrs[b].add(a)
        out = []
        for a in range(self.n):
            higher = {b for b in nbrs[a] if b > a}
            for b in higher:
                for c in higher & nbrs[b]:
                    if c > b:
                        e1, e2, e3 = eid[(a, b)], eid[(b, c)], eid[(a, c)]
                        if self.s[e1] * self.s[e2] * self.s[e3] < 0:
                            out.append((e1, e2, e3))
                            if len(out) > limit:
                                return None
        return out


def _solve_exact(block: _Block, time_limit: float) -> tuple[np.ndarray | None, int, bool]:
    """Aref-Mason-Wilson "AND" model; returns (split or None, lower bound, proven optimal).

    Variables: x_i in {0,1} per node (its bloc) and y_ij in [0,1] per edge standing for
    x_i AND x_j. An edge's frustration is linear in them:
        positive edge  f_ij = x_i + x_j - 2 y_ij     (1 iff the ends are in different blocs)
        negative edge  f_ij = 1 - x_i - x_j + 2 y_ij (1 iff the ends are in the same bloc)
    with y_ij <= x_i, y_ij <= x_j for positive edges and y_ij >= x_i + x_j - 1 for negative
    ones; minimising sum f_ij drives y_ij to exactly x_i AND x_j, so y may stay continuous.
    Speed-ups (Aref et al. 2020): the highest-degree node's bloc is fixed (the split and its
    mirror image are the same solution), and for every unbalanced triangle, whose three edges
    cannot all be satisfied, f_a + f_b + f_c >= 1 tightens the LP relaxation.
    """
    n, m = block.n, block.m
    pos = block.s > 0
    # Coefficients of f_e on (x_u, x_v, y_e) and its constant, per edge.
    cx = np.where(pos, 1.0, -1.0)
    cy = np.where(pos, -2.0, 2.0)
    const = np.where(pos, 0.0, 1.0)
    c = np.zeros(n + m)
    np.add.at(c, block.u, cx)
    np.add.at(c, block.v, cx)
    c[n:] = cy
    rows, cols, vals, lb, ub = [], [], [], [], []
    r = 0
    e_pos, e_neg = np.nonzero(pos)[0], np.nonzero(~pos)[0]
    for e in e_pos.tolist():           # y_e - x_u <= 0, y_e - x_v <= 0
        for end in (block.u[e], block.v[e]):
            rows += (r, r)
            cols += (n + e, int(end))
            vals += (1.0, -1.0)
            lb.append(-np.inf)
            ub.append(0.0)
            r += 1
    for e in e_neg.tolist():           # x_u + x_v - y_e <= 1
        rows += (r, r, r)
        cols += (int(block.u[e]), int(block.v[e]), n + e)
        vals += (1.0, 1.0, -1.0)
        lb.append(-np.inf)
        ub.append(1.0)
        r += 1
    # Triangle cuts only while they stay few relative to the model (they cost more than they
    # save on triangle-dense blocks).
    for tri in block.unbalanced_triangles(limit=4 * m) or []:
        for e in tri:
            rows += (r, r, r)
            cols += (int(block.u[e]), int(block.v[e]), n + e)
            vals += (float(cx[e]), float(cx[e]), float(cy[e]))
        lb.append(1.0 - float(sum(const[e] for e in tri)))
        ub.append(np.inf)
        r += 1
    A = sparse.csr_array((vals, (rows, cols)), shape=(r, n + m))
    lo = np.zeros(n + m)
    hi = np.ones(n + m)
    root = int(np.argmax(np.diff(block.A.indptr)))
    hi[root] = 0.0
    integrality = np.concatenate([np.ones(n), np.zeros(m)])
    res = milp(c, integrality=integrality, bounds=Bounds(lo, hi),
               constraints=LinearConstraint(A, lb, ub),
               options={"time_limit": max(time_limit, 0.01), "disp": False})
    offset = float(const.sum())
    bound = getattr(res, "mip_dual_bound", None)
    lower = math.ceil(bound + offset - 1e-6) if bound is not None and np.isfinite(bound) else 0
    if res.x is None:
        return None, max(lower, 0), False
    sigma = np.where(np.round(res.x[:n]) > 0.5, -1, 1)
    optimal = res.status == 0
    value = block.cost(sigma)
    return sigma, (value if optimal else max(lower, 0)), optimal


# The heuristic works on a symmetric weighted signed matrix A (a block, or a coarsened block
# whose entries are net signed weights), so every function below takes A, not a block.
def _cost(A: sparse.csr_array, sigma: np.ndarray) -> float:
    """Weight of the edges violated by the split sigma (+1/-1 per node).

    Sum_e a_e sigma_u sigma_v = satisfied - violated weight = W - 2 V, with W = sum |a_e|.
    """
    return 0.25 * (float(abs(A).sum()) - float(sigma @ (A @ sigma.astype(float))))


def _local_search(A: sparse.csr_array, sigma: np.ndarray) -> np.ndarray:
    """Flip single nodes while a flip lowers the violated weight (in place)."""
    indptr, indices, data = A.indptr, A.indices, A.data
    h = A @ sigma.astype(float)   # h_i = sum_j a_ij sigma_j; flipping i gains -sigma_i h_i
    while True:
        candidates = np.nonzero(sigma * h < -1e-9)[0]
        if candidates.size == 0:
            return sigma
        for i in candidates.tolist():
            if sigma[i] * h[i] < -1e-9:   # still improving after earlier flips in this pass
                sigma[i] = -sigma[i]
                lo, hi = indptr[i], indptr[i + 1]
                h[indices[lo:hi]] += 2.0 * sigma[i] * data[lo:hi]


def _spectral_start(A: sparse.csr_array) -> np.ndarray:
    """Signs of the signed Laplacian's lowest eigenvector (Kunegis et al. 2010).

    For a balanced graph that eigenvector is exactly the switching vector, so its signs are the
    bloc split; for near-balanced graphs it is close to it.
    """
    n = A.shape[0]
    if n < 3:
        return np.ones(n, dtype=np.int64)
    deg = np.asarray(abs(A).sum(axis=1)).ravel()
    # Largest eigenvector of (c I - L) = lowest of L = D - A; avoids slow shift-invert.
    M = sparse.diags_array(2.0 * deg.max() - deg) + A
    try:
        _, vec = eigsh(M, k=1, which="LA", tol=1e-6, maxiter=5000,
                       v0=np.random.default_rng(0).random(n))
    except ArpackNoConvergence as exc:  # use the best vector ARPACK got to
        vec = exc.eigenvectors if exc.eigenvectors.size else np.ones((n, 1))
    return np.where(vec[:, 0] >= 0, 1, -1).astype(np.int64)


def _tabu_search(A: sparse.csr_array, sigma: np.ndarray, steps: int, rng: np.random.Generator,
                 stop: float) -> np.ndarray:
    """Tabu search (Glover 1989) over single-node flips, returning the best split seen.

    Each step flips the non-tabu node whose flip lowers the violated weight most - even if
    that makes it worse, which is how it leaves the local minima plain descent stops in - and
    forbids flipping it back for a few steps (random tenure), unless that beats the best.
    """
    n = A.shape[0]
    indptr, indices, data = A.indptr, A.indices, A.data
    h = A @ sigma.astype(float)
    gain = -sigma * h
    cost = _cost(A, sigma)
    best, best_cost = sigma.copy(), cost
    tabu = np.zeros(n, dtype=np.int64)
    tenure = max(2, min(20, n // 10))
    patience = min(5 * n + 200, 3000)   # steps without a new best before giving up
    last = 0
    for t in range(1, steps + 1):
        if t - last > patience:
            break
        j = int(np.argmax(gain))
        if cost - gain[j] < best_cost - 1e-9:   # aspiration: beating the best overrides tabu
            i = j
        else:
            i = int(np.argmax(np.where(tabu >= t, -np.inf, gain)))
            if tabu[i] >= t:                    # everything is tabu
                break
        cost -= gain[i]
        sigma[i] = -sigma[i]
        lo, hi = indptr[i], indptr[i + 1]
        nb = indices[lo:hi]
        h[nb] += 2.0 * sigma[i] * data[lo:hi]
        gain[nb] = -sigma[nb] * h[nb]
        gain[i] = -gain[i]
        tabu[i] = t + tenure + int(rng.integers(0, tenure + 1))
        if cost < best_cost - 1e-9:
            best, best_cost, last = sigma.copy(), cost, t
            if cost < 0.5:
                break
        if t % 256 == 0 and time.perf_counter() > stop:
            break
    return best


def _steps(n: int) -> int:
    """Tabu steps for refining an n-node split: enough to sweep small graphs many times, capped
    because on big graphs the improvements a single-flip search can still find are local."""
    return min(20 * n + 1000, 30_000)


def _coarsen(A: sparse.csr_array, rng: np.random.Generator) -> np.ndarray:
    """Heavy positive-edge matching: pair each node with its most positively tied free
    neighbour (random visiting order); returns the coarse group of every node."""
    n = A.shape[0]
    indptr, indices, data = A.indptr, A.indices, A.data
    group = np.full(n, -1, dtype=np.int64)
    c = 0
    for i in rng.permutation(n).tolist():
        if group[i] >= 0:
            continue
        group[i] = c
        lo, hi = indptr[i], indptr[i + 1]
        nb, w = indices[lo:hi], data[lo:hi]
        free = (group[nb] < 0) & (w > 0)
        if free.any():
            group[nb[free][int(np.argmax(w[free]))]] = c
        c += 1
    return group


def _multilevel(A: sparse.csr_array, rng: np.random.Generator, stop: float) -> np.ndarray:
    """Multilevel split (as in graph partitioners such as METIS): contract positive ties level
    by level - allied nodes end up in the same bloc anyway - solve the small coarse graph, then
    project the split back and refine it with tabu search at every level.

    Single-node moves cannot carry a whole alliance across the split (each member alone is held
    back by its positive ties); on the coarse graph the alliance is one node and moves at once.
    A coarse entry is the net signed weight between two groups; ties inside a group are fixed
    by the contraction and only reconsidered by the refinement at finer levels.
    """
    levels: list[tuple[sparse.csr_array, np.ndarray]] = []
    while A.shape[0] > 60:
        group = _coarsen(A, rng)
        nc = int(group.max()) + 1
        if nc > 0.9 * A.shape[0]:       # no positive ties left to contract
            break
        P = sparse.csr_array((np.ones(A.shape[0]), (np.arange(A.shape[0]), group)),
                             shape=(A.shape[0], nc))
        coarse = (P.T @ A @ P).tocsr()
        coarse.setdiag(0)
        coarse.eliminate_zeros()
        levels.append((A, group))
        A = coarse
    sigma = _spectral_start(A)
    sigma = _tabu_search(A, _local_search(A, sigma), 200 * A.shape[0] + 2000, rng, stop)
    for fine, group in reversed(levels):
        sigma = sigma[group]
        sigma = _tabu_search(fine, _local_search(fine, sigma), _steps(fine.shape[0]), rng, stop)
    return sigma


def _heuristic(block: _Block, seed: int, budget: float) -> np.ndarray:
    """Best of a spectral start and a few randomised multilevel runs, each refined by tabu."""
    rng = np.random.default_rng(seed)
    stop = time.perf_counter() + budget
    A = block.A
    best = _tabu_search(A, _local_search(A, _spectral_start(A)), _steps(block.n), rng, stop)
    best_cost = block.cost(best)
    for _ in range(8):
        if best_cost == 0 or time.perf_counter() > stop:
            break
        sigma = _multilevel(A, rng, stop)
        cost = block.cost(sigma)
        if cost < best_cost:
            best, best_cost = sigma, cost
    return best


def cycle_packing_bound(block: _Block, sigma: np.ndarray, stop: float = math.inf,
                        max_depth: int = 5) -> int:
    """A lower bound on L: the number of edge-disjoint unbalanced cycles found greedily.

    Every unbalanced cycle (odd number of negative edges) has a violated edge under ANY split,
    and edge-disjoint cycles need distinct ones, so their number bounds L from below.

    1. Unbalanced triangles are packed first (cheap, and short cycles pack densely).
    2. Then a split ``sigma`` (the best one found) guides the search: a cycle made of one edge
       ``sigma`` violates plus a path of edges it satisfies is unbalanced (its sign product is
       -1 by construction), so for each violated edge u-v still free a breadth-first search
       looks for the shortest u..v path (at most ``max_depth`` edges) over free satisfied edges.

    With a good split most violated edges get a cycle and the bound comes close to the split's
    own count; when it is equal, the split is proven optimal. Any partial packing is valid, so
    the search stops at ``stop`` (a perf_counter time).
    """
    alive = [True] * block.m
    count = 0
    s = block.s
    for e1, e2, e3 in block.unbalanced_triangles(limit=50 * block.m + 1000) or []:
        if alive[e1] and alive[e2] and alive[e3]:
            alive[e1] = alive[e2] = alive[e3] = False
            count += 1
    satisfied = s * sigma[block.u] * sigma[block.v] > 0
    adj: list[list[tuple[int, int]]] = [[] for _ in range(block.n)]
    for e in np.nonzero(satisfied)[0].tolist():
        a, b = int(block.u[e]), int(block.v[e])
        adj[a].append((b, e))
        adj[b].append((a, e))
    violated = np.nonzero(~satisfied)[0].tolist()
    # Shortest cycles first (all depth-2 paths, then depth 3, ...): they pack more densely.
    for limit in range(2, max_depth + 1):
        for k, f in enumerate(violated):
            if k % 64 == 0 and time.perf_counter() > stop:
                return count
            if alive[f] and _free_path(adj, alive, int(block.u[f]), int(block.v[f]), limit):
                alive[f] = False
                count += 1
    return count


def _free_path(adj: list[list[tuple[int, int]]], alive: list[bool], u: int, v: int, limit: int) -> bool:
    """Breadth-first search for a u..v path of at most ``limit`` alive edges; if found, mark
    its edges used (not alive) and return True."""
    parent: dict[int, tuple[int, int]] = {u: (-1, -1)}
    frontier = [u]
    for _ in range(limit):
        nxt = []
        for a in frontier:
            for b, e in adj[a]:
                if alive[e] and b not in parent:
                    parent[b] = (a, e)
                    nxt.append(b)
        if v in parent:
            node = v
            while node != u:
                node, e = parent[node]
                alive[e] = False
            return True
        frontier = nxt
        if not frontier:
            break
    return False


# -- frustration: the whole graph ------------------------------------------------------------------
def frustration(graph: nx.Graph, *, method: str = "auto", time_limit: float = 60.0,
                seed: int = 0) -> Frustration:
    """The frustration index of a signed graph and a two-bloc partition attaining it.

    ``method``: "exact" solves every unbalanced block with the integer program (falling back
    to the heuristic, with a stated bound, for blocks still open when ``time_limit`` seconds
    are spent); "heuristic" never runs the solver; "auto" is exact for blocks of at most
    :data:`EXACT_MAX_EDGES` edges and heuristic above. The result always carries a proven
    ``lower_bound``; ``exact`` is True only when every block was solved to optimality.
    """
    if method not in METHODS:
        raise FactionsError("E403", name="method", detail=f"{method!r} (known: {', '.join(METHODS)})")
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    # Largest blocks first so the time limit is spent where the solver is needed.
    blocks = sorted(nx.biconnected_component_edges(graph), key=len, reverse=True)
    local: list[tuple[list[Node], np.ndarray]] = []
    value = lower = 0
    exact = True
    used: set[str] = set()
    for edges in blocks:
        if len(edges) == 1:                     # a bridge is always satisfiable
            (a, b), = edges
            local.append(([a, b], np.array([1, edge_sign(graph, a, b)])))
            continue
        block = _Block(edges, graph)
        sigma = block.switching()
        if sigma is not None:                  # balanced block: L = 0
            local.append((block.nodes, sigma))
            continue
        solved: np.ndarray | None = None
        block_lower = 0
        want_exact = method == "exact" or (method == "auto" and block.m <= EXACT_MAX_EDGES)
        if want_exact and time.perf_counter() < deadline:
            used.add("exact")
            solved, block_lower, optimal = _solve_exact(block, deadline - time.perf_counter())
            if optimal:
                local.append((block.nodes, solved))  # type: ignore[arg-type]
                value += block.cost(solved)          # type: ignore[arg-type]
                lower += block_lower
                continue
        used.add("heuristic")
        # The search gets two thirds of the block's budget, the bound (built from its split)
        # the rest.
        budget = max(1.0, min(10.0, deadline - time.perf_counter()))
        sigma = _heuristic(block, seed, budget * 2 / 3)
        if solved is not None and block.cost(solved) < block.cost(sigma):
            sigma = solved
        block_value = block.cost(sigma)
        block_lower = max(block_lower, cycle_packing_bound(block, sigma, time.perf_counter() + budget / 3))
        exact = exact and block_value == block_lower  # meeting a proven bound is optimal too
        local.append((block.nodes, sigma))
        value += block_value
        lower += block_lower
    partition = _combine(graph, local)
    frustrated = violations(graph, partition)
    assert len(frustrated) == value, "block decomposition must be additive"
    name = "+".join(m for m in ("exact", "heuristic") if m in used) or "exact"
    return Frustration(value, lower, exact, name, partition, frustrated, time.perf_counter() - t0)


def _combine(graph: nx.Graph, local: list[tuple[list[Node], np.ndarray]]) -> dict[Node, int]:
    """Glue per-block splits into one: blocks meet only at cut vertices, so walking the
    block-cut tree and mirroring each block to agree at the vertex it is entered by keeps every
    block's violated edges unchanged (this is why L is additive over blocks)."""
    blocks_of: dict[Node, list[int]] = {}
    for k, (nodes, _) in enumerate(local):
        for n in nodes:
            blocks_of.setdefault(n, []).append(k)
    side: dict[Node, int] = {}
    done = [False] * len(local)
    for start in range(len(local)):
        if done[start]:
            continue
        queue = deque([(start, None)])
        done[start] = True
        while queue:
            k, via = queue.popleft()
            nodes, sigma = local[k]
            values = (sigma < 0).astype(int)
            if via is not None and values[nodes.index(via)] != side[via]:
                values = 1 - values
            for n, x in zip(nodes, values.tolist()):
                side.setdefault(n, x)
                for k2 in blocks_of[n]:
                    if not done[k2]:
                        done[k2] = True
                        queue.append((k2, n))
    for n in graph:  # isolated nodes belong to no block
        side.setdefault(n, 0)
    return side


# -- the result --------------------------------------------------------------------------------
@dataclass
class BalanceResult:
    """Everything :func:`analyse` measures; ``to_dict`` is the JSON of ``factions balance``."""

    nodes: int
    edges: int
    positive: int
    negative: int
    triangles: dict[str, int]
    degree_of_balance: float | None
    frustration_index: int
    frustration_lower_bound: int
    exact: bool
    method: str
    blocs: list[list[Node]]
    frustrated_edges: list[tuple[Node, Node, int]]
    seconds: float
    names: dict[Node, str] = field(default_factory=dict)

    @property
    def partition(self) -> dict[Node, int]:
        """Node -> bloc index (0 = the larger bloc)."""
        return {n: k for k, bloc in enumerate(self.blocs) for n in bloc}

    def to_dict(self) -> dict[str, Any]:
        half = self.edges / 2
        return {
            "nodes": self.nodes, "edges": self.edges, "positive": self.positive,
            "negative": self.negative,
            "triangles": dict(self.triangles),
            "degree_of_balance": self.degree_of_balance,
            "frustration_index": self.frustration_index,
            "frustration_lower_bound": self.frustration_lower_bound,
            "frustration_exact": self.exact,
            # Aref & Wilson's normalised frustration: 1 = balanced, 0 = as frustrated as chance.
            "frustration_balance": (1 - self.frustration_index / half) if half else None,
            "method": self.method,
            "blocs": [[str(n) for n in b] for b in self.blocs],
            "frustrated_edges": [{"source": str(u), "target": str(v), "sign": s}
                                 for u, v, s in self.frustrated_edges],
            "names": {str(k): v for k, v in self.names.items()},
            "seconds": round(self.seconds, 3),
        }


def analyse(graph: nx.Graph, *, method: str = "auto", time_limit: float = 60.0,
            seed: int = 0) -> BalanceResult:
    """Structural balance of a signed graph (edges need a ``sign`` of +1 or -1).

    >>> analyse(g).to_dict()["frustration_index"]
    """
    census = triangle_census(graph)
    fr = frustration(graph, method=method, time_limit=time_limit, seed=seed)
    blocs: list[list[Node]] = [sorted((n for n, x in fr.partition.items() if x == k), key=str)
                               for k in (0, 1)]
    blocs = sorted((b for b in blocs if b), key=lambda b: (-len(b), str(b[0])))
    positive = sum(1 for u, v, d in graph.edges(data=True) if sign_of(u, v, d) > 0)
    names = {n: d["name"] for n, d in graph.nodes(data=True) if d.get("name") and d["name"] != n}
    return BalanceResult(graph.number_of_nodes(), graph.number_of_edges(), positive,
                         graph.number_of_edges() - positive, census, degree_of_balance(census),
                         fr.value, fr.lower_bound, fr.exact, fr.method, blocs,
                         fr.frustrated_edges, fr.seconds, names)

