"""Choose and rank support resources for a flagged comment (pure Python)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import policy
from .catalog import Resource, load_catalog
from .regions import INTERNATIONAL, normalize_region

#: Flags this module acts on. "threat" (aimed at others) and "hostile" alone get nothing.
SUPPORT_FLAGS = policy.values(policy.SUPPORT_FLAGS)

DEFAULT_LIMIT = 5

#: Used when no candidate answers in the reader's language.
FALLBACK_LANGUAGE = "en"

#: Last-resort crisis resource, used only if a (custom) catalog has no
#: international suicide resource, so a crisis never gets an empty list.
FALLBACK_RESOURCE = Resource(
    key="find-a-helpline",
    name="Find A Helpline",
    kind="information",
    regions=(INTERNATIONAL,),
    languages=("en",),
    topics=("suicide", "self_harm", "mental_health", "depression", "grief"),
    url="https://findahelpline.com/",
    hours="Directory of free, confidential helplines worldwide; hours vary by service",
    free=True,
    checked_on=_dt.date(2026, 11, 25),
    source="https://findahelpline.com/",
    notes="Built-in fallback (moderation.resources.matcher.FALLBACK_RESOURCE).",
)


@dataclass(frozen=True)
class Suggestion:
    resource: Resource
    reason: str
    rank: int  # 1 = show first

    def to_dict(self) -> dict[str, Any]:
        return {"resource": self.resource.to_dict(), "reason": self.reason, "rank": self.rank}


def flags_of(analysis: Any) -> tuple[str, ...]:
    """Flag names from an Analysis-like object (``.flags``), a list of names, one name or None."""
    if analysis is None:
        return ()
    flags = getattr(analysis, "flags", analysis)
    if flags is None:
        return ()
    if isinstance(flags, str):
        flags = (flags,)
    return tuple(str(f).strip().lower() for f in flags if isinstance(f, str))


def _language(language: Any) -> str:
    if not isinstance(language, str) or not language.strip():
        return "en"
    return language.strip().lower().replace("_", "-").split("-")[0]


def _prefer_language(
    candidates: list[Resource], language: str, *, keep_24_7: bool = False
) -> list[Resource]:
    """Reader's-language entries first; drop other-language variants when the language is served.

    With ``keep_24_7`` (crisis lines), if no entry in the reader's language is
    open 24/7, the first 24/7 entry is kept after them.
    """
    matching = [r for r in candidates if language in r.languages]
    if not matching and language != FALLBACK_LANGUAGE:
        # Nothing in the reader's language: prefer English (the catalog's common language).
        matching = [r for r in candidates if FALLBACK_LANGUAGE in r.languages]
    if not matching:
        return list(candidates)
    out = list(matching)
    if keep_24_7 and not any(r.open_24_7 for r in matching):
        extra = next((r for r in candidates if r.open_24_7 and r not in matching), None)
        if extra is not None:
            out.append(extra)
    return out


def _crisis_lines(catalog: Sequence[Resource], region: str, language: str) -> list[Resource]:
    found = [
        r for r in catalog if r.is_crisis_line and r.serves(region) and region != INTERNATIONAL
    ]
    kind_rank = {"crisis_line": 0, "chat": 1, "text_line": 2}
    found.sort(key=lambda r: kind_rank.get(r.kind, 3))  # stable: catalog order within a kind
    return _prefer_language(found, language, keep_24_7=True)


def _international_fallback(catalog: Sequence[Resource], language: str) -> list[Resource]:
    found = [r for r in catalog if r.is_international and "suicide" in r.topics]
    if not found:
        return [FALLBACK_RESOURCE]
    return _prefer_language(found, language)


def _topic_resources(
    catalog: Sequence[Resource], region: str, topics: Sequence[str], language: str
) -> list[tuple[Resource, str]]:
    """Non-crisis resources for the case's topics: the region's, else international ones.

    A resource is offered only when its main (first) topic is one of the case's topics:
    a carer under an MS article gets MS and carers' organisations, not a dementia line
    that also lists caregiving.
    """
    wanted = set(topics)
    out: list[tuple[Resource, str]] = []
    for topic in topics:
        relevant = [r for r in catalog
                    if topic in r.topics and r.topics[0] in wanted and not r.is_crisis_line]
        local = [r for r in relevant if r.serves(region) and region != INTERNATIONAL]
        where = f"in {region}"
        if not local:
            local = [r for r in relevant if r.is_international and r.kind != "information"]
            where = "internationally"
        # Resources listing this topic first (their main topic) before others; stable.
        local.sort(key=lambda r, t=topic: r.topics.index(t))
        for resource in _prefer_language(local, language):
            out.append(
                (
                    resource,
                    f"{_KIND_LABEL.get(resource.kind, 'Support')} for {_topic_label(topic)} "
                    f"{where}",
                )
            )
    return out


def _general_support(catalog: Sequence[Resource], region: str, language: str) -> list[Resource]:
    if region == INTERNATIONAL:
        return []
    found = [
        r
        for r in catalog
        if not r.is_crisis_line
        and r.serves(region)
        and {"mental_health", "depression"} & set(r.topics)
        and r.kind in ("support_line", "information", "peer_support")
    ]
    return _prefer_language(found, language)


_KIND_LABEL = {
    "crisis_line": "Crisis line",
    "text_line": "Crisis text line",
    "chat": "Crisis chat",
    "support_line": "Support line",
    "patient_organisation": "Organisation",
    "peer_support": "Peer support",
    "information": "Information",
}


def _topic_label(topic: str) -> str:
    return {"self_harm": "self-harm"}.get(topic, topic.replace("_", " "))


def suggest_resources(
    analysis: Any,
    region: str | None,
    language: str = "en",
    topics: Iterable[str] = (),
    catalog: Sequence[Resource] | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
) -> list[Suggestion]:
    """Ranked support resources to offer the author of a flagged comment.

    ``analysis``: anything with ``.flags`` (the tone engine's ``Analysis``), or a
    sequence of flag names. ``region``: the reader's region (see
    ``resolve_region``); ``None``/unknown/invalid means international.
    ``topics``: the article's topics (``topics_for_article``).

    * ``crisis``: starts with the region's crisis lines (reader's language
      preferred), or the international fallback if the region has none; then
      topic resources; then, outside INT, the international directory in case
      the region guess is wrong. Never empty, whatever ``limit`` is.
    * ``distress`` (without crisis): topic resources of the region (e.g. the
      regional MS organisation for ``multiple_sclerosis``), or general
      mental-health support when there are none, plus exactly one crisis/support
      line (the international fallback where the region has none) and its pair partner.
    * Topics: a resource counts for a topic only when its main (first) topic is one of
      ``topics`` (an MS carer gets MS and carers' organisations, not a dementia line).
    * Pairs (``paired_with``): both or neither; a pair that does not fit ``limit`` is
      left out whole, and a crisis line's partner is always kept with it.
    * ``threat``, ``hostile`` or no flags (without crisis/distress): ``[]``.

    Returns at most ``limit`` suggestions (at least 1; a crisis keeps all the
    region's crisis lines and their partners even beyond ``limit``, and so does the
    distress line with its partner), ranked from 1, no resource twice.
    """
    flags = set(flags_of(analysis))
    crisis = policy.Flag.CRISIS in flags
    distress = policy.Flag.DISTRESS in flags
    if not (crisis or distress):
        return []
    if catalog is None:
        catalog = load_catalog()
    region_code = normalize_region(region) or INTERNATIONAL
    lang = _language(language)
    if isinstance(topics, str):
        topics = (topics,)
    topic_list = list(dict.fromkeys(t for t in (topics or ()) if isinstance(t, str)))
    limit = max(int(limit), 1)

    by_key = {r.key: r for r in catalog}

    def unit(resource: Resource, reason: str) -> list[tuple[Resource, str]]:
        """A resource and the services paired with it (both or neither) in the region."""
        group = [(resource, reason)]
        for key in resource.paired_with:
            partner = by_key.get(key)
            if partner is not None and (partner.serves(region_code) or partner.is_international):
                group.append((partner, f"Shown together with {resource.name}"))
        return group

    picked: list[tuple[Resource, str]] = []

    def fits(group: list[tuple[Resource, str]], cap: int) -> bool:
        new = [r for r, _ in group if all(r.key != p.key for p, _ in picked)]
        return len(picked) + len(new) <= cap

    def add(group: list[tuple[Resource, str]]) -> None:
        for resource, reason in group:
            if all(resource.key != r.key for r, _ in picked):
                picked.append((resource, reason))

    lines = _crisis_lines(catalog, region_code, lang)
    if lines:
        line_reasons = [
            (r, f"{_KIND_LABEL[r.kind]} for {region_code}" + (" (24/7)" if r.open_24_7 else ""))
            for r in lines
        ]
    else:
        why = (
            "region unknown"
            if region_code == INTERNATIONAL
            else f"no crisis line listed for {region_code}"
        )
        line_reasons = [
            (r, f"International directory of helplines ({why})")
            for r in _international_fallback(catalog, lang)
        ]

    if crisis:
        # Crisis lines (and their partners) are all kept, even beyond the limit.
        for resource, reason in line_reasons:
            add(unit(resource, reason))
        cap = max(limit, len(picked))
        more = [unit(r, why) for r, why in _topic_resources(catalog, region_code, topic_list, lang)]
        if lines:  # a regional line was found: also offer the directory in case the region is wrong
            more += [
                unit(r, f"International directory, in case the reader is outside {region_code}")
                for r in _international_fallback(catalog, lang)[:1]
            ]
        for group in more:
            if fits(group, cap):
                add(group)
    else:
        support = _topic_resources(catalog, region_code, topic_list, lang)
        if not support:
            support = [
                (r, f"{_KIND_LABEL.get(r.kind, 'Support')} for mental health in {region_code}")
                for r in _general_support(catalog, region_code, lang)
            ]
        # Exactly one line (with its partner), always kept within the limit.
        line = unit(*line_reasons[0])
        line_keys = {r.key for r, _ in line}
        room = max(limit - len(line), 0)
        for resource, reason in support:
            group = unit(resource, reason)
            if line_keys & {r.key for r, _ in group}:
                continue
            if fits(group, room):
                add(group)
        add(line)

    return [
        Suggestion(resource=r, reason=reason, rank=i)
        for i, (r, reason) in enumerate(picked, start=1)
    ]
