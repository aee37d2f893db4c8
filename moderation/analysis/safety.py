"""The safety net: the rules in rules.yaml, loaded once, matched on normalised text."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

RULES = Path(__file__).resolve().parent / "rules.yaml"
AXES = ("crisis", "threat", "distress", "hostility")


@dataclass(frozen=True)
class Rule:
    id: str
    axis: str
    strength: float
    reason: str
    pattern: re.Pattern
    langs: tuple[str, ...]
    about: str = "self"
    examples: tuple[str, ...] = ()
    counter: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    rule: Rule
    start: int  # offsets into the normalised text
    end: int


def _rule(raw: dict) -> Rule:
    missing = {"id", "axis", "strength", "reason", "pattern"} - set(raw)
    if missing:
        raise ValueError(f"rule {raw.get('id', '?')}: missing {sorted(missing)}")
    if raw["axis"] not in AXES:
        raise ValueError(f"rule {raw['id']}: unknown axis {raw['axis']!r}")
    strength = float(raw["strength"])
    if not 0.0 < strength <= 1.0:
        raise ValueError(f"rule {raw['id']}: strength must be in (0, 1]")
    return Rule(
        id=str(raw["id"]),
        axis=raw["axis"],
        strength=strength,
        reason=str(raw["reason"]),
        pattern=re.compile(str(raw["pattern"]), re.IGNORECASE),
        langs=tuple(str(raw.get("lang", "en")).split()),
        about=str(raw.get("about", "self")),
        examples=tuple(raw.get("examples") or ()),
        counter=tuple(raw.get("counter") or ()),
    )


def load(path: Path = RULES) -> tuple[Rule, ...]:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or []
    rules = tuple(_rule(r) for r in raw)
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError("rule ids must be unique")
    return rules


@functools.cache
def rules() -> tuple[Rule, ...]:
    return load()


def find(text: str, ruleset: tuple[Rule, ...] | None = None) -> list[Hit]:
    """Every rule match in ``text`` (already normalised), in text order."""
    hits = [
        Hit(rule, m.start(), m.end())
        for rule in (ruleset if ruleset is not None else rules())
        for m in rule.pattern.finditer(text)
        if m.end() > m.start()
    ]
    return sorted(hits, key=lambda h: (h.start, h.end))
