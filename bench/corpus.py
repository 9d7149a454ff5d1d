"""A seeded generator of news-like text for factions' benchmarks and scale tests.

Documents are 150-800 words of paragraphs built from sentence templates filled from word lists
(states, armed groups, organisations, officials, places, numbers, days), so the coder finds
actors, events and figures at a realistic rate, and everything is deterministic for a seed:
the same seed gives byte-identical files. Writes JSONL, JSONL.gz or Parquet with configurable
field names (to exercise ``--text-field`` / ``--date-field``).

    python bench/corpus.py corpus.jsonl.gz --words 2000000 --seed 1
    python bench/corpus.py corpus.parquet --docs 500 --text-field body --date-field published
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# --- word lists -------------------------------------------------------------------------------
# Actors the factions dictionary knows (so mentions resolve), with a demonym for variety.
STATES = [
    ("Russia", "Russian"), ("Ukraine", "Ukrainian"), ("Israel", "Israeli"), ("Iran", "Iranian"),
    ("Sudan", "Sudanese"), ("Ethiopia", "Ethiopian"), ("Kenya", "Kenyan"), ("Nigeria", "Nigerian"),
    ("Mali", "Malian"), ("Niger", "Nigerien"), ("Colombia", "Colombian"), ("Venezuela", "Venezuelan"),
    ("Pakistan", "Pakistani"), ("India", "Indian"), ("China", "Chinese"), ("Japan", "Japanese"),
    ("Turkey", "Turkish"), ("Syria", "Syrian"), ("Iraq", "Iraqi"), ("Egypt", "Egyptian"),
    ("France", "French"), ("Germany", "German"), ("Poland", "Polish"), ("Rwanda", "Rwandan"),
    ("Somalia", "Somali"), ("Yemen", "Yemeni"), ("Lebanon", "Lebanese"), ("Mexico", "Mexican"),
    ("Brazil", "Brazilian"), ("Myanmar", "Burmese"), ("the Philippines", "Philippine"),
]
GROUPS = ["Hamas", "Hezbollah", "the Houthis", "M23 rebels", "al-Shabaab", "the Taliban",
          "the Rapid Support Forces", "Boko Haram", "the Islamic State", "the ELN"]
ORGS = ["the United Nations", "NATO", "the European Union", "the African Union", "the World Bank",
        "the International Committee of the Red Cross", "Amnesty International", "ECOWAS",
        "the UN Security Council", "Human Rights Watch"]
FORCES = ["the army", "police", "security forces", "troops", "the navy", "border guards", "militias",
          "soldiers", "the air force", "paramilitary units"]
CIVILIANS = ["protesters", "students", "farmers", "workers", "journalists", "opposition supporters",
             "residents", "traders", "teachers", "nurses"]
FIRST = ["Ana", "Omar", "Li", "Maria", "Yusuf", "Elena", "Samuel", "Fatima", "Pedro", "Ingrid",
         "Kwame", "Amira", "Tomas", "Hiroshi", "Leila", "Dmitri", "Grace", "Ahmed", "Sofia", "Jonas"]
LAST = ["Kovac", "Haddad", "Mensah", "Okafor", "Silva", "Novak", "Rahman", "Petrov", "Moreau",
        "Takahashi", "Mwangi", "Castillo", "Lindqvist", "Farouk", "Nakamura", "Osei", "Duarte",
        "Ivanova", "Adeyemi", "Kaplan"]
ROLES = ["foreign minister", "defence minister", "president", "prime minister", "army spokesman",
         "interior minister", "opposition leader", "UN envoy", "regional governor", "police chief"]
PLACES = ["Kyiv", "Kharkiv", "Gaza", "Khartoum", "Goma", "Mogadishu", "Bamako", "Kabul", "Sanaa",
          "Aleppo", "Mosul", "Tripoli", "Caracas", "Bogota", "Lagos", "Nairobi", "Addis Ababa",
          "Beirut", "Damascus", "Baghdad", "Manila", "Karachi", "Peshawar", "Niamey", "Kinshasa"]
REGIONS = ["the north", "the east", "the border region", "the capital", "the coastal province",
           "the southern highlands", "the delta", "the western districts"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
VICTIMS = ["civilians", "soldiers", "fighters", "police officers", "children", "aid workers", "people"]
TOPICS = ["the ceasefire", "border security", "grain exports", "the prisoner exchange", "energy prices",
          "the peace plan", "refugee returns", "the election timetable", "debt relief", "water rights"]
COMMODITIES = ["wheat", "fuel", "bread", "cooking oil", "rice", "electricity", "medicine", "cement"]
ADJ = ["fragile", "tense", "uneasy", "volatile", "calm", "deteriorating", "unpredictable"]

# --- sentence templates ------------------------------------------------------------------------
# Each is a format string over the slot names below; about half carry an event, a quarter a
# figure, the rest are the background prose news articles are mostly made of.
TEMPLATES = [
    "{demonym} forces attacked {group} positions near {place} on {day}, killing at least {n} {victims}, {official} said.",
    "{group} fired rockets at {place} overnight, wounding {n} {victims}, according to {org}.",
    "{demonym} warplanes struck targets in {region} on {day}.",
    "{state} accused {state2} of supplying weapons to {group}.",
    "{state2} rejected the accusation and called it baseless.",
    "{official} met {official2} in {place} on {day} to discuss {topic}.",
    "{state} and {state2} agreed to resume talks on {topic} next month.",
    "{org} urged both sides to respect {topic} and protect civilians.",
    "{state} imposed sanctions on {n2} {demonym2} officials over {topic}.",
    "{org} said it would send humanitarian aid to {place}.",
    "Police arrested {n} {civilians} in {place} after a protest against rising {commodity} prices.",
    "Thousands of {civilians} marched through {place} on {day} to demand {topic}.",
    "More than {big} people have been displaced by the fighting in {region}, {org} said.",
    "{state} threatened to expel {demonym2} diplomats if the attacks continued.",
    "{forces} withdrew from {place} on {day}, residents said.",
    "{state} deployed {n2} additional battalions to {region}.",
    "{official} denied that {forces} had opened fire on {civilians}.",
    "{group} said it would not attack {place} while talks continued.",
    "The situation in {region} remained {adj}, {official} told reporters.",
    "Prices of {commodity} rose by {pct} percent in {month}, the statistics office said.",
    "Schools in {place} reopened on {day} after {n2} weeks of closures.",
    "Analysts said {topic} could take {n2} months to resolve.",
    "The {month} figures showed the economy grew by {pct} percent.",
    "Roads between {place} and {place2} were reopened to traffic on {day}.",
    "\"We will not accept any agreement that ignores {topic},\" {official} said.",
    "{org} estimated that {big} people in {region} need food assistance.",
    "Local officials said electricity was restored in most of {place} by {day} evening.",
    "The talks in {place} ended without a statement, and delegates said they would meet again.",
]
TITLES = [
    "Fighting flares near {place} as {state} and {state2} trade blame",
    "{org} calls for restraint in {region}",
    "{official} visits {place} amid {adj} calm",
    "{state} weighs new measures over {topic}",
    "Protests in {place} over {commodity} prices",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def _slots(rng: random.Random) -> dict[str, str]:
    """Fresh random values for every template slot."""
    (state, demonym), (state2, demonym2) = rng.sample(STATES, 2)
    place, place2 = rng.sample(PLACES, 2)

    def official() -> str:
        return f"{rng.choice(STATES)[1]} {rng.choice(ROLES)} {rng.choice(FIRST)} {rng.choice(LAST)}"

    return {
        "state": state, "demonym": demonym, "state2": state2, "demonym2": demonym2,
        "group": rng.choice(GROUPS), "org": rng.choice(ORGS), "forces": rng.choice(FORCES).capitalize(),
        "civilians": rng.choice(CIVILIANS), "official": official(), "official2": official(),
        "place": place, "place2": place2, "region": rng.choice(REGIONS), "day": rng.choice(DAYS),
        "victims": rng.choice(VICTIMS), "topic": rng.choice(TOPICS), "commodity": rng.choice(COMMODITIES),
        "adj": rng.choice(ADJ), "month": rng.choice(MONTHS), "n": str(rng.randint(2, 60)),
        "n2": str(rng.randint(2, 12)), "big": f"{rng.randint(1, 90) * 1000:,}",
        "pct": f"{rng.randint(1, 40) / 2:g}",
    }


def _sentence(rng: random.Random) -> str:
    text = rng.choice(TEMPLATES).format(**_slots(rng))
    return text[0].upper() + text[1:]


def article(rng: random.Random, words: int) -> tuple[str, str]:
    """One (title, text) pair of about ``words`` words in paragraphs of 2-5 sentences."""
    title = rng.choice(TITLES).format(**_slots(rng))
    title = title[0].upper() + title[1:]
    paragraphs: list[str] = []
    count = 0
    while count < words:
        para = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        count += len(para.split())
    return title, "\n\n".join(paragraphs)


def generate(*, words: int | None = None, docs: int | None = None, seed: int = 1,
             text_field: str = "text", date_field: str = "date", id_field: str = "id",
             title_field: str = "title", sizes: tuple[int, int] = (150, 800)) -> Iterator[dict[str, Any]]:
    """Stream records until ``words`` words or ``docs`` documents (whichever is given) are made.

    Each record has an id, a title, a date (ISO), a url and a text of ``sizes`` (min, max)
    words, under the given field names. Deterministic for ``seed``.
    """
    if words is None and docs is None:
        raise ValueError("give words or docs")
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    made_words = made_docs = 0
    while (words is None or made_words < words) and (docs is None or made_docs < docs):
        title, text = article(rng, rng.randint(*sizes))
        made_words += len(text.split())
        yield {id_field: f"doc-{seed}-{made_docs:07d}", title_field: title, text_field: text,
               date_field: (start + timedelta(days=rng.randint(0, 730))).isoformat(),
               "url": f"https://news.example.org/{seed}/{made_docs}"}
        made_docs += 1


def write(path: str | Path, records: Iterator[dict[str, Any]], *, row_group: int = 1000) -> int:
    """Write records as JSONL, JSONL.gz (by suffix) or Parquet; return how many were written.

    Streams: at most one Parquet row group is held in memory.
    """
    path = Path(path)
    n = 0
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer: pq.ParquetWriter | None = None
        try:
            while True:
                chunk = [r for _, r in zip(range(row_group), records)]
                if not chunk:
                    break
                table = pa.Table.from_pylist(chunk)
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
                n += len(chunk)
        finally:
            if writer is not None:
                writer.close()
        return n
    # no name and mtime=0 in the gzip header keep the file byte-identical for a seed
    raw = path.open("wb")
    fh = gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) if path.suffix == ".gz" else raw
    with raw, fh:
        for rec in records:
            fh.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="output file: .jsonl, .jsonl.gz or .parquet")
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--words", type=int, help="stop after this many words")
    size.add_argument("--docs", type=int, help="stop after this many documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--date-field", default="date")
    a = ap.parse_args()
    n = write(a.out, generate(words=a.words, docs=a.docs, seed=a.seed, text_field=a.text_field,
                              date_field=a.date_field))
    print(f"{n} documents -> {a.out}")


if __name__ == "__main__":
    main()
