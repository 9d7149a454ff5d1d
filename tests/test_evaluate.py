"""Tests for factions.evaluate: gold readers, the scorer (exact numbers), PLOVER interchange, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factions.errors import FactionsError
from factions.evaluate.gold import (GoldActor, GoldEvent, GoldFigure, GoldItem, GoldLocation, GoldSet, GoldSpan,
                                    cameo_pentaclass, cameo_to_plover, detect_format, detokenize, read_gold,
                                    read_petrarch_actors, read_petrarch_agents)
from factions.evaluate.plover import from_plover, to_plover
from factions.evaluate.score import event_role_spans, score_events, score_pentaclass, score_spans
from factions.model import PLOVER_TYPES, Actor, CodedDocument, Document, Event, Figure, Location, Mention

EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "external"
SCORES = {"ASSAULT": -9.3, "COERCE": -7.2, "PROTEST": -6.6, "ACCUSE": -2.0, "CONSULT": 2.1, "AID": 7.4}


# --------------------------------------------------------------------------------------------
# helpers: hand-built predictions
# --------------------------------------------------------------------------------------------

def actor(aid: str, country: str | None, sector: str | None = None, name: str | None = None) -> Actor:
    return Actor(id=aid, name=name or aid, country=country, sector=sector)


def event(etype: str, source: str | None, target: str | None = None, modality: str = "asserted",
          mode: str | None = None, location: str | None = None) -> Event:
    return Event(id=f"{etype}-{source}-{target}-{modality}", doc_id="d", type=etype, source=source, target=target,
                 mode=mode, modality=modality, location=Location(location) if location else None)


def coded(text: str, actors: list[Actor], events: list[Event], figures: list[Figure] | None = None,
          mentions: list[Mention] | None = None) -> CodedDocument:
    return CodedDocument(Document.from_text(text), actors, mentions or [], events, figures or [])


def ga(country: str | None, sector: str | None = None, text: str | None = None) -> GoldActor:
    return GoldActor(text=text or country, country=country, sector=sector)


def gold_set(*items: GoldItem, complete: bool = True) -> GoldSet:
    return GoldSet(path="mem", format="factions", items=list(items), actors_complete=complete)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------------------------
# scorer: exact precision / recall / F1
# --------------------------------------------------------------------------------------------

def test_event_scores_exact() -> None:
    item = GoldItem(id="g1", text="t1", events=[
        GoldEvent("ASSAULT", [ga("ISR", "MIL")], [ga("PSE", "REB")], mode="aerial", location=None),
        GoldEvent("CONSULT", [ga("FRA", "GOV")], [ga("DEU", "GOV")]),
        GoldEvent("ASSAULT", [ga("RUS", "MIL")], [ga("UKR", "MIL")], modality="hypothetical"),
    ], actors=[], figures=[])
    acts = [actor("isr", "ISR", "MIL"), actor("pse", "PSE", "REB"), actor("fra", "FRA", "GOV"),
            actor("ita", "ITA", "GOV"), actor("rus", "RUS", "MIL"), actor("ukr", "UKR", "MIL")]
    preds = [event("ASSAULT", "isr", "pse", mode="aerial"),      # right
             event("CONSULT", "fra", "ita"),                      # wrong target
             event("ASSAULT", "rus", "ukr"),                      # hypothetical reported as asserted
             event("PROTEST", "fra")]                             # invented
    r = score_events(gold_set(item), [coded("t1", acts, preds)])
    ev = r["events"]
    assert ev["type"] == {"tp": 2, "fp": 2, "fn": 0, "precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert ev["dyad"] == {"tp": 1, "fp": 3, "fn": 1, "precision": 0.25, "recall": 0.5, "f1": 0.3333}
    assert ev["strict"]["tp"] == 1
    assert ev["actors"] == {"tp": 1, "fp": 3, "fn": 1, "precision": 0.25, "recall": 0.5, "f1": 0.3333}
    assert ev["per_type"]["ASSAULT"] == {"tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert ev["per_type"]["CONSULT"]["fp"] == 1 and ev["per_type"]["CONSULT"]["fn"] == 1
    assert ev["per_type"]["PROTEST"] == {"tp": 0, "fp": 1, "fn": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert ev["per_modality"]["hypothetical"]["fn"] == 1
    me = r["modality_errors"]
    assert (me["gold_non_asserted"], me["reported_as_asserted"], me["rate"]) == (1, 1, 1.0)
    assert r["modes"]["tp"] == 1 and r["modes"]["f1"] == 1.0
    assert r["misses_total"] == 1 and r["false_alarms_total"] == 3
    notes = {fa["type"]: fa["note"] for fa in r["false_alarms"]}
    assert notes["ASSAULT"] == "the text says it is hypothetical"
    assert notes["CONSULT"].startswith("gold has FRA GOV")
    assert r["misses"][0]["note"].startswith("predicted FRA GOV")


def test_a_role_error_on_an_asserted_event_is_no_modality_error() -> None:
    # the prediction is the asserted Iranian rejection with its target missed, not the
    # future Russian one
    item = GoldItem(id="g", text="t", events=[
        GoldEvent("REJECT", [ga("IRN", "GOV")], [ga("FRA", "GOV")]),
        GoldEvent("REJECT", [ga("RUS", "GOV")], [ga("FRA", "GOV")], modality="future"),
    ], actors=[], figures=[])
    acts = [actor("irn", "IRN", "GOV")]
    r = score_events(gold_set(item), [coded("t", acts, [event("REJECT", "irn")])])
    assert r["modality_errors"]["reported_as_asserted"] == 0
    assert r["false_alarms"][0]["note"].startswith("gold has IRN GOV")
    # an asserted event whose source matches only the imagined one still counts
    r = score_events(gold_set(item), [coded("t", [actor("rus", "RUS", "GOV")], [event("REJECT", "rus")])])
    assert r["modality_errors"]["reported_as_asserted"] == 1


def test_strict_level_requires_sector() -> None:
    item = GoldItem(id="g", text="t", events=[GoldEvent("ASSAULT", [ga("ISR", "MIL")], [])])
    r = score_events(gold_set(item), [coded("t", [actor("isr", "ISR", "GOV")], [event("ASSAULT", "isr")])])
    assert r["events"]["dyad"]["tp"] == 1
    assert r["events"]["strict"] == {"tp": 0, "fp": 1, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_missing_target_matches_only_missing_target() -> None:
    item = GoldItem(id="g", text="t", events=[GoldEvent("PROTEST", [ga("KEN", "CVL")], [])])
    acts = [actor("ken", "KEN", "CVL"), actor("gov", "KEN", "GOV")]
    assert score_events(gold_set(item), [coded("t", acts, [event("PROTEST", "ken")])])["events"]["dyad"]["tp"] == 1
    assert score_events(gold_set(item), [coded("t", acts, [event("PROTEST", "ken", "gov")])])["events"]["dyad"]["tp"] == 0


def test_compound_and_reciprocal_actors() -> None:
    compound = GoldItem(id="c", text="c", events=[GoldEvent("ACCUSE", [ga("FRA"), ga("DEU")], [ga("RUS")])])
    acts = [actor("fra", "FRA", "GOV"), actor("deu", "DEU", "GOV"), actor("rus", "RUS", "GOV")]
    r = score_events(gold_set(compound), [coded("c", acts, [event("ACCUSE", "fra", "rus")])])
    assert r["events"]["dyad"] == {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f1": 0.6667}

    talks = GoldItem(id="r", text="r", events=[GoldEvent("CONSULT", [ga("ISR"), ga("LBN")], [], reciprocal=True)])
    acts = [actor("isr", "ISR", "GOV"), actor("lbn", "LBN", "GOV")]
    both = [event("CONSULT", "isr", "lbn"), event("CONSULT", "lbn", "isr")]
    assert score_events(gold_set(talks), [coded("r", acts, both)])["events"]["dyad"]["f1"] == 1.0
    one = score_events(gold_set(talks), [coded("r", acts, [event("CONSULT", "isr", None)])])["events"]["dyad"]
    assert (one["tp"], one["fp"], one["fn"]) == (1, 0, 1)


def test_actor_without_country_matches_by_name() -> None:
    item = GoldItem(id="g", text="t", events=[
        GoldEvent("ACCUSE", [GoldActor(text="Western governments", sector="GOV")], [ga("RUS")])])
    acts = [actor("w", None, "GOV", name="western governments"), actor("k", "RUS", "GOV", name="Kremlin")]
    r = score_events(gold_set(item), [coded("t", acts, [event("ACCUSE", "w", "k")])])
    assert r["events"]["strict"]["tp"] == 1
    other = [actor("w", None, "GOV", name="the protesters"), acts[1]]
    assert score_events(gold_set(item), [coded("t", other, [event("ACCUSE", "w", "k")])])["events"]["dyad"]["tp"] == 0


def test_negated_event_not_reported_is_no_error_and_hedged_miss_is_counted() -> None:
    item = GoldItem(id="g", text="t", events=[
        GoldEvent("COERCE", [ga("GEO", "COP")], [], modality="negated"),
        GoldEvent("CONSULT", [ga("PRK")], [ga("KOR")])])
    acts = [actor("p", "PRK", "GOV"), actor("k", "KOR", "GOV")]
    r = score_events(gold_set(item), [coded("t", acts, [event("CONSULT", "p", "k", modality="future")])])
    assert r["modality_errors"]["reported_as_asserted"] == 0
    assert r["modality_errors"]["asserted_reported_as"] == {"future": 1}
    assert r["misses"][0]["note"] == "reported as future"


def test_actor_resolution_figures_and_locations() -> None:
    item = GoldItem(id="g", text="t",
                    events=[GoldEvent("ASSAULT", [ga("ISR", "MIL")], [], location=GoldLocation("Rafah", "PSE"))],
                    actors=[ga("ISR", "MIL", "Israeli warplanes"), ga("PSE", "GOV", "health ministry")],
                    figures=[GoldFigure("killed", 12, "at least", "Rafah", "health ministry")])
    acts = [actor("isr", "ISR", "MIL"), actor("hm", "PSE", "GOV", name="Gaza health ministry"),
            actor("x", "EGY", "GOV")]
    figs = [Figure("f1", "d", "dead", 12, "at least", attributed_to="hm"), Figure("f2", "d", "wounded", None, "dozens")]
    r = score_events(gold_set(item), [coded("t", acts, [event("ASSAULT", "isr", location="Rafah")], figs)])
    assert r["actors"]["country"] == {"tp": 2, "fp": 1, "fn": 0, "precision": 0.6667, "recall": 1.0, "f1": 0.8}
    assert r["figures"]["tp"] == 1 and r["figures"]["fp"] == 1 and r["figures"]["fn"] == 0
    assert r["figures"]["attribution"] == {"correct": 1, "scored": 1, "accuracy": 1.0}
    assert r["locations"]["tp"] == 1


def test_pentaclass_scores_exact() -> None:
    items = [GoldItem(id=str(i), text=f"s{i}", label=lab) for i, lab in enumerate([4, 1, 0, 3])]
    gs = GoldSet(path="mem", format="cameo-class", items=items)
    acts = [actor("a", "USA", "GOV"), actor("b", "IRQ", "GOV")]
    docs = [coded("s0", acts, [event("CONSULT", "a", "b"), event("ASSAULT", "a", "b")]),   # strongest: ASSAULT -> 4
            coded("s1", acts, []),                                                         # none
            coded("s2", acts, []),                                                         # none (class 0)
            coded("s3", acts, [event("ACCUSE", "a", "b", modality="negated")])]            # only non-asserted
    r = score_pentaclass(gs, docs, SCORES)
    assert r["none_own_outcome"]["accuracy"] == 0.25
    assert r["none_as_class_0"]["accuracy"] == 0.5
    assert r["confusion"]["1"] == {"none": 1}
    assert r["none_own_outcome"]["per_class"]["4 material conflict"]["f1"] == 1.0
    # a future cooperative event stands for CAMEO 03 (intent to cooperate, class 1)
    docs[1] = coded("s1", acts, [event("CONSULT", "a", "b", modality="future")])
    r = score_pentaclass(gs, docs, SCORES)
    assert r["none_own_outcome"]["accuracy"] == 0.25 and r["future_as_intent"]["accuracy"] == 0.5


# --------------------------------------------------------------------------------------------
# source / target spans (ConfliBERT cameo_ner): reader and scorer
# --------------------------------------------------------------------------------------------

NER_SAMPLE = """Iraqi B-S
troops I-S
attacked O
the B-T
Kurds I-T
' O
s O
positions O
. O

Turkey B-S
condemned O
Russia B-T
's I-T
air I-T
strikes I-T
( O
reports O
) O
. O

Erdogan B-R
will O
meet O
Vladimir B-R
Putin I-R
in O
the O
rebel O
- O
held O
city O
. O

Protesters B-S
marched O
. O
"""


def test_conflibert_ner_reader(tmp_path: Path) -> None:
    p = write(tmp_path, "cameo_ner_test.txt", NER_SAMPLE)
    assert detect_format(p) == "conflibert-ner"
    g = read_gold(p)
    assert g.format == "conflibert-ner" and g.task == "spans" and len(g.items) == 4
    assert [it.text for it in g.items] == [
        "Iraqi troops attacked the Kurds's positions.",
        "Turkey condemned Russia's air strikes (reports).",
        "Erdogan will meet Vladimir Putin in the rebel-held city.",
        "Protesters marched."]
    assert [(s.role, s.text) for s in g.items[1].spans] == [("source", "Turkey"), ("target", "Russia's air strikes")]
    assert [(s.role, s.text) for s in g.items[2].spans] == [("party", "Erdogan"), ("party", "Vladimir Putin")]
    assert all(it.text[s.start:s.end] == s.text for it in g.items for s in it.spans)
    assert detokenize(["Baghdad", "\u2019", "s", "forces", "said", '"', "no", '"', "."])[0] == \
        'Baghdad\u2019s forces said "no".'
    bad = write(tmp_path, "bad_ner.txt", "Iraqi B-S\ntroops I-S\n\nRebels B-X\n")
    with pytest.raises(FactionsError, match=r"E500.*bad_ner.txt.*line 4"):
        read_gold(bad, "conflibert-ner")


def _span_item(text: str, *spans: tuple[str, str]) -> GoldItem:
    out = []
    for role, words in spans:
        i = text.index(words)
        out.append(GoldSpan(role, i, i + len(words), words))
    return GoldItem(id=text[:12], text=text, spans=out)


def _mention(text: str, aid: str, words: str) -> Mention:
    i = text.index(words)
    return Mention("d", aid, words, i, i + len(words))


def _ev(etype: str, text: str, source: str | None, target: str | None, source_text: str | None = None,
        target_text: str | None = None, modality: str = "asserted") -> Event:
    return Event(id=f"{etype}-{source}-{target}", doc_id="d", type=etype, source=source, target=target,
                 modality=modality, start=0, end=len(text), source_text=source_text, target_text=target_text)


def test_span_scores_exact() -> None:
    t1 = "Iraqi troops attacked the Kurdish fighters near Mosul."
    t2 = "Turkey condemned Russia's air strikes, Ankara said."
    t3 = "Erdogan will meet Vladimir Putin in Sochi."
    t4 = "Protesters marched in Paris."
    t5 = "The army shelled the town."
    t6 = "Palestinian gunmen killed an Israeli soldier."
    gs = GoldSet(path="mem", format="conflibert-ner", items=[
        _span_item(t1, ("source", "Iraqi troops"), ("target", "the Kurdish fighters")),
        _span_item(t2, ("source", "Turkey"), ("target", "Russia's air strikes")),
        _span_item(t3, ("party", "Erdogan"), ("party", "Vladimir Putin")),
        _span_item(t4, ("source", "Protesters")),
        _span_item(t5, ("source", "The army"), ("target", "the town")),
        _span_item(t6, ("source", "Palestinian gunmen"))])    # partial gold: no target marked
    docs = [
        # right source, target found through source_text only (no mention of "kurds"), plus a wrong target
        coded(t1, [actor("irq", "IRQ", "MIL"), actor("kurds", None), actor("mosul", "IRQ")],
              [_ev("ASSAULT", t1, "irq", "kurds", "Iraqi troops", "Kurdish fighters"), _ev("ASSAULT", t1, "irq", "mosul")],
              mentions=[_mention(t1, "irq", "Iraqi troops"), _mention(t1, "mosul", "Mosul")]),
        # roles swapped; the source is found through a second mention of the same actor ("Ankara")
        coded(t2, [actor("tur", "TUR"), actor("rus", "RUS")], [_ev("ACCUSE", t2, "rus", "tur")],
              mentions=[_mention(t2, "tur", "Turkey"), _mention(t2, "rus", "Russia"), _mention(t2, "tur", "Ankara")]),
        # a meeting: predicted as Putin -> Erdogan (order does not matter for parties)
        coded(t3, [actor("erd", "TUR"), actor("put", "RUS")], [_ev("CONSULT", t3, "put", "erd")],
              mentions=[_mention(t3, "erd", "Erdogan"), _mention(t3, "put", "Vladimir Putin")]),
        # only a hypothetical event: "no event predicted"
        coded(t4, [actor("prot", None)], [_ev("PROTEST", t4, "prot", None, modality="hypothetical")],
              mentions=[_mention(t4, "prot", "Protesters")]),
        coded(t5, [], []),
        coded(t6, [actor("pse", "PSE", "UAF"), actor("isr", "ISR", "MIL")], [_ev("ASSAULT", t6, "pse", "isr")],
              mentions=[_mention(t6, "pse", "Palestinian gunmen"), _mention(t6, "isr", "Israeli soldier")]),
    ]
    r = score_spans(gs, docs)
    sp = r["spans"]
    # sources: gold Iraqi troops (found), Turkey (not found: Russia is the predicted source), Protesters, The army
    # (t6 adds a found source; its predicted target is not scored: that gold marks no target)
    assert sp["sources"] == {"gold": 5, "found": 2, "predicted": 3, "correct": 2, "precision": 0.6667, "recall": 0.4,
                             "f1": 0.5}
    # targets: the Kurdish fighters (found), Russia's air strikes (not: Turkey is the predicted target), the town
    assert sp["targets"] == {"gold": 3, "found": 1, "predicted": 3, "correct": 1, "precision": 0.3333,
                             "recall": 0.3333, "f1": 0.3333}
    assert sp["pairs"] == {"gold": 3, "found": 1, "predicted": 3, "correct": 1, "precision": 0.3333,
                           "recall": 0.3333, "f1": 0.3333}
    assert sp["parties"]["gold"] == 2 and sp["parties"]["found"] == 2 and sp["parties"]["precision"] == 1.0
    assert sp["party_pairs"] == {"gold": 1, "found": 1, "predicted": 1, "correct": 1, "precision": 1.0,
                                 "recall": 1.0, "f1": 1.0}
    assert r["no_event"] == {"texts": 2, "texts_with_gold_spans": 2, "only_non_asserted_events": 1,
                             "gold_spans_in_them": {"source": 2, "target": 1, "party": 0}}
    assert r["swapped_roles"] == {"source on a gold target": 1, "target on a gold source": 1}
    assert r["unscored_predictions"] == {"source": 0, "target": 1, "pair": 1}
    assert len(r["errors"]) == 4 and r["errors"][0]["note"] == "target 'Mosul' wrong"
    assert "source 'Turkey'" in r["errors"][1]["note"] and r["errors"][2]["predicted"] == "only hypothetical PROTEST"
    # an event's spans: its actor's mentions in the sentence plus where its source_text occurs
    (e, roles), _ = event_role_spans(docs[0])
    assert roles == {"source": [(0, 12)], "target": [(t1.index("Kurdish"), t1.index(" near"))]}


# --------------------------------------------------------------------------------------------
# the factions gold format: validation errors name the file and the line
# --------------------------------------------------------------------------------------------

GOOD = {"id": "t-1", "text": "Israeli warplanes struck Rafah.", "date": "2024-05-02",
        "events": [{"type": "ASSAULT", "mode": "aerial", "modality": "asserted",
                    "source": {"text": "Israeli warplanes", "country": "ISR", "sector": "MIL"}, "target": None,
                    "location": {"name": "Rafah", "country": "PSE"}}],
        "actors": [{"text": "Israeli warplanes", "country": "ISR", "sector": "MIL"}],
        "figures": [{"category": "killed", "value": 12, "qualifier": "at least"}]}


def test_factions_gold_reads() -> None:
    g = read_gold(Path(__file__).resolve().parents[1] / "eval" / "gold" / "factions_dev.jsonl")
    assert g.format == "factions" and len(g.items) >= 190
    assert all(it.split == "dev" for it in g.items)


@pytest.mark.parametrize("bad, message", [
    ("{not json", "line 2: invalid JSON"),
    (json.dumps({**GOOD, "id": "t-2", "events": [{**GOOD["events"][0], "type": "BOMB"}]}), "line 2: event 1: unknown type"),
    (json.dumps({**GOOD, "id": "t-2", "actors": [{"text": "x", "country": "ISR", "sector": "ARMY"}]}),
     "line 2: actor 1: unknown sector"),
    (json.dumps({**GOOD, "id": "t-2", "events": [{**GOOD["events"][0], "modality": "maybe"}]}),
     "line 2: unknown modality"),
    (json.dumps({**GOOD, "id": "t-2", "events": [{**GOOD["events"][0], "reciprocal": True}]}),
     "line 2: event 1: a reciprocal event needs 2+ sources"),
    (json.dumps({**GOOD, "id": "t-2", "figures": [{"category": "killed", "value": "12"}]}),
     "line 2: figure 1: value must be an integer"),
    (json.dumps(GOOD), "line 2: duplicate id 't-1'"),
    (json.dumps({**GOOD, "id": "t-2", "text": ""}), "line 2: missing or empty 'text'"),
])
def test_factions_gold_errors(tmp_path: Path, bad: str, message: str) -> None:
    p = write(tmp_path, "gold.jsonl", json.dumps(GOOD) + "\n" + bad + "\n")
    with pytest.raises(FactionsError) as err:
        read_gold(p, "factions")
    assert err.value.code == "E500"
    assert str(p) in err.value.line() and message in err.value.line()


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FactionsError, match=r"E500.*unknown gold format"):
        read_gold(write(tmp_path, "x.txt", "hello world\n"))
    with pytest.raises(FactionsError, match=r"E500.*file not found"):
        read_gold(tmp_path / "nope.jsonl")


# --------------------------------------------------------------------------------------------
# external readers on small inline samples in their own formats
# --------------------------------------------------------------------------------------------

PLOVER_SAMPLE = """[
{"id": "X-DOCUMENT-0001", "event": "DOCUMENT", "eventText": "header"},
{"id": "X-AGREE-0001", "date": "2000-01-01",
 "source": [{"actorText": "Hungarian", "code": "HUN", "sector": "GOV"}, {"actorText": "Romanian", "code": "ROU", "sector": "GOV"}],
 "event": "AGREE", "eventText": "agreed", "context": "refugees",
 "text": "Senior Hungarian and Romanian officials agreed to cooperate.",
 "textInfo": {"markup": "Senior (SRC/TAR: Hungarian) and (SRC/TAR: Romanian) officials (EVT: agreed)"}},
{"id": "X-FIGHT-0001", "date": "2000-01-01", "source": [{"actorText": "Vietnamese-led forces", "code": "VTN", "sector": "MIL"}],
 "target": [{"actorText": "Khmer Rouge", "code": "KHM", "sector": "REBkhm"}], "event": "FIGHT", "mode": "heavy-weapons",
 "eventLoc": {"name": "Phnom Penh", "country code": "KH"}, "dead": "156",
 "text": "Vietnamese-led forces shelled Khmer Rouge positions near Phnom Penh, killing 156."},
{"id": "X-DEMAND-0001", "date": "2000-01-01", "source": [{"actorText": "UN", "code": "IGO"}], "target": "",
 "event": "DEMAND", "context": "hypothetical", "text": "The UN may demand a ceasefire."}
]"""


def test_plover_reader(tmp_path: Path) -> None:
    p = write(tmp_path, "gsr.json", PLOVER_SAMPLE)
    assert detect_format(p) == "plover"
    g = read_gold(p)
    assert g.skipped == 1 and len(g.items) == 3 and not g.actors_complete
    agree, fight, demand = g.items
    assert agree.events[0].reciprocal and [a.country for a in agree.events[0].sources] == ["HUN", "ROU"]
    assert fight.events[0].type == "ASSAULT" and fight.events[0].sources[0].country == "VNM"
    assert fight.events[0].targets[0].sector == "REB"
    assert fight.events[0].location.country == "KHM"
    assert fight.figures[0].category == "killed" and fight.figures[0].value == 156
    assert demand.events[0].type == "REQUEST" and demand.events[0].modality == "hypothetical"
    assert demand.events[0].targets == [] and demand.figures is None


def test_plover_reader_error_names_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.jsonl", '{"id": "a", "event": "AGREE", "source": [], "text": "x"}\n'
                                     '{"id": "b", "event": "PARTY", "source": [], "text": "y"}\n')
    with pytest.raises(FactionsError, match=r"E500.*bad.jsonl.*line 2: record b: unknown event type"):
        read_gold(p, "plover")


PETRARCH_SAMPLE = """<Validation>
<Sentences>
<Sentence date="19950101" id="DEMO-00" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GONMIL" eventcode="0841"></EventCoding>
<Text>
Arnor released Gondor soldiers.
</Text>
<Parse>(ROOT (S))</Parse>
</Sentence>
<Sentence date="19950102" id="DEMO-01" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="023"></EventCoding>
<Text>Arnor appealed to Gondor.</Text>
</Sentence>
<Sentence date="19950103" id="DEMO-02" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="224"></EventCoding>
<Text>Arnor did something WEIS-coded.</Text>
</Sentence>
<Sentence date="19950104" id="DEMO-03" category="DEMO" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>Nothing happened.</Text>
</Sentence>
<Sentence date="19950105" id="ERR-01" category="ERROR" sentence="true">
<EventCoding error="dateline"></EventCoding>
<Text>ARNOR, Jan 5 (Reuters)</Text>
</Sentence>
</Sentences>
</Validation>
"""
ACTORS_SAMPLE = """<!-- test dictionary -->
ARNOR_  [ARN]
+ARNORIAN
GONDOR [GON]
+MINAS_TIRITH
GOLLUM
+SMEAGOL
\t[HOB <950601]
\t[HOBREB >990816]
UNITED_NATIONS  [IGOUNO] #JW
+U.N.
GOVERNMENT  [~GOV]
"""
AGENTS_SAMPLE = """!PERSON! = MAN, MEN
PRESIDENT [~GOV] # ns
ARMED_FORCES  {} [~MIL] # jap
POLICE {} [ ~COP] # JON
"""


def test_petrarch_reader_and_dictionaries(tmp_path: Path) -> None:
    p = write(tmp_path, "PETR.UnitTest.records.xml", PETRARCH_SAMPLE)
    write(tmp_path, "PETR.Validate.actors.txt", ACTORS_SAMPLE)
    write(tmp_path, "PETR.Validate.agents.txt", AGENTS_SAMPLE)
    assert detect_format(p) == "petrarch"
    g = read_gold(p)
    assert [it.id for it in g.items] == ["DEMO-00", "DEMO-01", "DEMO-03"]
    assert g.skipped == 2
    ev = g.items[0].events[0]
    assert (ev.type, ev.mode, ev.sources[0].country, ev.targets[0].country, ev.targets[0].sector) == \
        ("RETREAT", "release", "ARN", "GON", "MIL")
    assert g.items[0].date == "1995-01-01"
    assert g.items[1].events == [] and g.items[2].events == []      # 02 appeal: not a PLOVER event
    by_name = {a["name"]: a for a in g.extra_actors}
    assert by_name["Arnor"]["aliases"] == ["Arnorian"] and by_name["Arnor"]["country"] == "ARN"
    assert by_name["Gondor"]["aliases"] == ["Minas Tirith"]
    assert by_name["Gollum"]["country"] == "HOB" and by_name["Gollum"]["sector"] == "REB"
    assert by_name["United Nations"]["country"] == "IGO" and "U.N." in by_name["United Nations"]["aliases"]
    assert "Government" not in by_name or by_name["Government"]["kind"] == "agent"
    agents = {a["name"]: a for a in read_petrarch_agents(tmp_path / "PETR.Validate.agents.txt")}
    assert agents["President"] == {"id": "petr-agent-president", "name": "President", "kind": "agent",
                                   "country": None, "sector": "GOV", "aliases": ["Presidents"]}
    assert agents["Police"]["sector"] == "COP"
    assert all(set(a) == {"id", "name", "kind", "country", "sector", "aliases"}
               for a in read_petrarch_actors(tmp_path / "PETR.Validate.actors.txt"))


def test_cameo_class_reader(tmp_path: Path) -> None:
    p = tmp_path / "cameo_class_test.tsv"
    p.write_bytes(b"NATO said it would stay strong.\t0\r\nRebels shelled the town.\t4\r\n")
    assert detect_format(p) == "cameo-class"
    g = read_gold(p)
    assert [(it.text, it.label) for it in g.items] == [("NATO said it would stay strong.", 0),
                                                       ("Rebels shelled the town.", 4)]
    write(tmp_path, "bad.tsv", "a sentence\t0\nanother\t7\n")
    with pytest.raises(FactionsError, match=r"E500.*bad.tsv.*line 2"):
        read_gold(tmp_path / "bad.tsv", "cameo-class")


def test_cameo_mapping() -> None:
    assert cameo_to_plover("03") == ("AGREE", None)
    assert cameo_to_plover("042") == ("CONSULT", "visit")
    assert cameo_to_plover("081") == ("CONCEDE", None)
    assert cameo_to_plover("0841") == ("RETREAT", "release")
    assert cameo_to_plover("0871") == ("RETREAT", "ceasefire")
    assert cameo_to_plover("111") == ("ACCUSE", "disapprove")
    assert cameo_to_plover("1724") == ("COERCE", "martial-law")
    assert cameo_to_plover("195") == ("ASSAULT", "aerial")
    assert cameo_to_plover("201") == ("ASSAULT", None)
    assert cameo_to_plover("010") == (None, None) and cameo_to_plover("023") == (None, None)
    assert cameo_to_plover("224") is None and cameo_to_plover("903") is None
    assert [cameo_pentaclass(c) for c in ("02", "05", "08", "13", "20")] == [0, 1, 2, 3, 4]
    assert [cameo_pentaclass(c) for c in ("14", "15", "163", "17")] == [4, 4, 3, 4]   # Phoenix: 16 is verbal


# --------------------------------------------------------------------------------------------
# the real external files (read-only, next to the repository)
# --------------------------------------------------------------------------------------------

def _external(rel: str) -> Path:
    p = EXTERNAL / rel
    if not p.is_file():
        pytest.skip(f"external gold file {p} is not present (shared/eval/external is provided next to the repo)")
    return p


def test_real_plover_gsr() -> None:
    g = read_gold(_external("PLOVER_GSR_CAMEO.json"))
    assert g.format == "plover" and g.skipped == 1 and len(g.items) == 316
    assert sum(len(it.events) for it in g.items) == 322
    assert {e.type for it in g.items for e in it.events} <= set(PLOVER_TYPES)


def test_real_petrarch_unit_tests() -> None:
    g = read_gold(_external("petrarch2/PETR.UnitTest.records.xml"))
    assert g.format == "petrarch" and len(g.items) > 200
    names = {a["name"] for a in g.extra_actors}
    assert {"Arnor", "Gondor", "Mordor"} <= names


@pytest.mark.parametrize("split, n, spans", [("train", 1153, {"source": 1097, "target": 963, "party": 102}),
                                             ("test", 451, {"source": 409, "target": 428, "party": 51})])
def test_real_conflibert_cameo_ner(split: str, n: int, spans: dict[str, int]) -> None:
    g = read_gold(_external(f"conflibert_cameo/cameo_ner_{split}.txt"))
    assert g.format == "conflibert-ner" and len(g.items) == n
    got = {r: sum(s.role == r for it in g.items for s in it.spans) for r in spans}
    assert got == spans
    assert all(it.text[s.start:s.end] == s.text for it in g.items for s in it.spans)


@pytest.mark.parametrize("split, n", [("train", 1349), ("test", 451)])
def test_real_conflibert_cameo_class(split: str, n: int) -> None:
    g = read_gold(_external(f"conflibert_cameo/cameo_class_{split}.tsv"))
    assert g.format == "cameo-class" and len(g.items) == n
    assert {it.label for it in g.items} == {0, 1, 2, 3, 4}


# --------------------------------------------------------------------------------------------
# PLOVER export and import
# --------------------------------------------------------------------------------------------

def test_to_plover_and_back() -> None:
    acts = {"isr": Actor("isr", "Israel", "state", "ISR", "MIL"), "pse": Actor("pse", "Hamas", "armed_group", "PSE", "REB")}
    ev = Event("e1", "d1", "ASSAULT", "isr", "pse", mode="aerial", modality="negated",
               location=Location("Rafah", "PSE", 31.3, 34.25), date="2024-05-02",
               text="Israeli jets did not strike Hamas in Rafah.", trigger="strike", source_text="Israeli jets")
    rec = to_plover(ev, acts)
    assert rec["source"] == [{"actorText": "Israeli jets", "code": "ISR", "sector": "MIL", "name": "Israel"}]
    assert rec["target"][0]["code"] == "PSE" and rec["event"] == "ASSAULT" and rec["mode"] == "aerial"
    assert rec["context"] == ["negation"] and rec["eventLoc"]["country code"] == "PS"
    assert rec["eventText"] == "strike" and rec["text"].startswith("Israeli jets")
    json.dumps(rec)
    item = from_plover(rec)
    back = item.events[0]
    assert (back.type, back.modality, back.mode, back.sources[0].country, back.targets[0].sector,
            back.location.name, back.location.country) == ("ASSAULT", "negated", "aerial", "ISR", "REB", "Rafah", "PSE")
    asserted = to_plover(Event("e2", "d1", "PROTEST", "unknown-id", None, text="x"), acts)
    assert asserted["context"] == [] and asserted["target"] == [] and asserted["source"] == [{"actorText": "unknown-id"}]


# --------------------------------------------------------------------------------------------
# end to end: the real coder through the CLI
# --------------------------------------------------------------------------------------------

def test_cli_end_to_end(tmp_path: Path) -> None:
    pytest.importorskip("factions.coder")
    from factions.cli.app import main
    import factions.cli.evaluate  # noqa: F401  (registers the command)

    items = [
        {"id": "e-1", "text": "Israeli warplanes struck Hamas positions in Rafah on Friday, killing at least 12 people, "
                              "the Gaza health ministry said.",
         "events": [{"type": "ASSAULT", "mode": "aerial", "source": {"text": "Israeli warplanes", "country": "ISR",
                                                                       "sector": "MIL"},
                     "target": {"text": "Hamas", "country": "PSE", "sector": "REB"}}],
         "actors": [], "figures": [{"category": "killed", "value": 12, "qualifier": "at least"}]},
        {"id": "e-2", "text": "The foreign ministers of France and Germany will meet in Berlin next week.",
         "events": [{"type": "CONSULT", "modality": "future", "reciprocal": True,
                     "source": [{"text": "France", "country": "FRA"}, {"text": "Germany", "country": "DEU"}]}]},
        {"id": "e-3", "text": "Coffee exports rose by 8 percent in the last quarter.", "events": []},
    ]
    gold = write(tmp_path, "mini.jsonl", "".join(json.dumps(i) + "\n" for i in items))
    db = tmp_path / "eval.duckdb"
    res = CliRunner().invoke(main, ["evaluate", str(gold), "--format", "json", "--quiet", "--db", str(db)])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["texts"] == 3 and report["format"] == "factions"
    assert set(report["events"]) >= {"type", "actors", "dyad", "strict", "per_type", "per_modality"}
    assert report["modality_errors"]["gold_non_asserted"] == 2
    assert report["events"]["type"]["tp"] >= 1          # the coder finds the air strike
    assert db.exists()
    table = CliRunner().invoke(main, ["evaluate", str(gold), "--quiet"])
    assert table.exit_code == 0 and "Per event type" in table.output and "Misses" in table.output
    ner = CliRunner().invoke(main, ["evaluate", str(write(tmp_path, "ner.txt", NER_SAMPLE)), "--format", "json",
                                    "--quiet"])
    assert ner.exit_code == 0, ner.output
    spans = json.loads(ner.output)
    assert spans["task"] == "spans" and spans["format"] == "conflibert-ner" and spans["texts"] == 4
    assert spans["spans"]["sources"]["gold"] == 3 and spans["spans"]["parties"]["gold"] == 2
    ner_table = CliRunner().invoke(main, ["evaluate", str(tmp_path / "ner.txt"), "--quiet"])
    assert ner_table.exit_code == 0 and "source spans" in ner_table.output
    bad = CliRunner().invoke(main, ["evaluate", str(write(tmp_path, "bad.jsonl", "{oops\n"))])
    assert bad.exit_code == 2 and "E500" in bad.output
