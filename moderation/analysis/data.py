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
