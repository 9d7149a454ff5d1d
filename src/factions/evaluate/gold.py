"""Gold-standard data: the records a coder is scored against, and the readers that load them.

Every reader turns one file format into a :class:`GoldSet` of :class:`GoldItem` (one text each,
with its expected events, actors and figures). Readers are registered by format name in
:data:`READERS`; :func:`read_gold` picks one by name or auto-detects the format:

* ``factions``   - the documented factions JSONL format (``docs/evaluation.md``)
* ``plover``     - PLOVER JSON records (a JSON array or JSONL; e.g. PLOVER_GSR_CAMEO),
                   read by :mod:`factions.evaluate.plover`
* ``petrarch``   - PETRARCH-2 unit-test XML with CAMEO ``<EventCoding>`` expectations
* ``cameo-class``- ``sentence<TAB>label`` CAMEO pentaclass files (ConfliBERT ``cameo_class``)
* ``conflibert-ner`` - CoNLL ``token TAG`` files with source/target/third-party spans
                   (ConfliBERT ``cameo_ner``), scored by :func:`factions.evaluate.score.score_spans`

A malformed gold file raises :class:`FactionsError` E500 naming the file and line.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable

from factions.data import load_csv
from factions.errors import FactionsError
from factions.model import MODALITIES, PLOVER_TYPES

#: PLOVER sector codes a gold actor may carry.
SECTORS: frozenset[str] = frozenset(
    "GOV MIL COP REB OPP PTY CVL JUD LEG SPY UAF PRM ELI BUS EDU MED LAB AGR JRN REF REL SOC CRM".split())
#: Non-state actor codes allowed in place of an ISO 3166 alpha-3 country.
NON_STATE: frozenset[str] = frozenset({"IGO", "NGO", "IMG", "MNC", "ISM"})
#: Older PLOVER / POLECAT event names and what they are called now.
OLD_TYPES: dict[str, str] = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
                             "FIGHT": "ASSAULT", "YIELD": "RETREAT"}
#: Non-ISO country codes used in older CAMEO-era gold files, and their ISO 3166 alpha-3 codes.
OLD_COUNTRIES: dict[str, str] = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "UAR": "EGY", "LEB": "LBN",
                                 "KUW": "KWT", "ZAM": "ZMB", "ZBW": "ZWE", "ROM": "ROU", "BUL": "BGR",
                                 "LTH": "LTU", "INS": "IDN", "NZE": "NZL", "IVO": "CIV", "PAL": "PSE"}
#: Sector spellings in older gold files (CAMEO religion/ethnic modifiers, typos).
OLD_SECTORS: dict[str, str] = {"CIV": "CVL", "MOS": "REL", "CHR": "REL", "HRI": "SOC", "NGM": "SOC"}
#: Figure categories, with the synonyms that gold files and coders use for them.
FIGURE_SYNONYMS: dict[str, str] = {
    "dead": "killed", "deaths": "killed", "death": "killed", "fatalities": "killed", "killed": "killed",
    "injured": "wounded", "wounded": "wounded", "injuries": "wounded", "hurt": "wounded",
    "arrested": "arrested", "detained": "arrested", "detentions": "arrested", "arrests": "arrested",
    "displaced": "displaced", "fled": "displaced", "refugees": "displaced", "missing": "missing",
    "abducted": "abducted", "kidnapped": "abducted", "hostages": "abducted",
}
#: Modality names accepted in gold files (PLOVER writes "negation" in its context field).
MODALITY_ALIASES: dict[str, str] = {"negation": "negated", "negative": "negated", "hypothetic": "hypothetical",
                                    "conditional": "hypothetical", "asserted": "asserted",
                                    "hypothetical": "hypothetical", "negated": "negated", "future": "future"}


@dataclass(slots=True)
class GoldActor:
    """An expected actor: the words that name it, and its country/non-state code and sector."""

    text: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(slots=True)
class GoldLocation:
    """Where an expected event or figure happened."""

    name: str
    country: str | None = None


@dataclass(slots=True)
class GoldEvent:
    """An expected PLOVER event.

    ``sources``/``targets`` are lists so compound actors ("France and Germany") stay one record,
    as PLOVER writes them; an empty list is a missing actor. ``reciprocal`` marks events whose
    sources act on each other (PLOVER's convention for talks and two-sided fighting: all parties
    are sources and there is no target).
    """

    type: str
    sources: list[GoldActor] = field(default_factory=list)
    targets: list[GoldActor] = field(default_factory=list)
    mode: str | None = None
    modality: str = "asserted"
    location: GoldLocation | None = None
    reciprocal: bool = False


@dataclass(slots=True)
class GoldFigure:
    """An expected claimed number ("at least 12 killed, the health ministry said")."""

    category: str
    value: int | None = None
    qualifier: str | None = None
    location: str | None = None
    attributed_to: str | None = None


@dataclass(slots=True)
class GoldSpan:
    """A marked stretch of a gold text: who acts (``source``), who is acted on (``target``), or
    a party of a two-sided event such as a meeting (``party``); ``start``/``end`` are character
    offsets into the item's text."""

    role: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class GoldItem:
    """One annotated text and everything expected from it."""

    id: str
    text: str
    date: str | None = None
    split: str | None = None
    events: list[GoldEvent] = field(default_factory=list)
    actors: list[GoldActor] | None = None       # None: the format does not annotate actors
    figures: list[GoldFigure] | None = None     # None: the format does not annotate figures
    label: int | None = None                    # CAMEO pentaclass (cameo-class format only)
    spans: list[GoldSpan] | None = None         # source/target/party spans (conflibert-ner only)


@dataclass(slots=True)
class GoldSet:
    """A gold file read into memory."""

    path: str
    format: str
    items: list[GoldItem]
    extra_actors: list[dict[str, Any]] | None = None   # actor dictionary the coder needs (petrarch)
    actors_complete: bool = True    # gold lists every named actor (False: only the events' actors)
    skipped: int = 0                                    # records left out, see ``notes``
    notes: list[str] = field(default_factory=list)

    @property
    def task(self) -> str:
        """``pentaclass`` for sentence-label files, ``spans`` for source/target span files,
        ``events`` for everything else."""
        return {"cameo-class": "pentaclass", "conflibert-ner": "spans"}.get(self.format, "events")


# --------------------------------------------------------------------------------------------
# normalisation shared by all readers
# --------------------------------------------------------------------------------------------

@cache
def _iso2_to_iso3() -> dict[str, str]:
    import pycountry
    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


def norm_type(value: str) -> str:
    """An event type in upper case with old PLOVER names mapped to current ones."""
    t = str(value).strip().upper()
    return OLD_TYPES.get(t, t)


def norm_country(value: Any) -> str | None:
    """An ISO 3166 alpha-3 (or non-state) code; ISO alpha-2 and old CAMEO codes are converted.

    Codes that are neither (fictional PETRARCH states such as ``ARN``) are kept as written, so a
    gold file and a coder using the same dictionary still agree.
    """
    if value is None:
        return None
    code = str(value).strip().upper()
    if not code or code in {"---", "***", "+++"}:
        return None
    if len(code) == 2:
        return _iso2_to_iso3().get(code, code)
    return OLD_COUNTRIES.get(code, code)


def norm_sector(value: Any) -> str | None:
    """A PLOVER primary sector code; secondary modifiers (``CVLalb``, ``REBMOS``) are dropped."""
    if value is None:
        return None
    code = str(value).strip()
    if not code or code.startswith("*"):
        return None
    primary = code[:3].upper()
    return OLD_SECTORS.get(primary, primary)


def norm_modality(value: Any) -> str:
    """One of :data:`MODALITIES`; unknown or empty values raise ``ValueError``."""
    m = MODALITY_ALIASES.get(str(value).strip().lower()) if value else "asserted"
    if m not in MODALITIES:
        raise ValueError(f"unknown modality {value!r} (known: {', '.join(MODALITIES)})")
    return m


def norm_figure_category(value: str) -> str:
    """A figure category with its synonyms folded (``dead`` -> ``killed``)."""
    c = str(value).strip().lower()
    return FIGURE_SYNONYMS.get(c, c)


def gold_error(path: str | Path, detail: str, line: int | None = None) -> FactionsError:
    where = f"line {line}: " if line is not None else ""
    return FactionsError("E500", path=str(path), detail=f"{where}{detail}")


# --------------------------------------------------------------------------------------------
# reader registry
# --------------------------------------------------------------------------------------------

Reader = Callable[[Path], GoldSet]
Detector = Callable[[Path, str], bool]

#: format name -> (reader, detector). Detectors get the path and the file's first 4 KB.
READERS: dict[str, tuple[Reader, Detector]] = {}


def register(name: str, detect: Detector) -> Callable[[Reader], Reader]:
    """Decorator registering a gold reader under ``name`` with its format detector."""
    def wrap(fn: Reader) -> Reader:
        READERS[name] = (fn, detect)
        return fn
    return wrap


def detect_format(path: str | Path) -> str:
    """The name of the reader that recognises ``path`` (E500 when none does)."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig", errors="replace") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise gold_error(p, f"cannot read: {exc.strerror or exc}") from exc
    for name, (_, detect) in READERS.items():
        if detect(p, head):
            return name
    raise gold_error(p, f"unknown gold format (known: {', '.join(READERS)})")


def read_gold(path: str | Path, fmt: str | None = None) -> GoldSet:
    """Read a gold file in format ``fmt`` (auto-detected when None)."""
    p = Path(path)
    if not p.is_file():
        raise gold_error(p, "file not found")
    name = fmt or detect_format(p)
    if name not in READERS:
        raise gold_error(p, f"unknown gold format '{name}' (known: {', '.join(READERS)})")
    return READERS[name][0](p)


# --------------------------------------------------------------------------------------------
# factions JSONL
# --------------------------------------------------------------------------------------------

def is_factions(path: Path, head: str) -> bool:
    first = head.lstrip().split("\n", 1)[0]
    return first.startswith("{") and '"text"' in first and ('"events"' in first or '"actors"' in first)


def _actor(obj: Any, what: str) -> GoldActor:
    if isinstance(obj, str):
        return GoldActor(text=obj)
    if not isinstance(obj, dict):
        raise ValueError(f"{what} must be an object with text/country/sector, got {type(obj).__name__}")
    sector = obj.get("sector")
    if sector is not None and norm_sector(sector) not in SECTORS:
        raise ValueError(f"{what}: unknown sector {sector!r}")
    if not (obj.get("text") or obj.get("country")):
        raise ValueError(f"{what} needs a text or a country")
    return GoldActor(text=obj.get("text"), country=norm_country(obj.get("country")), sector=norm_sector(sector))


def _actors(obj: Any, what: str) -> list[GoldActor]:
    if obj is None or obj == "" or obj == []:
        return []
    items = obj if isinstance(obj, list) else [obj]
    return [_actor(a, what) for a in items]


def parse_location(obj: Any) -> GoldLocation | None:
    if not obj:
        return None
    if isinstance(obj, str):
        return GoldLocation(name=obj)
    if not isinstance(obj, dict) or not obj.get("name"):
        raise ValueError("location must be a string or an object with a name")
    country = obj.get("country") or obj.get("country code") or obj.get("countryCode")
    return GoldLocation(name=str(obj["name"]), country=norm_country(country))


def parse_factions_item(obj: Any) -> GoldItem:
    """Validate and convert one factions gold JSON object (``ValueError`` says what is wrong)."""
    if not isinstance(obj, dict):
        raise ValueError("each line must be a JSON object")
    for key in ("id", "text"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            raise ValueError(f"missing or empty '{key}'")
    events = []
    for i, ev in enumerate(obj.get("events") or [], 1):
        if not isinstance(ev, dict):
            raise ValueError(f"event {i} must be an object")
        etype = norm_type(ev.get("type", ""))
        if etype not in PLOVER_TYPES:
            raise ValueError(f"event {i}: unknown type {ev.get('type')!r}")
        sources = _actors(ev.get("source"), f"event {i} source")
        events.append(GoldEvent(
            type=etype, sources=sources, targets=_actors(ev.get("target"), f"event {i} target"),
            mode=(ev.get("mode") or None), modality=norm_modality(ev.get("modality")),
            location=parse_location(ev.get("location")), reciprocal=bool(ev.get("reciprocal", False))))
        if events[-1].reciprocal and (len(sources) < 2 or events[-1].targets):
            raise ValueError(f"event {i}: a reciprocal event needs 2+ sources and no target")
    actors = [_actor(a, f"actor {i}") for i, a in enumerate(obj.get("actors") or [], 1)]
    figures = []
    for i, f in enumerate(obj.get("figures") or [], 1):
        if not isinstance(f, dict) or not f.get("category"):
            raise ValueError(f"figure {i} needs a category")
        value = f.get("value")
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError(f"figure {i}: value must be an integer or null, got {value!r}")
        figures.append(GoldFigure(category=norm_figure_category(f["category"]), value=value,
                                  qualifier=f.get("qualifier"), location=f.get("location"),
                                  attributed_to=f.get("attributed_to")))
    return GoldItem(id=obj["id"], text=obj["text"], date=obj.get("date"), split=obj.get("split"),
                    events=events, actors=actors, figures=figures)


@register("factions", is_factions)
def read_factions(path: Path) -> GoldSet:
    """The factions gold format: one JSON object per line (see ``docs/evaluation.md``)."""
    items: list[GoldItem] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = parse_factions_item(json.loads(line))
            except json.JSONDecodeError as exc:
                raise gold_error(path, f"invalid JSON: {exc.msg}", n) from exc
            except ValueError as exc:
                raise gold_error(path, str(exc), n) from exc
            if item.id in seen:
                raise gold_error(path, f"duplicate id {item.id!r}", n)
            seen.add(item.id)
            items.append(item)
    if not items:
        raise gold_error(path, "no gold items")
    return GoldSet(path=str(path), format="factions", items=items)


def event_actors(events: list[GoldEvent]) -> list[GoldActor]:
    """The distinct actors of a text's gold events (by country, sector and text)."""
    seen: dict[tuple[Any, ...], GoldActor] = {}
    for ev in events:
        for a in ev.sources + ev.targets:
            seen.setdefault((a.country, a.sector, (a.text or "").lower()), a)
    return list(seen.values())


# --------------------------------------------------------------------------------------------
# CAMEO -> PLOVER mapping, PETRARCH-2 unit-test XML and dictionaries
# --------------------------------------------------------------------------------------------

@cache
def cameo_table() -> dict[str, tuple[str, str | None]]:
    """``data/cameo_plover.csv`` as CAMEO code prefix -> (PLOVER type or "" for none, mode)."""
    return {r["cameo"].strip(): (r["plover"].strip(), (r.get("mode") or "").strip() or None)
            for r in load_csv("cameo_plover.csv")}


def cameo_to_plover(code: str) -> tuple[str | None, str | None] | None:
    """Map a CAMEO event code to ``(PLOVER type, mode)`` by its longest listed prefix.

    Returns ``(None, None)`` for CAMEO codes that PLOVER does not code (01/02 statements and
    appeals) and ``None`` for codes that are not CAMEO at all (the root is outside 01-20).
    """
    c = re.sub(r"[^0-9]", "", str(code))
    if len(c) < 2 or not 1 <= int(c[:2]) <= 20:
        return None
    table = cameo_table()
    for n in range(len(c), 1, -1):
        if c[:n] in table:
            plover, mode = table[c[:n]]
            return (plover or None, mode if plover else None)
    return None


def cameo_pentaclass(code: str) -> int | None:
    """CAMEO PentaClass of a CAMEO code as the Phoenix pipeline assigns its ``quad_class``
    (openeventdata/phoenix_pipeline ``postprocess.py``): 0 statement/appeal (01-02), 1 verbal
    cooperation (03-05), 2 material cooperation (06-08), 3 verbal conflict (09-13 and 16 "reduce
    relations"), 4 material conflict (14, 15, 17-20). ConfliBERT's ``cameo_class`` labels follow
    it: sanctions, expulsions, cut aid and cancelled visits are class 3 there."""
    c = re.sub(r"[^0-9]", "", str(code))
    if len(c) < 2 or not 1 <= int(c[:2]) <= 20:
        return None
    root = int(c[:2])
    if root == 16:
        return 3
    return 0 if root <= 2 else 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def _is_petrarch(path: Path, head: str) -> bool:
    return "<Validation" in head or ("<Sentences" in head and "<EventCoding" in head)


def _petrarch_actor(code: str) -> GoldActor:
    country, sector = _split_code(code)
    return GoldActor(text=None, country=norm_country(country), sector=sector)


@register("petrarch", _is_petrarch)
def read_petrarch(path: Path) -> GoldSet:
    """PETRARCH-2 unit-test records with CAMEO ``<EventCoding>`` mapped to PLOVER.

    Sentences whose expectations are errors (bad parses, discards, datelines) are skipped, and
    so are sentences with a non-CAMEO code (the suite still carries WEIS-era codes such as
    ``224`` or ``903``). ``noevents`` sentences and sentences with only 01/02 codes are kept as
    texts with no PLOVER event. The validation dictionaries next to the file
    (``PETR.Validate.actors.txt`` and ``.agents.txt``) become the set's ``extra_actors``.
    """
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise gold_error(path, f"invalid XML: {exc}", exc.position[0]) from exc
    items: list[GoldItem] = []
    skipped = {"error": 0, "non-CAMEO code": 0}
    for sent in root.iter("Sentence"):
        sid = sent.get("id", "")
        text = " ".join((sent.findtext("Text") or "").split())
        if not text:
            continue
        codings = sent.findall("EventCoding")
        if any(c.get("error") for c in codings):
            skipped["error"] += 1
            continue
        events: list[GoldEvent] = []
        bad = False
        for c in codings:
            if c.get("noevents"):
                continue
            mapped = cameo_to_plover(c.get("eventcode", ""))
            if mapped is None:
                bad = True
                break
            ptype, mode = mapped
            if ptype is None:
                continue
            tcode = c.get("targetcode", "")
            events.append(GoldEvent(type=ptype, sources=[_petrarch_actor(c.get("sourcecode", ""))],
                                    targets=[_petrarch_actor(tcode)] if tcode and tcode != "---" else [],
                                    mode=mode))
        if bad:
            skipped["non-CAMEO code"] += 1
            continue
        date = sent.get("date", "")
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if re.fullmatch(r"\d{8}", date) else None
        items.append(GoldItem(id=sid, text=text, date=iso, events=events))
    if not items:
        raise gold_error(path, "no <Sentence> records")
    extra = None
    actors_file = path.parent / "PETR.Validate.actors.txt"
    if actors_file.is_file():
        extra = read_petrarch_actors(actors_file)
        agents_file = path.parent / "PETR.Validate.agents.txt"
        if agents_file.is_file():
            extra += read_petrarch_agents(agents_file)
    notes = [f"{n} sentence(s) skipped: {why}" for why, n in skipped.items() if n]
    notes.append("expected codes come from the PETRARCH validation dictionaries, many of them WEIS rather "
                 "than CAMEO codes, so event types are indicative only; 'actors only' scores who-did-to-whom")
    return GoldSet(path=str(path), format="petrarch", items=items, extra_actors=extra,
                   skipped=sum(skipped.values()), notes=notes)


_SMALL_WORDS = frozenset({"THE", "OF", "AND", "FOR", "DE", "LA", "AL", "BIN", "VON", "VAN", "DEL"})


def _dict_phrase(raw: str) -> str:
    """A PETRARCH dictionary phrase as plain words: ``UNITED_STATES_`` -> ``United States``.

    Short words that are not function words stay upper case, as acronyms (``U.N.``, ``PLO``).
    """
    words = raw.strip().strip("+").replace("_", " ").split()
    return " ".join(w if (len(w.strip(".")) <= 3 and w.upper() not in _SMALL_WORDS) or "." in w
                    else w.capitalize() for w in words)


def _split_code(code: str) -> tuple[str | None, str | None]:
    """A CAMEO-style actor code as (country, PLOVER sector): ``PSEHMSGOV`` -> (``PSE``, ``GOV``).

    The sector is the first three-letter block after the country that is a PLOVER sector; agent
    codes (``~GOV``) and placeholders (``---``) have no country.
    """
    code = code.strip().upper().split("/")[0]
    if not code or code[0] in "-+#*~":
        return None, None
    blocks = [code[i:i + 3] for i in range(3, len(code), 3)]
    sector = next((norm_sector(b) for b in blocks if norm_sector(b) in SECTORS), None)
    return code[:3], sector


def read_petrarch_actors(path: str | Path) -> list[dict[str, Any]]:
    """A PETRARCH actors dictionary as factions ``extra_actors`` dicts (actors.yaml format).

    Each entry (``NAME [CODE]`` with ``+SYNONYM`` lines) becomes ``{id, name, kind, country,
    sector, aliases}``; the country is the code's first three letters and the sector the next
    three when they are a PLOVER sector. Date-restricted entries use their undated code, else the last.
    """
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    text = re.sub(r"<!--.*?-->", "", Path(path).read_text(encoding="utf-8", errors="replace"), flags=re.S)
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("<"):
            continue
        codes = [c.split() for c in re.findall(r"\[([^\]]*)\]", line) if c.split()]
        head = re.sub(r"\[[^\]]*\]", "", line).strip()
        if line[:1].isspace() or (not head and codes):      # an indented (dated) code line
            if current is not None:
                current["_codes"].extend(codes)
            continue
        if head.startswith("+"):
            if current is not None:
                current["aliases"].append(_dict_phrase(head))
            continue
        current = {"name": _dict_phrase(head), "aliases": [], "_codes": codes}
        entries.append(current)
    out = []
    for e in entries:
        codes = e.pop("_codes")
        if not codes:
            continue
        undated = [c[0] for c in codes if len(c) == 1]
        country, sector = _split_code(undated[0] if undated else codes[-1][0])
        if country is None:
            continue
        out.append({"id": f"petr-{re.sub(r'[^a-z0-9]+', '-', e['name'].lower()).strip('-')}",
                    "name": e["name"], "kind": "state" if sector is None else "organization",
                    "country": norm_country(country), "sector": sector, "aliases": e["aliases"]})
    return out


def read_petrarch_agents(path: str | Path) -> list[dict[str, Any]]:
    """A PETRARCH agents dictionary (``PRESIDENT [~GOV]``) as ``extra_actors`` dicts of kind
    ``agent``: no country, the sector the agent code gives, plural forms in ``{}`` as aliases."""
    out = []
    text = re.sub(r"<!--.*?-->", "", Path(path).read_text(encoding="utf-8", errors="replace"), flags=re.S)
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^([^\[\]{}!=]+?)\s*(\{[^}]*\})?\s*\[\s*([^\]]*)\]", line)
        if not m:
            continue
        sector = norm_sector(m.group(3).replace("~", "").strip()[:3])
        if sector not in SECTORS:
            continue
        name = _dict_phrase(m.group(1))
        plural = (m.group(2) or "{}").strip("{} ")
        aliases = [_dict_phrase(plural)] if plural else [name if name.endswith("s") else name + "s"]
        out.append({"id": f"petr-agent-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}", "name": name,
                    "kind": "agent", "country": None, "sector": sector, "aliases": aliases})
    return out


# --------------------------------------------------------------------------------------------
# CAMEO pentaclass TSV (ConfliBERT cameo_class)
# --------------------------------------------------------------------------------------------

def _is_cameo_class(path: Path, head: str) -> bool:
    lines = [ln for ln in head.splitlines()[:5] if ln.strip()]
    return bool(lines) and all(re.search(r"\t[0-4]\s*$", ln) for ln in lines[:-1] or lines)


@register("cameo-class", _is_cameo_class)
def read_cameo_class(path: Path) -> GoldSet:
    """``sentence<TAB>label`` lines, label 0-4 = CAMEO PentaClass (see :func:`cameo_pentaclass`)."""
    items = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or not "".join(row).strip():
                continue
            if len(row) < 2 or row[-1].strip() not in {"0", "1", "2", "3", "4"}:
                raise gold_error(path, "expected 'sentence<TAB>label' with a label 0-4", n)
            items.append(GoldItem(id=f"{path.stem}-{n}", text="\t".join(row[:-1]).strip(),
                                  label=int(row[-1].strip())))
    if not items:
        raise gold_error(path, "no sentences")
    return GoldSet(path=str(path), format="cameo-class", items=items)


# --------------------------------------------------------------------------------------------
# CoNLL source/target spans (ConfliBERT cameo_ner)
# --------------------------------------------------------------------------------------------

#: CoNLL span tag letter -> :class:`GoldSpan` role.
SPAN_ROLES: dict[str, str] = {"S": "source", "T": "target", "R": "party"}
_NER_LINE = re.compile(r"^\S+ (?:O|[BI]-[STR])$")
#: Tokens written without a space before them / after them when a tokenised sentence is joined.
_GLUE_BEFORE = frozenset({".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "\u201d", "'s", "\u2019s", "n't",
                          "'re", "'ve", "'ll", "'d", "'m"})
_GLUE_AFTER = frozenset({"(", "[", "{", "$", "\u20ac", "\u00a3", "\u201c", "``"})
_APOSTROPHES = frozenset({"'", "\u2019", "\u00b4", "`"})
_CLITICS = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join CoNLL tokens into a news-like sentence for the parser, with each token's character
    offsets: no space before closing punctuation and clitics (``government 's`` -> ``government's``,
    ``Baghdad \u2019 s`` -> ``Baghdad\u2019s``), none after opening brackets, quotes and currency
    signs, none around a hyphen (``rebel - held`` -> ``rebel-held``); straight double quotes
    alternate between opening and closing."""
    out: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    glue_next = False
    open_quote = False
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        prev = tokens[i - 1] if i else ""
        glue = glue_next or not out or tok in _GLUE_BEFORE or tok == "-"
        glue_next = tok in _GLUE_AFTER or tok == "-"
        if tok in _APOSTROPHES and nxt.lower() in _CLITICS and prev:
            glue, glue_next = True, True
        elif tok.lower() in _CLITICS and prev in _APOSTROPHES and i >= 2:
            glue = True
        if tok == '"':
            if open_quote:
                glue = True
            else:
                glue_next = True
            open_quote = not open_quote
        if not glue:
            out.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        out.append(tok)
        pos += len(tok)
    return "".join(out), offsets


def _is_conflibert_ner(path: Path, head: str) -> bool:
    lines = [ln.rstrip("\r") for ln in head.split("\n")[:-1] if ln.strip()][:20]
    return len(lines) >= 2 and all(_NER_LINE.match(ln) for ln in lines)


@register("conflibert-ner", _is_conflibert_ner)
def read_conflibert_ner(path: Path) -> GoldSet:
    """CoNLL ``token TAG`` lines, a blank line between sentences; tags ``B-``/``I-`` + ``S``
    (source), ``T`` (target) or ``R`` (a party of a two-sided event), or ``O``. Each sentence
    becomes one item whose text is the tokens joined by :func:`detokenize` and whose ``spans``
    carry character offsets into that text. An ``I-`` tag without a ``B-`` before it starts a span."""
    items: list[GoldItem] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        if not tokens:
            return
        text, offsets = detokenize([t for t, _ in tokens])
        spans: list[GoldSpan] = []
        current: tuple[str, int, int] | None = None     # role, start, end
        for (tok, tag), (s, e) in zip(tokens, offsets):
            kind, _, letter = tag.partition("-")
            if kind == "I" and current is not None and current[0] == SPAN_ROLES[letter]:
                current = (current[0], current[1], e)
                continue
            if current is not None:
                spans.append(GoldSpan(current[0], current[1], current[2], text[current[1]:current[2]]))
                current = None
            if kind in ("B", "I"):
                current = (SPAN_ROLES[letter], s, e)
        if current is not None:
            spans.append(GoldSpan(current[0], current[1], current[2], text[current[1]:current[2]]))
        items.append(GoldItem(id=f"{path.stem}-{len(items) + 1}", text=text, spans=spans))
        tokens.clear()

    with path.open(encoding="utf-8-sig") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            if not _NER_LINE.match(line):
                raise gold_error(path, "expected 'token TAG' with TAG O, B-S, I-S, B-T, I-T, B-R or I-R", n)
            tok, tag = line.rsplit(" ", 1)
            tokens.append((tok, tag))
    flush()
    if not items:
        raise gold_error(path, "no sentences")
    notes = ["S = source, T = target, R = party of a two-sided event (scored as 'parties'); sentences "
             "are rebuilt from the tokens for the parser"]
    return GoldSet(path=str(path), format="conflibert-ner", items=items, notes=notes)


# The PLOVER reader lives with the rest of the PLOVER interchange code; importing it registers it.
from factions.evaluate import plover as _plover  # noqa: E402,F401
