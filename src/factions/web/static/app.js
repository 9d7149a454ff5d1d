// factions web page: plain ES module over the JSON API under /api.
// Every piece of stored text reaches the DOM through textContent / text nodes (see h() and
// highlight()): never through innerHTML, so a document containing markup shows it literally.

const BLOC_COLOURS = ["#1f5fbf", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037"];
const POS = "#2e7d32", NEG = "#c62828", FRUS = "#f9a825";
const FILTER_KEYS = ["actor", "counterpart", "type", "quad", "mode", "modality", "country",
  "location", "since", "until", "q", "doc_id", "source", "target"];

const state = {
  view: null,
  filters: {},                 // event filters (shared by the table, the map and downloads)
  sort: "date", order: "desc", page: 1, pageSize: 50,
  network: { since: "", until: "", min_events: 1, removed: new Set() },
  cy: null, map: null, mapLayer: null, meta: null, upload: false,
};
window.factions = state;   // for the browser tests and the curious

// ---- small helpers -------------------------------------------------------------------------------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const $ = (sel) => document.querySelector(sel);

// Replace an element's children, skipping null/false (replaceChildren would print "null").
function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

function query(params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "") continue;
    if (Array.isArray(v)) v.forEach((x) => x !== "" && qs.append(k, x));
    else qs.append(k, v);
  }
  return qs;
}

async function api(path, params = {}) {
  const qs = query(params).toString();
  const res = await fetch(`/api/${path}${qs ? "?" + qs : ""}`, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message || `${res.status} ${res.statusText}`);
  return body;
}

function showError(where, err) {
  fill(where, h("p", { class: "error" }, String(err.message || err)));
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || "") ? url : null;
}

function typeBadge(ev) {
  return h("span", { class: `type ${ev.quad_class || ""}`, title: (ev.quad_class || "").replace("_", " ") }, ev.type);
}

function actorLabel(id, name) {
  return id ? (name || id) : "—";
}

// Split text into segments at every span boundary; each segment is marked with the kinds of
// the spans covering it. Returns the fragment and, per span index, the <mark>s that show it.
function highlight(text, spans, onClick) {
  const frag = document.createDocumentFragment();
  const marksOf = spans.map(() => []);
  const cuts = new Set([0, text.length]);
  spans.forEach((s) => { cuts.add(Math.max(0, Math.min(text.length, s.start))); cuts.add(Math.max(0, Math.min(text.length, s.end))); });
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const covering = [];
    spans.forEach((s, k) => { if (s.start <= a && s.end >= b) covering.push(k); });
    if (!covering.length) { frag.append(document.createTextNode(piece)); continue; }
    const kinds = [...new Set(covering.map((k) => spans[k].kind))];
    const mark = h("mark", { class: kinds.join(" "), title: covering.map((k) => spans[k].label).filter(Boolean).join("\n") }, piece);
    mark.dataset.spans = covering.join(" ");
    covering.forEach((k) => marksOf[k].push(mark));
    if (onClick) mark.addEventListener("click", () => onClick(covering));
    frag.append(mark);
  }
  return { frag, marksOf };
}

function keyLegend() {
  return h("div", { class: "keys" }, h("mark", { class: "source" }, "source"), h("mark", { class: "trigger" }, "event words"),
    h("mark", { class: "target" }, "target"), h("mark", { class: "mention" }, "other actor"));
}

// ---- routing ------------------------------------------------------------------------------------
function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "network";
  const [path, qs] = raw.split("?");
  return { path, params: new URLSearchParams(qs || "") };
}

function setHash(path, params) {
  const qs = params ? query(params).toString() : "";
  const next = `#${path}${qs ? "?" + qs : ""}`;
  if (location.hash !== next) location.hash = next; else route();
}

function showView(name, tab) {
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== `view-${name}`; });
  document.querySelectorAll("#tabs a").forEach((a) => a.classList.toggle("active", a.dataset.view === (tab || name)));
  state.view = name;
}

async function route() {
  const { path, params } = parseHash();
  if (path.startsWith("doc/")) {
    showView("doc", "documents");
    return openDocument(decodeURIComponent(path.slice(4)), params.get("event"));
  }
  switch (path) {
    case "events":
      showView("events");
      readEventParams(params);
      return loadEvents();
    case "map":
      showView("map");
      return loadMap();
    case "timeline":
      showView("timeline");
      return loadTimeline(params);
    case "documents":
      showView("documents");
      return loadDocuments(params);
    case "code":
      showView("code");
      return null;
    default:
      showView("network");
      return loadNetwork();
  }
}

// ---- status and filter choices -------------------------------------------------------------------
async function loadMeta() {
  const [health, meta] = await Promise.all([api("health"), api("meta")]);
  state.meta = meta;
  state.upload = health.upload;
  $("#tab-code").hidden = !health.upload;
  const c = health.counts;
  $("#status").textContent = `${health.db} · ${c.documents} documents · ${c.events} events · ${c.actors} actors`;
  const addOptions = (name, values) => {
    const sel = $(`#event-form [name=${name}]`);
    values.forEach((v) => sel.append(h("option", { value: v.value }, `${v.value} (${v.events})`)));
  };
  addOptions("type", meta.types);
  addOptions("mode", meta.modes);
  addOptions("modality", meta.modalities);
  addOptions("country", meta.countries);
  const actors = await api("actors", { limit: 1000 });
  fill($("#actor-list"), ...actors.map((a) => h("option", { value: a.id }, `${a.name} (${a.events} events)`)));
}

async function resolveActor(value) {
  if (!value) return "";
  const exact = [...$("#actor-list").options].find((o) => o.value === value);
  if (exact) return value;
  const found = await api("actors", { q: value, limit: 1 });
  return found.length ? found[0].id : value;
}

// ---- network + balance --------------------------------------------------------------------------
async function loadNetwork() {
  const form = $("#network-form");
  const n = state.network;
  form.since.value = n.since; form.until.value = n.until; form.min_events.value = n.min_events;
  const panel = $("#balance");
  fill(panel, h("p", { class: "hint" }, "Loading network…"));
  let data;
  try {
    data = await api("network", { since: n.since, until: n.until, min_events: n.min_events, remove: [...n.removed] });
  } catch (err) { showError(panel, err); return; }
  drawNetwork(data);
  drawBalance(data);
}

function drawNetwork(data) {
  const maxAct = Math.max(1, ...data.nodes.map((x) => x.activity));
  const frustrated = new Set(data.balance.frustrated_edges.map((e) => [e.source, e.target].sort().join("\u0001")));
  const elements = [
    ...data.nodes.map((x) => ({ data: { id: x.id, label: x.name || x.id, activity: x.activity,
      size: 18 + 42 * Math.sqrt(x.activity / maxAct),
      colour: x.bloc === null || x.bloc === undefined ? "#9aa5b1" : BLOC_COLOURS[x.bloc % BLOC_COLOURS.length] } })),
    ...data.edges.map((e) => ({ data: { id: `${e.source}\u0001${e.target}`, source: e.source, target: e.target,
      sign: e.sign, events: e.events, width: 1.5 + Math.min(8, Math.log2(1 + e.weight)),
      colour: e.sign > 0 ? POS : NEG,
      frustrated: frustrated.has([e.source, e.target].sort().join("\u0001")) ? 1 : 0 } })),
  ];
  if (state.cy) state.cy.destroy();
  const cy = window.cytoscape({
    container: $("#cy"), elements, wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 4,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", width: "data(size)", height: "data(size)",
        label: "data(label)", "font-size": 11, color: "#1d2330", "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#fff", "text-background-opacity": 0.7, "text-background-padding": 1 } },
      { selector: "edge", style: { "line-color": "data(colour)", width: "data(width)", "curve-style": "bezier", opacity: 0.85 } },
      { selector: "edge[frustrated = 1]", style: { "line-style": "dashed", "underlay-color": FRUS, "underlay-opacity": 0.6, "underlay-padding": 3 } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#111", "underlay-color": "#5b9cff", "underlay-opacity": 0.5, "underlay-padding": 4 } },
    ],
    layout: { name: elements.length > 1500 ? "grid" : "cose", animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 90, padding: 30 },
  });
  cy.on("tap", "node", (evt) => showActor(evt.target.id()));
  cy.on("tap", "edge", (evt) => showEdge(evt.target.data("source"), evt.target.data("target")));
  state.cy = cy;
  if (!data.nodes.length) $("#balance").prepend(h("p", { class: "hint" }, "No ties between actors in this store (yet)."));
}

function metric(label, value, delta) {
  return h("div", { class: "metric" }, h("span", {}, label),
    h("span", {}, h("b", {}, value), delta ? h("span", { class: `delta ${delta < 0 ? "down" : "up"}` }, `${delta > 0 ? "+" : ""}${delta}`) : null));
}

function drawBalance(data) {
  const b = data.balance;
  const names = Object.fromEntries(data.nodes.map((x) => [x.id, x.name || x.id]));
  const base = data.baseline;
  const fi = b.frustration_exact === false ? `${b.frustration_lower_bound}–${b.frustration_index}` : `${b.frustration_index}`;
  const removed = state.network.removed;
  const chip = (id, colour) => h("span", { class: `chip${removed.has(id) ? " removed" : ""}`, title: "click: remove in the what-if", "data-actor": id,
    onclick: () => { removed.has(id) ? removed.delete(id) : removed.add(id); chipsChanged(); } },
    h("i", { class: "dot", style: `background:${colour}` }), names[id] || id);
  const panel = $("#balance");
  fill(panel,
    h("h3", {}, "Balance"),
    metric("Frustration index", fi, base ? b.frustration_index - base.frustration_index : 0),
    metric("Degree of balance", b.degree_of_balance === null ? "—" : b.degree_of_balance.toFixed(3)),
    metric("Actors / ties", `${b.nodes} / ${b.edges}`),
    metric("Ties + / −", `${b.positive} / ${b.negative}`),
    h("h3", {}, "Blocs"),
    ...b.blocs.map((bloc, k) => h("div", { class: "chips", "data-bloc": k }, bloc.map((id) => chip(id, BLOC_COLOURS[k % BLOC_COLOURS.length])))),
    h("h3", {}, `Frustrating ties (${b.frustrated_edges.length})`),
    h("ul", { class: "edge-list", id: "frustrated" }, b.frustrated_edges.map((e) => h("li", { onclick: () => showEdge(e.source, e.target) },
      h("span", { style: `color:${e.sign > 0 ? POS : NEG}` }, e.sign > 0 ? "+ " : "− "), `${names[e.source] || e.source} — ${names[e.target] || e.target}`))),
    h("h3", {}, "What if…"),
    h("p", { class: "hint" }, "Click actors above to remove them, then recompute."),
    removed.size ? h("div", { class: "chips" }, [...removed].map((id) => chip(id, "#9aa5b1"))) : null,
    h("div", { class: "toolbar" },
      h("button", { type: "button", id: "whatif-apply", onclick: () => loadNetwork() }, "Recompute"),
      h("button", { type: "button", id: "whatif-reset", onclick: () => { removed.clear(); loadNetwork(); } }, "Reset")),
    base ? h("p", { class: "hint", id: "whatif-summary" }, `Without ${data.whatif.removed.map((r) => r.name).join(", ")}: frustration ${base.frustration_index} → ${b.frustration_index}.`) : null,
    data.whatif ? whatifDetails(data.whatif) : null,
  );
}

function whatifDetails(w) {
  const names = (list) => list.map((x) => x.name).join(", ");
  return h("ul", { class: "edge-list" },
    w.components.split.map((s) => h("li", {}, `The network splits into: ${s.pieces.map(names).join(" | ")}`)),
    w.blocs.broken.map((b) => h("li", {}, `Bloc ${b.bloc + 1} breaks into: ${b.parts.map(names).join(" | ")}`)),
    w.blocs.merged.map((m) => h("li", {}, `Blocs merge: ${names(m.members)}`)),
    (w.blocs.moved || []).map((m) => h("li", {}, `${m.actor.name} moves from bloc ${m.from_bloc + 1} to bloc ${m.to_bloc + 1}`)),
    w.lost_ties.map((t) => h("li", {}, `${t.actor.name} loses its only positive tie to bloc ${t.bloc + 1} (via ${names(t.via)})`)));
}

function chipsChanged() {
  document.querySelectorAll("#balance .chip[data-actor]").forEach((c) => c.classList.toggle("removed", state.network.removed.has(c.dataset.actor)));
}

// ---- inspector: actor, edge, event ----------------------------------------------------------------
const inspector = () => $("#inspector");

async function showActor(id) {
  const box = inspector();
  fill(box, h("p", { class: "hint" }, "Loading…"));
  let a;
  try { a = await api(`actors/${encodeURIComponent(id)}`); } catch (err) { showError(box, err); return; }
  fill(box,
    h("h2", { id: "actor-name" }, a.name),
    h("dl", { class: "kv" },
      h("dt", {}, "id"), h("dd", {}, a.id),
      h("dt", {}, "kind"), h("dd", {}, a.kind || "—"),
      h("dt", {}, "country"), h("dd", {}, a.country || "—"),
      h("dt", {}, "sector"), h("dd", {}, a.sector || "—"),
      a.affiliation ? [h("dt", {}, "part of"), h("dd", {}, h("a", { href: "#", onclick: (e) => { e.preventDefault(); showActor(a.affiliation); } }, a.affiliation_name || a.affiliation))] : null,
      h("dt", {}, "aliases"), h("dd", {}, (a.aliases || []).join(", ") || "—"),
      h("dt", {}, "mentions"), h("dd", {}, a.mentions),
      h("dt", {}, "events"), h("dd", {}, `${a.events} in ${a.documents} documents`),
      h("dt", {}, "dates"), h("dd", {}, a.first_date ? `${a.first_date} – ${a.last_date}` : "—")),
    h("div", { class: "toolbar" },
      h("a", { href: `#events?${query({ actor: a.id })}` }, "Events"),
      h("a", { href: `#timeline?${query({ actor: a.id })}` }, "Timeline")),
    h("h3", {}, "Event types (as source / target)"),
    h("ul", { class: "edge-list" }, a.by_type.map((t) => h("li", {}, typeBadge(t), ` ${t.as_source} / ${t.as_target}`))),
    h("h3", {}, "Counterparts (asserted events: cooperation / conflict)"),
    h("ul", { class: "edge-list" }, a.counterparts.map((c) => h("li", { onclick: () => showEdge(a.id, c.id) },
      `${c.name || c.id}: `, h("span", { style: `color:${POS}` }, c.cooperation), " / ", h("span", { style: `color:${NEG}` }, c.conflict)))),
  );
}

async function showEdge(a, b) {
  const box = inspector();
  fill(box, h("p", { class: "hint" }, "Loading…"));
  const n = state.network;
  const params = { actor: a, counterpart: b, modality: "asserted", since: n.since, until: n.until, sort: "date", order: "desc", page_size: 100 };
  let page;
  try { page = await api("events", params); } catch (err) { showError(box, err); return; }
  const first = page.items[0];
  const name = (id) => (first && first.source === id ? first.source_name : first && first.target === id ? first.target_name : null) || id;
  const tableParams = { ...params }; delete tableParams.sort; delete tableParams.order; delete tableParams.page_size;
  fill(box,
    h("h2", { id: "edge-title" }, `${name(a)} — ${name(b)}`),
    h("p", { class: "hint" }, `${page.total} asserted events behind this tie. `, h("a", { href: `#events?${query(tableParams)}` }, "Open in the table")),
    h("ul", { class: "edge-list", id: "edge-events" }, page.items.map((ev) => h("li", { onclick: () => showEvent(ev.id), "data-event": ev.id },
      `${ev.date || "undated"} `, typeBadge(ev), ` ${actorLabel(ev.source, ev.source_name)} → ${actorLabel(ev.target, ev.target_name)}: “${ev.trigger}”`))),
  );
}

async function showEvent(id) {
  const box = inspector();
  let ev;
  try { ev = await api(`events/${encodeURIComponent(id)}`); } catch (err) { showError(box, err); return; }
  document.querySelectorAll("#event-table tbody tr").forEach((tr) => tr.classList.toggle("selected", tr.dataset.event === id));
  const { frag } = highlight(ev.evidence.sentence, ev.evidence.spans);
  const doc = ev.document || {};
  fill(box,
    h("h2", {}, typeBadge(ev), " ", actorLabel(ev.source, ev.source_name), " → ", actorLabel(ev.target, ev.target_name)),
    h("dl", { class: "kv" },
      h("dt", {}, "date"), h("dd", {}, ev.date || "—"),
      h("dt", {}, "where"), h("dd", {}, ev.loc_name ? `${ev.loc_name}${ev.loc_country ? ` (${ev.loc_country})` : ""}` : "—"),
      h("dt", {}, "modality"), h("dd", {}, ev.modality),
      h("dt", {}, "mode"), h("dd", {}, ev.mode || "—"),
      h("dt", {}, "confidence"), h("dd", {}, Number(ev.confidence).toFixed(2)),
      h("dt", {}, "record"), h("dd", {}, `${ev.id} · chars ${ev.start}–${ev.end}`)),
    h("h3", {}, "Evidence"),
    h("div", { class: "evidence", id: "evidence" }, frag),
    keyLegend(),
    h("p", {}, h("a", { id: "open-doc", href: `#doc/${encodeURIComponent(ev.doc_id)}?${query({ event: ev.id })}` }, "Open the document"),
      ` ${doc.title || doc.path || ev.doc_id}`),
    h("div", { class: "toolbar" },
      ev.source ? h("button", { type: "button", onclick: () => showActor(ev.source) }, actorLabel(ev.source, ev.source_name)) : null,
      ev.target ? h("button", { type: "button", onclick: () => showActor(ev.target) }, actorLabel(ev.target, ev.target_name)) : null),
  );
}

// ---- event table ----------------------------------------------------------------------------------
function readEventParams(params) {
  state.filters = {};
  for (const k of FILTER_KEYS) {
    const vals = params.getAll(k).filter(Boolean);
    if (vals.length) state.filters[k] = vals.length > 1 ? vals : vals[0];
  }
  state.sort = params.get("sort") || "date";
  state.order = params.get("order") || "desc";
  state.page = Math.max(1, parseInt(params.get("page") || "1", 10));
  state.pageSize = parseInt(params.get("page_size") || String(state.pageSize), 10);
  const form = $("#event-form");
  for (const el of form.elements) {
    if (!el.name) continue;
    const v = state.filters[el.name];
    el.value = Array.isArray(v) ? v[0] : (v || "");
  }
  $("#page-size").value = String(state.pageSize);
}

function eventHash(overrides = {}) {
  return { ...state.filters, sort: state.sort, order: state.order, page: state.page, page_size: state.pageSize, ...overrides };
}

async function loadEvents() {
  const tbody = $("#event-table tbody");
  document.querySelectorAll("#event-table th[data-sort]").forEach((th) => {
    th.classList.toggle("sorted-asc", th.dataset.sort === state.sort && state.order === "asc");
    th.classList.toggle("sorted-desc", th.dataset.sort === state.sort && state.order === "desc");
  });
  for (const fmt of ["csv", "json", "gexf"]) {
    $(`#dl-${fmt}`).href = `/api/export?${query({ ...state.filters, sort: state.sort, order: state.order, format: fmt })}`;
  }
  let page;
  try {
    page = await api("events", { ...state.filters, sort: state.sort, order: state.order, page: state.page, page_size: state.pageSize });
  } catch (err) {
    fill(tbody, h("tr", {}, h("td", { colspan: 9, class: "error" }, err.message)));
    $("#event-count").textContent = "";
    return;
  }
  $("#event-count").textContent = `${page.total.toLocaleString()} events`;
  $("#page-info").textContent = `page ${page.page} of ${page.pages.toLocaleString()}`;
  $("#pager [data-page=prev]").disabled = page.page <= 1;
  $("#pager [data-page=next]").disabled = page.page >= page.pages;
  fill(tbody, ...page.items.map((ev) => h("tr", { "data-event": ev.id, onclick: () => showEvent(ev.id) },
    h("td", {}, ev.date || ""), h("td", {}, actorLabel(ev.source, ev.source_name)), h("td", {}, typeBadge(ev)),
    h("td", {}, actorLabel(ev.target, ev.target_name)), h("td", {}, ev.modality), h("td", {}, ev.mode || ""),
    h("td", {}, ev.loc_name || ""), h("td", {}, Number(ev.confidence).toFixed(2)),
    h("td", { class: "sentence" }, ev.text.length > 180 ? ev.text.slice(0, 180) + "…" : ev.text))));
  if (!page.items.length) fill(tbody, h("tr", {}, h("td", { colspan: 9, class: "hint" }, "No events match these filters.")));
}

async function submitEventForm(evt) {
  evt.preventDefault();
  const form = evt.target;
  const filters = {};
  for (const el of form.elements) {
    if (el.name && el.value.trim()) filters[el.name] = el.value.trim();
  }
  if (filters.actor) filters.actor = await resolveActor(filters.actor);
  if (filters.counterpart) filters.counterpart = await resolveActor(filters.counterpart);
  // keep filters the form does not show (location, document) unless the form was cleared
  for (const k of ["location", "doc_id", "source", "target"]) if (state.filters[k]) filters[k] = state.filters[k];
  state.filters = filters;
  state.page = 1;
  setHash("events", eventHash());
}

// ---- map ------------------------------------------------------------------------------------------
let worldPromise = null;
let mapCalls = 0;

async function loadMap() {
  if (!state.map) {
    state.map = window.L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 10 }).setView([25, 20], 2);
    state.map.attributionControl.setPrefix("Leaflet");
    state.map.attributionControl.addAttribution("Country outlines: Natural Earth via world-atlas");
    worldPromise = worldPromise || fetch("/static/vendor/world-atlas/countries-110m.json").then((r) => r.json());
    const world = await worldPromise;
    window.L.geoJSON(unwrapAntimeridian(window.topojson.feature(world, world.objects.countries)), {
      style: { color: "#9aa5b1", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false,
    }).addTo(state.map);
  }
  state.map.invalidateSize();
  // Two routes can overlap (a tab click and its hash change): only the latest call may draw,
  // and it replaces the layer only once its points have arrived, so markers are never doubled.
  const call = ++mapCalls;
  let points;
  try { points = await api("map", { ...state.filters }); } catch (err) { $("#map-note").textContent = err.message; return; }
  if (call !== mapCalls) return;
  if (state.mapLayer) state.mapLayer.remove();
  const active = Object.keys(state.filters).length;
  $("#map-note").textContent = `${points.length} places` + (active ? " for the current event filters (set them in Events)." : " (all events with coordinates).");
  const max = Math.max(1, ...points.map((p) => p.events));
  state.mapLayer = window.L.layerGroup(points.map((p) => {
    const share = p.conflict / Math.max(1, p.events);
    const colour = share > 0.5 ? NEG : POS;
    const popup = h("div", {}, h("b", {}, p.name || "?"), p.country ? ` (${p.country})` : "", h("br"),
      `${p.events} events: ${p.cooperation} cooperation, ${p.conflict} conflict`, h("br"),
      h("a", { href: `#events?${query({ ...state.filters, location: p.name })}` }, "Show events"));
    return window.L.circleMarker([p.lat, p.lon], { radius: 4 + 14 * Math.sqrt(p.events / max), color: colour, weight: 1, fillColor: colour, fillOpacity: 0.5 })
      .bindPopup(popup);
  })).addTo(state.map);
}

// Rings crossing the 180th meridian (Russia, Fiji, Antarctica) jump from +180 to -180 and
// would be drawn as bands across the map: keep each ring's longitudes continuous instead.
function unwrapAntimeridian(collection) {
  const ring = (coords) => {
    let shift = 0;
    return coords.map(([lon, lat], i) => {
      if (i > 0) {
        const prev = coords[i - 1][0];
        if (lon - prev > 180) shift -= 360; else if (prev - lon > 180) shift += 360;
      }
      return [lon + shift, lat];
    });
  };
  for (const f of collection.features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === "Polygon") g.coordinates = g.coordinates.map(ring);
    else if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((poly) => poly.map(ring));
  }
  return collection;
}

// ---- timeline -------------------------------------------------------------------------------------
async function loadTimeline(params) {
  const form = $("#timeline-form");
  for (const k of ["actor", "counterpart", "freq"]) if (params.get(k)) form[k].value = params.get(k);
  const box = $("#timeline");
  if (!params.get("actor")) { fill(box, h("p", { class: "hint" }, "Choose an actor (and optionally a counterpart).")); return; }
  let data;
  try { data = await api("timeline", { actor: params.get("actor"), counterpart: params.get("counterpart"), freq: params.get("freq") || "month" }); }
  catch (err) { showError(box, err); return; }
  fill(box, h("h3", {}, data.title), chart(data.points));
}

function chart(points) {
  const NS = "http://www.w3.org/2000/svg";
  const W = 900, H = 300, L = 40, B = 40, T = 10;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("width", "100%");
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e); return e;
  };
  if (!points.length) { el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "No events."); return svg; }
  const max = Math.max(1, ...points.map((p) => Math.max(p.cooperation, p.conflict)));
  const bw = (W - L - 10) / points.length;
  const y = (v) => H - B - (H - B - T) * (v / max);
  el("line", { x1: L, y1: H - B, x2: W - 10, y2: H - B, stroke: "#999" });
  for (const t of [0, Math.round(max / 2), max]) el("text", { x: L - 6, y: y(t) + 4, "text-anchor": "end" }, t);
  const every = Math.ceil(points.length / 12);
  points.forEach((p, i) => {
    const x = L + i * bw + bw * 0.1;
    const w = Math.max(1, bw * 0.38);
    el("rect", { x, y: y(p.cooperation), width: w, height: H - B - y(p.cooperation), fill: POS }).append(
      Object.assign(document.createElementNS(NS, "title"), { textContent: `${p.period}: ${p.cooperation} cooperation` }));
    el("rect", { x: x + w + 1, y: y(p.conflict), width: w, height: H - B - y(p.conflict), fill: NEG }).append(
      Object.assign(document.createElementNS(NS, "title"), { textContent: `${p.period}: ${p.conflict} conflict` }));
    if (i % every === 0) el("text", { x: x + w, y: H - B + 16, "text-anchor": "middle" }, p.period);
  });
  el("text", { x: L, y: H - 6 }, "green: cooperation events, red: conflict events");
  return svg;
}

// ---- documents ------------------------------------------------------------------------------------
async function loadDocuments(params) {
  const form = $("#documents-form");
  form.q.value = params.get("q") || "";
  const list = $("#doc-list");
  let page;
  try { page = await api("documents", { q: params.get("q"), page_size: 200 }); } catch (err) { showError(list, err); return; }
  fill(list, ...page.items.map(docItem));
  if (!page.items.length) fill(list, h("li", { class: "hint" }, "No documents."));
}

function docItem(d) {
  return h("li", {}, h("a", { href: `#doc/${encodeURIComponent(d.id)}` }, d.title || d.path || d.id),
    h("div", { class: "meta" }, [d.date, d.path, `${d.length} characters`, d.events !== undefined ? `${d.events} events` : null].filter(Boolean).join(" · ")));
}

async function openDocument(id, focusEvent) {
  const head = $("#doc-head"), body = $("#doc-text"), side = $("#doc-records");
  fill(body, h("p", { class: "hint" }, "Loading…"));
  let doc;
  try { doc = await api(`documents/${encodeURIComponent(id)}`); } catch (err) { showError(body, err); fill(side); fill(head); return; }
  const url = safeUrl(doc.url);
  fill(head, h("h1", { id: "doc-title" }, doc.title || doc.path || doc.id),
    h("div", { class: "meta" }, [doc.date, doc.path, `${doc.length} characters`, `id ${doc.id}`].filter(Boolean).join(" · "), " ",
      url ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, "source") : null));
  const spans = [];
  const recordSpans = new Map();   // record key -> span indices
  const add = (key, span) => { recordSpans.set(key, [...(recordSpans.get(key) || []), spans.length]); spans.push(span); };
  doc.mentions.forEach((m, i) => add(`m${i}`, { start: m.start, end: m.end, kind: "mention", label: `${m.actor_name || m.actor_id} (${m.how})` }));
  doc.events.forEach((e, i) => {
    add(`e${i}`, { start: e.trigger_start, end: e.trigger_end, kind: "trigger", label: `${e.type}: ${actorLabel(e.source, e.source_name)} → ${actorLabel(e.target, e.target_name)}` });
    doc.mentions.forEach((m, j) => {   // the event's own actors inside its sentence
      if (m.start >= e.start && m.end <= e.end && (m.actor_id === e.source || m.actor_id === e.target)) {
        recordSpans.set(`e${i}`, [...recordSpans.get(`e${i}`), ...recordSpans.get(`m${j}`)]);
      }
    });
  });
  doc.figures.forEach((f, i) => add(`f${i}`, { start: f.span_start, end: f.span_end, kind: "figure", label: `${f.category}: ${f.qualifier ? f.qualifier + " " : ""}${f.value ?? ""}` }));
  const { frag, marksOf } = highlight(doc.text, spans, (covering) => focusRecords(covering));
  fill(body, frag);
  const items = new Map();
  const focus = (key) => {
    document.querySelectorAll("#doc-text mark.focus").forEach((m) => m.classList.remove("focus"));
    document.querySelectorAll("#doc-records li.active").forEach((li) => li.classList.remove("active"));
    const marks = (recordSpans.get(key) || []).flatMap((k) => marksOf[k]);
    marks.forEach((m) => m.classList.add("focus"));
    if (marks[0]) marks[0].scrollIntoView({ block: "center" });
    items.get(key)?.classList.add("active");
  };
  function focusRecords(covering) {
    const key = [...recordSpans.entries()].find(([, idx]) => idx.includes(covering[0]))?.[0];
    if (key) focus(key);
    if (key?.startsWith("e")) showEvent(doc.events[Number(key.slice(1))].id);
  }
  const li = (key, children, onclick) => { const el = h("li", { "data-record": key, onclick }, children); items.set(key, el); return el; };
  fill(side,
    keyLegend(),
    h("h3", {}, `Events (${doc.events.length})`),
    h("ul", {}, doc.events.map((e, i) => li(`e${i}`, [typeBadge(e), ` ${actorLabel(e.source, e.source_name)} → ${actorLabel(e.target, e.target_name)}: “${e.trigger}”`],
      () => { focus(`e${i}`); showEvent(e.id); }))),
    h("h3", {}, `Actor mentions (${doc.mentions.length})`),
    h("ul", {}, doc.mentions.map((m, i) => li(`m${i}`, [`${m.text} → `, h("b", {}, m.actor_name || m.actor_id), ` (${m.how})`], () => focus(`m${i}`)))),
    h("h3", {}, `Figures (${doc.figures.length})`),
    h("ul", {}, doc.figures.map((f, i) => li(`f${i}`, `${f.category}: ${f.qualifier ? f.qualifier + " " : ""}${f.value ?? "?"}`, () => focus(`f${i}`)))),
  );
  if (focusEvent) {
    const i = doc.events.findIndex((e) => e.id === focusEvent);
    if (i >= 0) focus(`e${i}`);
  }
}

// ---- coding uploaded text --------------------------------------------------------------------------
async function submitCode(evt) {
  evt.preventDefault();
  const form = evt.target;
  const data = new FormData();
  if (form.title.value.trim()) data.append("title", form.title.value.trim());
  // Pasted text goes up as a file part: form fields are capped at 1 MB by the server's parser.
  if (form.text.value.trim()) data.append("files", new Blob([form.text.value], { type: "text/plain" }), "pasted text");
  for (const f of form.files.files) data.append("files", f, f.name);
  const box = $("#code-progress"), bar = box.querySelector("progress"), note = box.querySelector("span");
  const result = $("#code-result");
  box.hidden = false; bar.value = 0; note.className = ""; note.textContent = "Uploading…"; fill(result);
  let job;
  try {
    const res = await fetch("/api/code", { method: "POST", body: data, headers: { "X-Factions-Request": "1" } });
    job = await res.json();
    if (!res.ok) throw new Error(job.message || res.statusText);
  } catch (err) { note.className = "error"; note.textContent = err.message; return; }
  while (job.status === "queued" || job.status === "running") {
    bar.max = Math.max(1, job.total); bar.value = job.done;
    note.textContent = `${job.status}: ${job.done} of ${job.total} texts coded, ${job.events} events`;
    await new Promise((r) => setTimeout(r, 400));
    try { job = await api(`jobs/${job.id}`); } catch (err) { note.className = "error"; note.textContent = err.message; return; }
  }
  bar.value = bar.max;
  if (job.status === "error") { note.className = "error"; note.textContent = job.message; return; }
  note.textContent = `Done: ${job.done} texts, ${job.new_documents} new documents, ${job.events} events.`;
  fill(result, ...job.documents.map((id) => h("li", {}, h("a", { href: `#doc/${encodeURIComponent(id)}` }, `Document ${id}`))));
  loadMeta().catch(() => {});
}

// ---- wiring ---------------------------------------------------------------------------------------
function wire() {
  $("#event-form").addEventListener("submit", submitEventForm);
  $("#event-form").addEventListener("reset", () => { state.filters = {}; state.page = 1; setTimeout(() => setHash("events", eventHash()), 0); });
  document.querySelectorAll("#event-table th[data-sort]").forEach((th) => th.addEventListener("click", () => {
    state.order = state.sort === th.dataset.sort && state.order === "desc" ? "asc" : "desc";
    state.sort = th.dataset.sort; state.page = 1;
    setHash("events", eventHash());
  }));
  $("#pager").addEventListener("click", (evt) => {
    const dir = evt.target.dataset?.page;
    if (!dir) return;
    state.page = Math.max(1, state.page + (dir === "next" ? 1 : -1));
    setHash("events", eventHash());
  });
  $("#page-size").addEventListener("change", (evt) => { state.pageSize = parseInt(evt.target.value, 10); state.page = 1; setHash("events", eventHash()); });
  $("#network-form").addEventListener("submit", (evt) => {
    evt.preventDefault();
    const f = evt.target;
    Object.assign(state.network, { since: f.since.value, until: f.until.value, min_events: f.min_events.value || 1 });
    loadNetwork();
  });
  $("#timeline-form").addEventListener("submit", async (evt) => {
    evt.preventDefault();
    const f = evt.target;
    setHash("timeline", { actor: await resolveActor(f.actor.value.trim()), counterpart: await resolveActor(f.counterpart.value.trim()), freq: f.freq.value });
  });
  $("#documents-form").addEventListener("submit", (evt) => { evt.preventDefault(); setHash("documents", { q: evt.target.q.value.trim() }); });
  $("#code-form").addEventListener("submit", submitCode);
  window.addEventListener("hashchange", route);
}

wire();
loadMeta().catch((err) => { $("#status").textContent = err.message; }).finally(route);
