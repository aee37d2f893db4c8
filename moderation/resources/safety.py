"""Safe-messaging checks for any reply a moderator writes to a reader in distress.

Based on the safe-messaging guidance of reportingonsuicide.org and the
Samaritans media guidelines: no methods or means, no "committed suicide",
always a helpline, no promises the moderator cannot keep, no blame, nothing
sensational. Errs towards flagging: a human reads every problem.

The word lists are data, one file per language (``languages/<code>.yaml``): English,
Spanish, French, German, Portuguese, Italian and Dutch have equivalent checks, and a reply is
checked with the rules of its language(s) (English's always included).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from .catalog import Resource, load_catalog
from .languages import DEFAULT_LANGUAGE, Language, base_language, language_codes, load_language

#: Problem codes, in the order they are documented.
CODES = (
    "method_mention",
    "committed_suicide",
    "missing_helpline",
    "unkeepable_promise",
    "blame",
    "sensational",
)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    start: int  # text[start:end] is the offending words; (0, 0) for missing_helpline
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "start": self.start, "end": self.end}


_METHOD_MSG = (
    "Mentions a method or means of suicide or self-harm; remove it (safe-messaging guidance)."
)

#: The message for a rule that gives none (messages are for moderators, in English).
DEFAULT_MESSAGES = {
    "method_mention": _METHOD_MSG,
    "committed_suicide": "Say 'died by suicide' or 'took their own life', "
    "not 'commit(ted) suicide' (it implies a crime).",
    "unkeepable_promise": "Don't make promises you can't keep; "
    "say that help is available and that things can get better.",
    "blame": "Blaming or dismissive language; acknowledge the feeling instead.",
    "sensational": "Sensational wording about suicide.",
}

# --- helpline detection ------------------------------------------------------
_NUMBER_RE = re.compile(r"\+?\d[\d \-().]*\d|\d")
_NAME_STOPLIST = frozenset({"Mind"})  # too common as an ordinary word
_NAME_SUFFIXES = (
    " Helpline",
    " Information Line",
    " Infoline",
    " Dementia Support Line",
    " 24/7 Helpline",
)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.lower()
    return host[4:] if host.startswith("www.") else host or None


_DEFAULT_CATALOG = None  # cache key standing for the shipped catalog


@lru_cache(maxsize=8)
def _helpline_markers(
    catalog: tuple[Resource, ...] | None,
) -> tuple[frozenset[str], tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    if catalog is None:
        catalog = tuple(load_catalog())
    numbers: set[str] = set()
    names: set[str] = set()
    domains: set[str] = set()
    for r in catalog:
        for number in (r.phone, r.sms):
            if number:
                numbers.add(_digits(number))
        variants = {r.name, r.name.split(" (")[0].strip()}
        for suffix in _NAME_SUFFIXES:
            for v in list(variants):
                if v.endswith(suffix):
                    variants.add(v[: -len(suffix)].strip())
        names |= {v for v in variants if v and v not in _NAME_STOPLIST}
        for url in (r.url,):
            d = _domain(url)
            if d:
                domains.add(d)
    name_res = tuple(
        re.compile(r"(?<![\w])" + re.escape(n) + r"(?![\w])")
        for n in sorted(names, key=len, reverse=True)
    )
    domain_res = tuple(
        re.compile(
            r"(?<![\w.-])(?:https?://)?(?:www\.)?" + re.escape(d) + r"(?![\w-])", re.IGNORECASE
        )
        for d in sorted(domains)
    )
    return frozenset(numbers), name_res, domain_res


def languages_for(language: str | Iterable[str] | None) -> tuple[Language, ...]:
    """The languages whose rules check a reply: the given one(s) that have a file, and
    English always (moderators and readers mix in English names and words)."""
    if language is None or isinstance(language, str):
        language = (language,)
    codes = [DEFAULT_LANGUAGE]
    for value in language:
        base = base_language(value)
        if base in language_codes() and base not in codes:
            codes.append(base)
    return tuple(load_language(c) for c in codes)


def has_helpline(
    text: str,
    catalog: Sequence[Resource] | None = None,
    language: str | Iterable[str] | None = DEFAULT_LANGUAGE,
) -> bool:
    """True if ``text`` offers a way to reach help: a catalog phone/text number,
    any phone-like number right after a cue word of the language ("call", "llama",
    "appelez", "Telefon"...), a catalog resource's name, or a link to its website."""
    cues = [lang.helpline_cue for lang in languages_for(language)]
    catalog_key = _DEFAULT_CATALOG if catalog is None else tuple(catalog)
    numbers, name_res, domain_res = _helpline_markers(catalog_key)
    for match in _NUMBER_RE.finditer(text):
        digits = _digits(match.group())
        if digits in numbers:
            return True
        if len(digits) >= 3:
            before = text[max(0, match.start() - 30) : match.start()]
            if any(cue.search(before) for cue in cues):
                return True
    return any(p.search(text) for p in name_res) or any(p.search(text) for p in domain_res)


def _drop_nested(problems: list[Problem]) -> list[Problem]:
    """Drop a problem whose span lies inside another problem's span with the same code."""
    out = []
    for p in problems:
        if any(
            q is not p
            and q.code == p.code
            and q.start <= p.start
            and p.end <= q.end
            and (q.start, q.end) != (p.start, p.end)
            for q in problems
        ):
            continue
        if any(q.code == p.code and (q.start, q.end) == (p.start, p.end) for q in out):
            continue
        out.append(p)
    return out


def _find_wording_problems(
    text: str, *, prefilter: bool = True, language: str | Iterable[str] | None = DEFAULT_LANGUAGE
) -> list[Problem]:
    found: list[Problem] = []
    lowered = text.lower()
    for lang in languages_for(language):
        for rule in lang.rules:
            if prefilter and rule.triggers and not any(t in lowered for t in rule.triggers):
                continue
            message = rule.message or DEFAULT_MESSAGES[rule.code]
            for match in rule.pattern.finditer(text):
                if match.end() > match.start():
                    found.append(Problem(rule.code, message, match.start(), match.end()))
    found.sort(key=lambda p: (p.start, p.end, CODES.index(p.code)))
    return _drop_nested(found)


def check_reply(
    text: str,
    *,
    require_helpline: bool = True,
    catalog: Sequence[Resource] | None = None,
    language: str | Iterable[str] | None = DEFAULT_LANGUAGE,
) -> list[Problem]:
    """Safe-messaging problems in a reply, sorted by position.

    Each :class:`Problem` has ``code`` (one of :data:`CODES`), a ``message`` for
    the moderator, and ``start``/``end`` so that ``text[start:end]`` is the
    offending wording. A missing helpline (only checked with
    ``require_helpline=True``) has the span ``(0, 0)`` and comes first.
    ``catalog`` is used to recognise helpline names, numbers and websites
    (default: the shipped catalog). ``language`` (a code like ``"es"``, ``"pt-BR"``, or
    several) adds that language's word lists to English's; a language without a file
    is checked in English only. An empty list means no problem was found.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    found = _find_wording_problems(text, language=language)
    if require_helpline and not has_helpline(text, catalog, language):
        found.insert(
            0,
            Problem(
                "missing_helpline",
                "No helpline offered: add a crisis or support line with its number "
                "(or its website).",
                0,
                0,
            ),
        )
    return found


def problems_by_code(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    """Group problems by code (handy for UIs and tests)."""
    out: dict[str, list[Problem]] = {}
    for p in problems:
        out.setdefault(p.code, []).append(p)
    return out
