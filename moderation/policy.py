"""One home for flag policy: which flags exist and, per flag, how urgent it is, how soon a
human must answer, what moderators see, whether the reader is offered support, and what a
Perspective-style client calls it. Pure Python (no Flask, no database): the tone engine, the
services, the dashboard, the API document and the CLI all read it, so a new flag is added
here once and cannot be half added (tests/test_policy.py enumerates Flag).
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Flag(enum.StrEnum):
    CRISIS = "crisis"
    THREAT = "threat"
    UNSCORED = "unscored"  # the engine failed on the comment: a human reads it
    DISTRESS = "distress"
    HOSTILE = "hostile"


@dataclass(frozen=True)
class FlagPolicy:
    urgency: int  # queue order: 1 first
    deadline: int  # minutes to a decision (RESPONSE_DEADLINES)
    escalation_deadline: int  # minutes for the leads once escalated (ESCALATION_DEADLINES)
    label: str  # what moderators read
    colour: str  # charts and badges
    axis: str | None  # the engine score the flag reads (None: not an engine flag)
    support: bool  # the reader is offered support resources and a reply draft
    perspective: str | None  # the Perspective-style attribute of the same reading
    alert: bool  # alerts on arrival by default


POLICY: dict[Flag, FlagPolicy] = {
    Flag.CRISIS: FlagPolicy(1, 15, 30, "Crisis", "#b3261e", "crisis", True, "SELF_HARM", True),
    Flag.THREAT: FlagPolicy(2, 60, 60, "Threat", "#c25e00", "threat", False, "THREAT", True),
    Flag.UNSCORED: FlagPolicy(2, 30, 30, "Not scored: read it", "#8a6d00", None, False, None,
                              False),
    Flag.DISTRESS: FlagPolicy(3, 240, 240, "Distress", "#5b4aa8", "distress", True, "DISTRESS",
                              False),
    Flag.HOSTILE: FlagPolicy(4, 1440, 1440, "Hostile", "#5f6b73", "hostility", False, "TOXICITY",
                             False),
}

#: every flag, most urgent first (ties in declaration order)
ORDER: tuple[Flag, ...] = tuple(sorted(Flag, key=lambda f: POLICY[f].urgency))
_RANK: dict[str, int] = {f.value: i for i, f in enumerate(ORDER)}
#: the flags the tone engine gives (an axis each), most urgent first
ENGINE_FLAGS: tuple[Flag, ...] = tuple(f for f in ORDER if POLICY[f].axis)
#: flags whose reader is offered support resources and a reply draft
SUPPORT_FLAGS: tuple[Flag, ...] = tuple(f for f in ORDER if POLICY[f].support)
#: flags that alert on arrival unless a site chooses others
DEFAULT_ALERT_FLAGS: tuple[Flag, ...] = tuple(f for f in ORDER if POLICY[f].alert)


class Tag(enum.StrEnum):
    """Readings that do not queue: shown to moderators, counted in stats."""
    CRITICISM = "criticism"  # negative feedback on the article, not an attack
    PROFANITY = "profanity"  # swearing at nobody
    ABOUT_OTHER = "about_other"  # a crisis worry about someone else


def values(flags: Iterable[Flag] = ORDER) -> tuple[str, ...]:
    return tuple(f.value for f in flags)


def urgency(flag: str) -> int:
    return POLICY[Flag(flag)].urgency


def most_urgent_first(flags: Iterable[str]) -> list[str]:
    """Flags in queue order (ties in declaration order), each once."""
    return sorted(dict.fromkeys(flags), key=_RANK.__getitem__)


def deadlines() -> dict[str, int]:
    """Minutes to a decision per flag (the default of the app's RESPONSE_DEADLINES)."""
    return {f.value: POLICY[f].deadline for f in ORDER}


def escalation_deadlines() -> dict[str, int]:
    return {f.value: POLICY[f].escalation_deadline for f in ORDER}


def labels() -> dict[str, str]:
    return {f.value: POLICY[f].label for f in ORDER}


def colours() -> dict[str, str]:
    return {f.value: POLICY[f].colour for f in ORDER}


