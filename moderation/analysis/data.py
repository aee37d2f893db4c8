"""Readers for the training / evaluation sets in ../shared/data (only train and evaluate use this).

Held-out splits are made by a salted hash of each row's id, so they are fixed and reproducible.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from pathlib import Path

SEED = 20261125
ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("MODERATION_DATA", ROOT.parent / "shared" / "data"))

DISTRESS_EMOTIONS = {"sadness", "grief", "fear", "nervousness", "remorse", "disappointment"}
ANGER_EMOTIONS = {"anger", "annoyance", "disgust"}

csv.field_size_limit(10_000_000)


def split_of(key: str) -> str:
    """'test' (20%), 'calib' (10%) or 'train' (70%), fixed by SEED."""
    h = int(hashlib.sha1(f"{SEED}:{key}".encode(), usedforsecurity=False).hexdigest()[:8], 16) % 100
    return "test" if h < 20 else ("calib" if h < 30 else "train")


def goemotions(name: str = "train"):
    labels = (DATA / "goemotions" / "labels.txt").read_text().split()
    out = []
    with open(DATA / "goemotions" / f"{name}.tsv", encoding="utf-8") as fh:
        for line in fh:
            text, ids, rid = line.rstrip("\n").split("\t")
            emos = {labels[int(i)] for i in ids.split(",")}
            out.append(
                {
                    "id": rid,
                    "text": text,
                    "emotions": emos,
                    "distress": int(bool(emos & DISTRESS_EMOTIONS)),
                    "anger": int(bool(emos & ANGER_EMOTIONS)),
                }
            )
    return out


def civil():
    with open(DATA / "civil_comments" / "train.csv", encoding="utf-8") as fh:
        return [
            {
                "id": r["comment_id"],
                "text": r["text"],
                "toxic": int(r["toxic"]),
                "split": split_of("civil:" + r["comment_id"]),
            }
            for r in csv.DictReader(fh)
        ]


_RT = re.compile(r"^(?:!+\s*)?RT\s+@\w+:?\s*|@\w+:?|https?://\S+")


def clean_tweet(t: str) -> str:
    t = (
        t.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#8220;", '"')
        .replace("&#8221;", '"')
    )
    return re.sub(r"\s+", " ", _RT.sub(" ", t)).strip()


def davidson():
    with open(DATA / "davidson" / "labeled_data.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {
            "id": r[""],
            "text": clean_tweet(r["tweet"]),
            "cls": int(r["class"]),
            "split": split_of("davidson:" + r[""]),
        }
        for r in rows
    ]


def counsel():
    with open(DATA / "counsel_chat" / "questions.csv", encoding="utf-8") as fh:
        return [
            {
                "id": r["question_id"],
                "text": (r["title"].strip() + ". " + r["text"].strip()).strip(),
                "topic": r["topic"],
                "split": split_of("counsel:" + r["question_id"]),
            }
            for r in csv.DictReader(fh)
        ]


def spans(name: str = "train"):
    with open(DATA / "civil_comments" / f"spans_{name}.csv", encoding="utf-8") as fh:
        return [{"text": r["text"], "spans": json.loads(r["spans"])} for r in csv.DictReader(fh)]


def domain_dev():
    with open(DATA / "domain_dev" / "comments.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# ---- the sets added for the learned core (tone-2) --------------------------------------------
def _split(source: str, key: str) -> str:
    return split_of(f"{source}:{key}")


def _csv(path: Path, **kw) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, **kw))


def olid():
    """OffensEval 2019 training tweets: OFF/NOT, TIN/UNT (targeted or not), IND/GRP/OTH."""
    rows = _csv(DATA / "olid" / "train.tsv", delimiter="\t", quoting=csv.QUOTE_NONE)
    return [
        {
            "id": r["id"],
            "text": r["tweet"],
            "off": int(r["subtask_a"] == "OFF"),
            "b": r["subtask_b"],
            "c": r["subtask_c"],
            "split": _split("olid", r["id"]),
        }
        for r in rows
    ]


def dreaddit():
    return [
        {
            "id": r["id"],
            "text": r["text"],
            "stress": int(r["label"]),
            "split": _split("dreaddit", r["id"]),
        }
        for r in _csv(DATA / "dreaddit" / "train.csv")
    ]


def sdcnl():
    """r/SuicideWatch (1) vs r/depression (0) posts: title and body."""
    out = []
    for i, r in enumerate(_csv(DATA / "sdcnl" / "train.csv")):
        rid = r.get("") or str(i)
        text = (r["title"].strip() + ". " + r["selftext"].strip()).strip(" .")
        out.append(
            {"id": rid, "text": text, "suicide": int(r["is_suicide"]),
             "split": _split("sdcnl", rid)}
        )
    return out


CSSRS_AT_RISK = {"Ideation", "Behavior", "Attempt"}


def cssrs():
    """One row per user: the user's posts joined; label at least ideation on the C-SSRS scale."""
    import ast

    out = []
    for r in _csv(DATA / "cssrs" / "posts_labels.csv"):
        try:
            posts = ast.literal_eval(r["Post"])
        except (ValueError, SyntaxError):
            posts = [r["Post"]]
        text = "\n".join(p.strip() for p in posts if isinstance(p, str))
        out.append(
            {
                "id": r["User"],
                "text": text,
                "label": r["Label"],
                "risk": int(r["Label"] in CSSRS_AT_RISK),
                "split": _split("cssrs", r["User"]),
            }
        )
    return out


def _suicide_tweets(source: str, path: Path, text: str, label: str) -> list[dict]:
    """Tweets with a 0/1 suicide label; ids are row numbers."""
    return [
        {"id": str(i), "text": r[text], "suicide": int(r[label]), "split": _split(source, str(i))}
        for i, r in enumerate(_csv(path))
        if r[text].strip()
    ]


def suicidal_tweets():
    return _suicide_tweets("stweets", DATA / "suicidal_tweets" / "tweets.csv", "tweet",
                           "intention")


def es_suicide():
    return _suicide_tweets("es_suicide", DATA / "es_suicide" / "tweets.csv", "tweet_clean",
                           "suicidio")


def germeval():
    out = []
    with open(DATA / "germeval2018" / "train.tsv", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            out.append(
                {"id": str(i), "text": parts[0], "off": int(parts[1] == "OFFENSE"),
                 "fine": parts[2], "split": _split("germeval", str(i))}
            )
    return out


TOLD_IDENTITY = ("homophobia", "racism", "misogyny", "xenophobia")


def told_br():
    """ToLD-Br: per category, how many of 3 annotators marked the tweet."""
    out = []
    for i, r in enumerate(_csv(DATA / "told_br" / "told_br.csv")):
        votes = {k: float(v or 0) for k, v in r.items() if k != "text"}
        out.append(
            {"id": str(i), "text": r["text"], "votes": votes,
             "toxic": int(any(v >= 1 for v in votes.values())),
             "split": _split("told_br", str(i))}
        )
    return out


def mlma(lang: str):
    out = []
    for r in _csv(DATA / "mlma" / f"{lang}.csv"):
        kinds = set(r["sentiment"].split("_"))
        out.append(
            {"id": r["HITId"], "text": clean_tweet(r["tweet"]), "kinds": kinds,
             "hostile": int(kinds != {"normal"}), "hateful": int("hateful" in kinds),
             "target": r["target"], "split": _split(f"mlma-{lang}", r["HITId"])}
        )
    return out
