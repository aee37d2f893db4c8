"""Reply drafts for a human moderator to edit. Nothing here sends anything.

Templates are plain strings so they can be reviewed (and translated) easily.
Every combination of flag x topic x region is tested against ``check_reply``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from .catalog import Resource
from .matcher import FALLBACK_RESOURCE, Suggestion, flags_of
from .regions import INTERNATIONAL, normalize_region
from .safety import check_reply

#: Flags that get a draft, most urgent first.
DRAFT_FLAGS = ("crisis", "distress")

OPENINGS = {
    "crisis": (
        "{greeting}thank you for telling us how you're feeling. "
        "I'm really sorry things are so hard right now. "
        "You don't have to go through this on your own, and talking to someone can help."
    ),
    "distress": (
        "{greeting}thank you for sharing this. "
        "It sounds like you're going through a really difficult time, "
        "and it's okay to reach out for support."
    ),
}

TOPIC_LINES = {
    "multiple_sclerosis": (
        "Living with MS can be exhausting and isolating at times, "
        "and many people with MS have felt the way you describe."
    ),
    "chronic_illness": (
        "Living with a long-term condition can wear anyone down, "
        "and it makes sense that you feel this way."
    ),
    "caregiving": (
        "Caring for someone you love is hard, "
        "and it's easy to lose sight of your own needs along the way. Your wellbeing matters too."
    ),
    "dementia": (
        "Supporting someone with dementia can be lonely and exhausting, "
        "and many carers feel this way at times."
    ),
    "depression": (
        "Depression can make everything feel heavier, "
        "but it is treatable and people do feel better with support."
    ),
    "suicide": (
        "If anything in this article has affected you, please know that support is there for you."
    ),
    "self_harm": (
        "If you're struggling with self-harm, you deserve support and kindness, not judgement."
    ),
    "grief": (
        "Grief can be overwhelming, "
        "and there is no right or wrong way to feel after losing someone."
    ),
    "mental_health": (
        "Your mental health matters just as much as your physical health, "
        "and reaching out is a good first step."
    ),
}

RESOURCES_INTRO = {
    "crisis": (
        "If you are thinking about suicide or don't feel safe right now, "
        "please contact one of these services. They are there to listen, without judgement:"
    ),
    "distress": "These services can offer support and information:",
}

HOPE = {
    "crisis": (
        "Many people who have felt this way have found that talking to someone helped, "
        "and with the right support things can get better."
    ),
    "distress": "Reaching out can really help, and things can change with the right support.",
}

EMERGENCY = {
    "crisis": "If you are in immediate danger, please call {emergency} now.",
}

CLOSING = "Take care{comma_name}."

#: Emergency numbers by region (for the crisis draft). Others: generic wording.
EMERGENCY_NUMBERS = {
    "GB": "999",
    "IE": "112 or 999",
    "US": "911",
    "CA": "911",
    "AU": "000",
    "NZ": "111",
}
_GENERIC_EMERGENCY = "your local emergency number"

MAX_TOPIC_LINES = 2
MAX_NAME_LENGTH = 40


def _clean_name(author_name: Any) -> str | None:
    """A display name safe to put in a reply, or None (omit the name)."""
    if not isinstance(author_name, str):
        return None
    name = "".join(ch for ch in author_name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip()
    if not name or len(name) > MAX_NAME_LENGTH or re.search(r"https?://|www\.|@|\d{3,}", name):
        return None
    # Check the name, and the name with separators/digits as spaces ("pills4u").
    spaced = re.sub(r"[\W\d_]+", " ", name)
    if check_reply(name, require_helpline=False) or check_reply(spaced, require_helpline=False):
        return None  # e.g. a user name that mentions a method: don't repeat it
    return name


def _contact(resource: Resource) -> str:
    phone, sms, keyword = resource.phone, resource.sms, resource.sms_keyword
    parts: list[str] = []
    if phone and sms and phone == sms and not keyword:
        parts.append(f"call or text {phone}")
    else:
        if phone:
            parts.append(f"call {phone}")
        if sms:
            parts.append(f"text {keyword} to {sms}" if keyword else f"text {sms}")
    return " or ".join(parts)


def _details(resource: Resource) -> str:
    bits = []
    if resource.free:
        bits.append("free")
    if resource.open_24_7:
        bits.append("24/7")
    elif resource.phone or resource.sms:
        hours = resource.hours.split("(")[0].strip().rstrip(",;")
        if hours:
            bits.append(hours[0].lower() + hours[1:])
    return f" ({', '.join(bits)})" if bits else ""


def format_resource_line(resource: Resource) -> str:
    """One bullet line, e.g. ``- Samaritans: call 116 123 (free, 24/7). https://www.samaritans.org/``."""
    contact = _contact(resource)
    if contact:
        line = f"- {resource.name}: {contact}{_details(resource)}."
        if resource.url:
            line += f" {resource.url}"
        return line
    line = f"- {resource.name}: {resource.url}"
    if resource.kind == "information" and "suicide" in resource.topics:
        line += " lists helplines around the world."
    return line


def draft_flag(analysis: Any) -> str | None:
    """The flag a draft is written for ("crisis" before "distress"), or None."""
    flags = flags_of(analysis)
    return next((f for f in DRAFT_FLAGS if f in flags), None)


def _resources_of(suggestions: Iterable[Any]) -> list[Resource]:
    out: list[Resource] = []
    for s in suggestions or ():
        resource = s.resource if isinstance(s, Suggestion) or hasattr(s, "resource") else s
        if isinstance(resource, Resource) and all(resource.key != r.key for r in out):
            out.append(resource)
    return out


def _region_of(resources: Sequence[Resource]) -> str | None:
    for r in resources:
        if r.is_crisis_line:
            regions = [c for c in r.regions if c != INTERNATIONAL]
            if len(regions) == 1:
                return regions[0]
    return None


def draft_reply(
    analysis: Any,
    suggestions: Sequence[Suggestion] | Sequence[Resource],
    *,
    author_name: str | None = None,
    topics: Iterable[str] = (),
    region: str | None = None,
) -> str:
    """A warm, plain-language reply draft for a moderator to edit and send themselves.

    Uses the "crisis" template if ``analysis`` has the crisis flag, else the
    "distress" one; returns ``""`` when it has neither (no reply is suggested
    for hostile or threat-only comments). Lists the suggested resources in
    rank order (a crisis draft with no suggestions still lists the
    international directory). ``topics`` adds up to two topic sentences.
    ``region`` picks the emergency number in a crisis draft; if omitted it is
    inferred from a single-region crisis line among the suggestions, else
    "your local emergency number" is used. ``author_name`` is used only if it
    is short and harmless. The result passes :func:`check_reply`.
    """
    flag = draft_flag(analysis)
    if flag is None:
        return ""
    resources = _resources_of(suggestions)
    if not resources:
        resources = [FALLBACK_RESOURCE]

    name = _clean_name(author_name)
    greeting = f"Hi {name}, " if name else "Hi, "
    paragraphs = [OPENINGS[flag].format(greeting=greeting)]

    if isinstance(topics, str):
        topics = (topics,)
    topic_lines = [TOPIC_LINES[t] for t in dict.fromkeys(topics or ()) if t in TOPIC_LINES][
        :MAX_TOPIC_LINES
    ]
    if topic_lines:
        paragraphs.append(" ".join(topic_lines))

    paragraphs.append(
        RESOURCES_INTRO[flag] + "\n" + "\n".join(format_resource_line(r) for r in resources)
    )
    paragraphs.append(HOPE[flag])
    if flag in EMERGENCY:
        code = normalize_region(region) or _region_of(resources)
        paragraphs.append(
            EMERGENCY[flag].format(emergency=EMERGENCY_NUMBERS.get(code or "", _GENERIC_EMERGENCY))
        )
    paragraphs.append(CLOSING.format(comma_name=f", {name}" if name else ""))
    return "\n\n".join(paragraphs)
