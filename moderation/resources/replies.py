"""Reply drafts for a human moderator to edit. Nothing here sends anything.

Templates are data, one file per language (``languages/<code>.yaml``: English, Spanish,
French, German, Portuguese, Italian, Dutch), each with a version for the writer at risk
(``about="self"``) and one for a writer worried about someone else (``about="other"``).
Every combination of flag x topic x region x language x person is tested against
``check_reply`` in that language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .. import policy
from .catalog import Resource, load_emergency_numbers
from .languages import DEFAULT_LANGUAGE, choose_language, load_language
from .matcher import FALLBACK_RESOURCE, Suggestion, flags_of
from .regions import INTERNATIONAL, normalize_region
from .safety import check_reply

#: Flags that get a draft, most urgent first.
DRAFT_FLAGS = policy.values(policy.SUPPORT_FLAGS)

#: Who the worry is about: the writer, or someone close to them.
ABOUT = ("self", "other")

MAX_TOPIC_LINES = 2
MAX_NAME_LENGTH = 40

# The English templates under their historical names (read-only views of en.yaml).
_EN = load_language(DEFAULT_LANGUAGE).drafts
OPENINGS = {flag: _EN["self"][flag]["opening"] for flag in DRAFT_FLAGS}
RESOURCES_INTRO = {flag: _EN["self"][flag]["resources_intro"] for flag in DRAFT_FLAGS}
HOPE = {flag: _EN["self"][flag]["hope"] for flag in DRAFT_FLAGS}
EMERGENCY = {policy.Flag.CRISIS.value: _EN["self"][policy.Flag.CRISIS]["emergency"]}
CLOSING = _EN["self"][policy.Flag.CRISIS]["closing"]
TOPIC_LINES = dict(_EN["topic_lines"])

#: Emergency numbers by region as English text ("112 or 999"), from the catalog file.
EMERGENCY_NUMBERS = {
    region: " or ".join(entry.numbers) for region, entry in load_emergency_numbers().items()
}


def _clean_name(author_name: Any, language: str = DEFAULT_LANGUAGE) -> str | None:
    """A display name safe to put in a reply, or None (omit the name)."""
    if not isinstance(author_name, str):
        return None
    name = "".join(ch for ch in author_name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip()
    if not name or len(name) > MAX_NAME_LENGTH or re.search(r"https?://|www\.|@|\d{3,}", name):
        return None
    # Check the name, and the name with separators/digits as spaces ("pills4u").
    spaced = re.sub(r"[\W\d_]+", " ", name)
    for text in (name, spaced):
        if check_reply(text, require_helpline=False, language=language):
            return None  # e.g. a user name that mentions a method: don't repeat it
    return name


def _join(items: Sequence[str], word_or: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word_or} {items[-1]}"


def _contact(resource: Resource, words: Mapping[str, Any]) -> str:
    phone, sms, keyword = resource.phone, resource.sms, resource.sms_keyword
    parts: list[str] = []
    if phone and sms and phone == sms and not keyword:
        parts.append(words["call_or_text"].format(phone=phone))
    else:
        if phone:
            parts.append(words["call"].format(phone=phone))
        if sms:
            parts.append(words["text_keyword"].format(keyword=keyword, sms=sms) if keyword
                         else words["text"].format(sms=sms))
    return f" {words['or']} ".join(parts)


def _details(resource: Resource, words: Mapping[str, Any]) -> str:
    bits = []
    if resource.free:
        bits.append(words["free"])
    if resource.open_24_7:
        bits.append(words["all_hours"])
    elif resource.phone or resource.sms:
        if words.get("limited_hours"):
            bits.append(words["limited_hours"])  # the catalog's hours are English free text
        else:
            hours = resource.hours.split("(")[0].strip().rstrip(",;")
            if hours:
                bits.append(hours[0].lower() + hours[1:])
    return f" ({', '.join(bits)})" if bits else ""


def format_resource_line(resource: Resource, language: str = DEFAULT_LANGUAGE) -> str:
    """One bullet line in the language, e.g.
    ``- Samaritans: call 116 123 (free, 24/7). https://www.samaritans.org/`` or
    ``- Línea de la Vida: llama al 800 911 2000 (gratuito, 24 horas).``"""
    words = load_language(choose_language(language)).drafts["resources"]
    contact = _contact(resource, words)
    if contact:
        line = words["line"].format(name=resource.name, contact=contact,
                                    details=_details(resource, words))
        if resource.url:
            line += f" {resource.url}"
        return line
    line = words["url_line"].format(name=resource.name, url=resource.url)
    if resource.kind == "information" and "suicide" in resource.topics:
        line += words["directory_suffix"]
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


def emergency_text(region: str | None, language: str = DEFAULT_LANGUAGE) -> str:
    """The region's emergency number(s) as words for a draft ("112 or 999", "15 ou 112"),
    or the language's "your local emergency number"."""
    drafts = load_language(choose_language(language)).drafts
    entry = load_emergency_numbers().get(normalize_region(region) or "")
    if entry is None:
        return drafts["emergency_fallback"]
    return _join(list(entry.numbers), drafts["resources"]["or"])


def draft_reply(
    analysis: Any,
    suggestions: Sequence[Suggestion] | Sequence[Resource],
    *,
    author_name: str | None = None,
    topics: Iterable[str] = (),
    region: str | None = None,
    language: str | None = DEFAULT_LANGUAGE,
    about: str = "self",
) -> str:
    """A warm, plain-language reply draft for a moderator to edit and send themselves.

    Uses the "crisis" template if ``analysis`` has the crisis flag, else the
    "distress" one; returns ``""`` when it has neither (no reply is suggested
    for hostile or threat-only comments). Lists the suggested resources in
    rank order (a crisis draft with no suggestions still lists the
    international directory). ``topics`` adds up to two topic sentences.
    ``region`` picks the emergency number in a crisis draft; if omitted it is
    inferred from a single-region crisis line among the suggestions, else
    "your local emergency number" is used. ``language`` picks the templates
    (``"es"``, ``"pt-BR"``...; English when there are none for it). ``about="other"``
    writes to someone worried about a person close to them (see ``worry_is_about``).
    ``author_name`` is used only if it is short and harmless. The result passes
    :func:`check_reply` in its language.
    """
    flag = draft_flag(analysis)
    if flag is None:
        return ""
    lang = choose_language(language)
    drafts = load_language(lang).drafts
    person = "other" if about == "other" else "self"
    templates = drafts[person][flag]
    resources = _resources_of(suggestions)
    if not resources:
        resources = [FALLBACK_RESOURCE]

    name = _clean_name(author_name, lang)
    greeting = drafts["greeting"].format(name=name) if name else drafts["greeting_anonymous"]
    paragraphs = [templates["opening"].format(greeting=greeting)]

    if isinstance(topics, str):
        topics = (topics,)
    lines = drafts["topic_lines_other"] if person == "other" else drafts["topic_lines"]
    topic_lines = [lines[t] for t in dict.fromkeys(topics or ()) if t in lines][:MAX_TOPIC_LINES]
    if topic_lines:
        paragraphs.append(" ".join(topic_lines))

    paragraphs.append(templates["resources_intro"] + "\n"
                      + "\n".join(format_resource_line(r, lang) for r in resources))
    paragraphs.append(templates["hope"])
    if "emergency" in templates:
        code = normalize_region(region) or _region_of(resources)
        paragraphs.append(templates["emergency"].format(emergency=emergency_text(code, lang)))
    paragraphs.append(templates["closing"].format(comma_name=f", {name}" if name else ""))
    return "\n\n".join(paragraphs)
