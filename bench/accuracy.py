"""Accuracy benchmark: run ``factions evaluate`` on every gold set and write bench/ACCURACY.md.

    python bench/accuracy.py                     # all sets
    python bench/accuracy.py --external DIR      # external gold sets from DIR

Gold sets: the factions dev sets (dev, dev2 and dev3, the parts the coder is tuned on), the factions
test set (measured only), and the external sets under ``../shared/eval/external`` next to the
repository (PLOVER gold standard records, PETRARCH-2 unit tests, ConfliBERT CAMEO pentaclass
and source/target span train/test). External sets that are missing are listed as such. The
report states the date, the commit and every number as measured; nothing is edited by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factions.evaluate.report import MODALITY_ERROR_TARGET, span_rows  # noqa: E402
from factions.evaluate.run import evaluate  # noqa: E402
from factions.model import PLOVER_TYPES  # noqa: E402

#: (name, path relative to the repository or to the external folder, external?, role)
SETS: list[tuple[str, str, bool, str]] = [
    ("factions dev", "eval/gold/factions_dev.jsonl", False, "tuning set"),
    ("factions dev2", "eval/gold/factions_dev2.jsonl", False, "second tuning set"),
    ("factions dev3", "eval/gold/factions_dev3.jsonl", False, "third tuning set (blind; first measured untuned)"),
    ("factions test", "eval/gold/factions_test.jsonl", False, "held out, measured only"),
    ("PLOVER GSR (CAMEO manual examples)", "PLOVER_GSR_CAMEO.json", True, "external, measured only"),
    ("PETRARCH-2 unit tests", "petrarch2/PETR.UnitTest.records.xml", True, "external, measured only"),
    ("ConfliBERT CAMEO pentaclass train", "conflibert_cameo/cameo_class_train.tsv", True, "external, tuning allowed"),
    ("ConfliBERT CAMEO pentaclass test", "conflibert_cameo/cameo_class_test.tsv", True, "external, measured only"),
    ("ConfliBERT CAMEO source/target spans train", "conflibert_cameo/cameo_ner_train.txt", True,
     "external, tuning allowed"),
    ("ConfliBERT CAMEO source/target spans test", "conflibert_cameo/cameo_ner_test.txt", True,
     "external, measured only"),
]
#: Targets set for the PLOVER GSR set.
GSR_TARGETS = {"type": 0.80, "dyad": 0.65}


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def f1(r: dict[str, Any]) -> str:
    """F1 as a percentage, or n/a when the gold set scores nothing of the kind."""
    return "n/a" if r["tp"] + r["fp"] + r["fn"] == 0 else pct(r["f1"])


def prf_rows(rows: dict[str, dict[str, Any]], first: str) -> list[str]:
    out = [f"| {first} | P | R | F1 | tp | fp | fn |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        if r["tp"] + r["fp"] + r["fn"] == 0:
            out.append(f"| {name} | n/a | n/a | n/a | 0 | 0 | 0 |")
            continue
        out.append(f"| {name} | {pct(r['precision'])} | {pct(r['recall'])} | {pct(r['f1'])} | "
                   f"{r['tp']} | {r['fp']} | {r['fn']} |")
    return out


def span_table(r: dict[str, Any]) -> list[str]:
    out = ["| spans | P | R | F1 | gold | found | predicted | correct |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, x in span_rows(r).items():
        out.append(f"| {name} | {pct(x['precision'])} | {pct(x['recall'])} | {pct(x['f1'])} | {x['gold']} | "
                   f"{x['found']} | {x['predicted']} | {x['correct']} |")
    return out


def summary_row(name: str, r: dict[str, Any]) -> str:
    if r["task"] == "spans":
        sp = r["spans"]
        return (f"| {name} | {r['texts']} | source / target / pair F1 {pct(sp['sources']['f1'])} / "
                f"{pct(sp['targets']['f1'])} / {pct(sp['pairs']['f1'])}, parties {pct(sp['parties']['f1'])} "
                f"(no asserted event: {r['no_event']['texts']} texts) | | | | | | | | |")
    if r["task"] == "pentaclass":
        a, b = r["none_own_outcome"], r["none_as_class_0"]
        return (f"| {name} | {r['texts']} | accuracy {pct(a['accuracy'])}, macro-F1 {pct(a['macro_f1'])} "
                f"(no event = class 0: {pct(b['accuracy'])} / {pct(b['macro_f1'])}) | | | | | | | | |")
    ev, me = r["events"], r["modality_errors"]
    mod = f"{pct(me['rate'])}% ({me['reported_as_asserted']}/{me['gold_non_asserted']})" if me["gold_non_asserted"] \
        else "n/a"
    return (f"| {name} | {r['texts']} | {f1(ev['type'])} | {f1(ev['actors'])} | {pct(ev['dyad']['precision'])} / "
            f"{pct(ev['dyad']['recall'])} / {f1(ev['dyad'])} | {f1(ev['strict'])} | {mod} | "
            f"{f1(r['actors']['country'])} / {f1(r['actors']['strict'])} | "
            f"{f1(r['modes'])} | {f1(r['locations'])} | {f1(r['figures'])} |")


def section(name: str, role: str, r: dict[str, Any], seconds: float) -> list[str]:
    out = [f"## {name}", "", f"`{Path(r['gold']).name}` ({r['format']}, {role}): {r['texts']} texts"
           + (f", {r['skipped']} records skipped" if r.get("skipped") else "") + f", coded in {seconds:.0f} s.", ""]
    out += [f"- {n}" for n in r.get("notes", [])]
    if r.get("notes"):
        out.append("")
    if r["task"] == "spans":
        ne = r["no_event"]
        g = ne["gold_spans_in_them"]
        out += ["Who is source and target: a gold span is found when a predicted event's source (target) "
                "overlaps it; a predicted actor is correct when it overlaps a gold span of its role.", ""]
        out += span_table(r) + [""]
        out += [f"No asserted event predicted: {ne['texts']} of {r['texts']} texts ({ne['texts_with_gold_spans']} "
                f"with gold spans: {g['source']} sources, {g['target']} targets, {g['party']} parties; "
                f"{ne['only_non_asserted_events']} had only non-asserted events). Texts whose events have no "
                f"source: {r['events_without_source']}. Not scored for precision because the gold marks no span of "
                f"that role in the text: {r['unscored_predictions']['source']} predicted sources, "
                f"{r['unscored_predictions']['target']} targets, {r['unscored_predictions']['pair']} pairs. "
                f"Swapped roles: "
                + (", ".join(f"{k} {v}" for k, v in r["swapped_roles"].items()) or "none") + ".", ""]
        return out
    if r["task"] == "pentaclass":
        for key, title in (("none_own_outcome", "'no event' as its own outcome"),
                           ("none_as_class_0", "'no event' read as class 0 (statement/appeal)")):
            s = r[key]
            out += [f"PentaClass, {title}: accuracy **{pct(s['accuracy'])}%**, macro-F1 **{pct(s['macro_f1'])}%**",
                    ""] + prf_rows(s["per_class"], "class") + [""]
        fi = r.get("future_as_intent")
        if fi:
            out += [f"Future events read as CAMEO intentions (03 express intent to cooperate -> 1, 13 threaten -> 3) "
                    f"where no event is asserted: accuracy {pct(fi['accuracy'])}%, macro-F1 {pct(fi['macro_f1'])}%.", ""]
        outs = sorted({o for row in r["confusion"].values() for o in row}, key=str)
        out += ["Confusion (rows: gold class, columns: predicted):", "",
                "| gold | " + " | ".join(outs) + " |", "|---|" + "---:|" * len(outs)]
        out += [f"| {g} | " + " | ".join(str(row.get(o, 0)) for o in outs) + " |" for g, row in r["confusion"].items()]
        return out + [""]
    ev, me = r["events"], r["modality_errors"]
    out += prf_rows({"type only": ev["type"], "source + target only (any type)": ev["actors"],
                     "type + source + target (dyad)": ev["dyad"], "dyad + sectors": ev["strict"]},
                    "events (asserted)") + [""]
    out += ["Per event type (dyad level):", ""] + prf_rows({t: ev["per_type"][t] for t in PLOVER_TYPES}, "type") + [""]
    out += ["Per modality (gold vs predicted events of that modality, dyad level):", ""]
    out += prf_rows(ev["per_modality"], "modality") + [""]
    if me["gold_non_asserted"]:
        flag = "below" if me["rate"] < MODALITY_ERROR_TARGET else "ABOVE"
        by = ", ".join(f"{m} {v['reported_as_asserted']}/{v['gold']}" for m, v in me["by_modality"].items())
        out += [f"Modality errors (hypothetical/negated/future events reported as asserted): "
                f"**{pct(me['rate'])}%** ({me['reported_as_asserted']} of {me['gold_non_asserted']}; {by}), "
                f"{flag} the {pct(MODALITY_ERROR_TARGET)}% target.", ""]
    ne = r["no_event_texts"]
    if ne["texts"]:
        out += [f"Texts with no gold event that got no asserted event: {ne['without_false_alarm']} of {ne['texts']}.", ""]
    out += prf_rows({"actors: country": r["actors"]["country"], "actors: country + sector": r["actors"]["strict"],
                     "modes": r["modes"], "locations": r["locations"], "figures": r["figures"]}, "other") + [""]
    att = r["figures"]["attribution"]
    if att["scored"]:
        out += [f"Figure attribution: {att['correct']} of {att['scored']} right ({pct(att['accuracy'])}%).", ""]
    out += [f"Misses: {r['misses_total']}, false alarms: {r['false_alarms_total']} "
            f"(list them with `factions evaluate {Path(r['gold']).name} --show N`).", ""]
    return out


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--external", type=Path, default=ROOT.parent / "shared" / "eval" / "external",
                    help="folder holding the external gold sets (default: ../shared/eval/external)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "ACCURACY.md")
    args = ap.parse_args()

    results: list[tuple[str, str, dict[str, Any], float]] = []
    missing: list[str] = []
    for name, rel, external, role in SETS:
        path = (args.external if external else ROOT) / rel
        if not path.is_file():
            missing.append(f"{name} ({path})")
            continue
        t0 = time.perf_counter()
        report = evaluate(path, show=0)
        results.append((name, role, report, time.perf_counter() - t0))
        print(f"{name}: {summary_row(name, report)}", file=sys.stderr)

    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# factions accuracy", "",
             f"Measured {now} at commit `{commit()}` by `python bench/accuracy.py` (numbers as measured; "
             "regenerate, never edit). Scoring rules: [docs/evaluation.md](../docs/evaluation.md).", "",
             "Event scores count asserted events only; dyad = type + source + target (countries, or the "
             "actor's name where the gold gives no country); strict also requires the PLOVER sector. "
             "Modality errors: share of gold hypothetical/negated/future events reported as asserted "
             f"(target < {pct(MODALITY_ERROR_TARGET)}%).", "",
             "| set | texts | type F1 | actors-only F1 | dyad P / R / F1 | strict F1 | modality errors "
             "| actor resolution F1 (country / +sector) | modes F1 | locations F1 | figures F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [summary_row(name, r) for name, _, r, _ in results]
    lines.append("")
    gsr = next((r for name, _, r, _ in results if name.startswith("PLOVER GSR")), None)
    if gsr is not None:
        got = {k: gsr["events"][k]["f1"] for k in GSR_TARGETS}
        lines += ["Targets on PLOVER GSR: " + "; ".join(
            f"{'type' if k == 'type' else 'type + source + target country'} F1 {pct(got[k])} "
            f"(target {pct(v)}: {'met' if got[k] >= v else 'not met'})" for k, v in GSR_TARGETS.items()), ""]
    if missing:
        lines += ["Not found, so not measured: " + "; ".join(missing), ""]
    for name, role, r, secs in results:
        lines += section(name, role, r, secs)
    args.out.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
