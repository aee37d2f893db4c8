"""Safe-messaging checks for any reply a moderator writes to a reader in distress.

Based on the safe-messaging guidance of reportingonsuicide.org and the
Samaritans media guidelines: no methods or means, no "committed suicide",
always a helpline, no promises the moderator cannot keep, no blame, nothing
sensational. Errs towards flagging: a human reads every problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from .catalog import Resource, load_catalog

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


_A = r"['’]"  # straight or curly apostrophe
_WILL = rf"(?:{_A}ll|\s+will)"
_SELF = r"(?:myself|yourself|himself|herself|themselves|themself|oneself)"

_METHOD_MSG = (
    "Mentions a method or means of suicide or self-harm; remove it (safe-messaging guidance)."
)

#: (code, trigger substrings, regex, message). The regex only runs when the lowercased
#: text contains one of the triggers (a cheap prefilter: keep triggers in sync).
_RULES: list[tuple[str, tuple[str, ...], str, str]] = [
    # --- methods and means ------------------------------------------------
    ("method_mention", ("pill",), r"\b(?:sleeping\s+)?pills?\b", _METHOD_MSG),
    ("method_mention", ("tablet",), r"\btablets?\b", _METHOD_MSG),
    ("method_mention", ("overdos",), r"\boverdos(?:e|es|ed|ing)\b", _METHOD_MSG),
    ("method_mention", ("od",), rf"(?-i:\bOD(?:{_A}?d|ed|ing)?\b)", _METHOD_MSG),
    (
        "method_mention",
        ("paracetamol", "acetaminophen", "tylenol", "painkiller", "pain"),
        r"\b(?:paracetamol|acetaminophen|tylenol|painkillers?|pain\s+killers?)\b",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("lethal", "fatal", "deadly"),
        r"\b(?:lethal|fatal|deadly)\s+(?:dose|amount|quantity)s?\b",
        _METHOD_MSG,
    ),
    ("method_mention", ("hanged",), r"\bhanged\b", _METHOD_MSG),
    (
        "method_mention",
        ("hang",),
        r"\bhang(?:s|ing)?\b(?!\s+(?:in\s+there|on\b|out\b|around\b|up\b|onto\b|about\b|together\b|tight\b|with\b|over\b))",
        _METHOD_MSG,
    ),
    ("method_mention", ("noose",), r"\bnooses?\b", _METHOD_MSG),
    ("method_mention", ("rope",), r"\brope\b|(?<!the )\bropes\b", _METHOD_MSG),
    ("method_mention", ("ligature",), r"\bligatures?\b", _METHOD_MSG),
    (
        "method_mention",
        ("strangl", "suffocat", "asphyxi"),
        r"\b(?:strangl|suffocat|asphyxi)\w*",
        _METHOD_MSG,
    ),
    ("method_mention", ("plastic",), r"\bplastic\s+bags?\b", _METHOD_MSG),
    (
        "method_mention",
        ("jump",),
        r"\bjump(?:s|ed|ing)?\s+(?:off|from|in\s+front|out\s+of|under|into)\b",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("bridge",),
        r"\bbridges?\b(?!\s+(?:the|this|that|a|an|any|our|their|your)\s+(?:gaps?|divides?|distance)\b)(?!\s+between\b)",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("cliff", "ledge", "roof", "tall", "storey"),
        r"\b(?:cliffs?|cliff\s+edges?|ledges?|roof\s?tops?|tall\s+buildings?|multi-?storey)\b",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("track", "line"),
        r"\b(?:train|railway|rail)\s+(?:tracks?|lines?)\b",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("front",),
        r"\bin\s+front\s+of\s+(?:a|the)\s+(?:train|bus|car|lorry|truck|tube)\b",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("gun", "firearm", "pistol", "rifle", "revolver", "bullet"),
        r"\b(?:guns?|handguns?|shotguns?|firearms?|pistols?|rifles?|revolvers?|bullets?)\b",
        _METHOD_MSG,
    ),
    ("method_mention", ("shoot",), rf"\bshoot(?:s|ing)?\s+{_SELF}\b", _METHOD_MSG),
    ("method_mention", ("knife",), r"(?<!under the )\bknife\b", _METHOD_MSG),
    (
        "method_mention",
        ("knives", "blade", "razor"),
        r"\b(?:knives|blades?|razors?)\b",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("cut",),
        rf"\bcut(?:s|ting)?\s+(?:{_SELF}|(?:my|your|his|her|their)\s+(?:wrists?|arms?|legs?|skin))\b",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("cutting",),
        rf"\bcutting\b(?!\s+(?:back|down|out|edge|corners?|costs?|ties|in\b|across|through|remarks?|comments?|{_SELF}))",
        _METHOD_MSG,
    ),
    ("method_mention", ("slit", "wrist"), r"\bslit\w*|\bwrists?\b", _METHOD_MSG),
    ("method_mention", ("poison",), r"\bpoison\w*", _METHOD_MSG),
    (
        "method_mention",
        ("bleach", "freeze", "pesticide", "weed"),
        r"\b(?:bleach|antifreeze|anti-freeze|pesticides?|weed\s?killers?)\b",
        _METHOD_MSG,
    ),
    (
        "method_mention",
        ("monoxide", "exhaust", "charcoal", "helium", "gas"),
        r"\b(?:carbon\s+monoxide|exhaust\s+fumes?|charcoal|helium|gas\s+oven)\b",
        _METHOD_MSG,
    ),
    ("method_mention", ("drown",), r"\bdrown\w*", _METHOD_MSG),
    (
        "method_mention",
        ("method", "way", "kill", "suicide"),
        rf"\b(?:suicide\s+methods?|methods?\s+of\s+(?:suicide|killing)|ways?\s+to\s+(?:die|kill\s+{_SELF})"
        rf"|how\s+to\s+kill\s+{_SELF}|suicide\s+(?:hot\s?spots?|spots?))\b",
        _METHOD_MSG,
    ),
    # --- language ---------------------------------------------------------
    (
        "committed_suicide",
        ("suicide",),
        r"\bcommit(?:s|ted|ting)?\s+suicide\b",
        "Say 'died by suicide' or 'took their own life', "
        "not 'commit(ted) suicide' (it implies a crime).",
    ),
    (
        "sensational",
        ("epidemic",),
        r"\b(?:suicide\s+epidemic|epidemic\s+of\s+suicides?)\b",
        "Sensational wording; describe suicide as a public-health issue, not an 'epidemic'.",
    ),
    (
        "sensational",
        ("successful",),
        r"\b(?:un)?successful\s+(?:suicide\s+)?(?:attempts?|suicides?)\b",
        "Don't describe suicide or an attempt as 'successful'/'unsuccessful'.",
    ),
    (
        "sensational",
        ("failed",),
        r"\bfailed\s+(?:suicide\s+)?attempts?\b",
        "Don't describe an attempt as 'failed'; say 'survived an attempt' or 'attempted suicide'.",
    ),
    (
        "sensational",
        ("completed",),
        r"\bcompleted\s+suicides?\b",
        "Say 'died by suicide' rather than 'completed suicide'.",
    ),
    (
        "sensational",
        ("suicide",),
        r"\bsuicide\s+(?:wave|spree|craze|pact)s?\b",
        "Sensational wording about suicide.",
    ),
    # --- promises the moderator cannot keep --------------------------------
    (
        "unkeepable_promise",
        ("always",),
        rf"\b(?:I|we){_WILL}\s+always\s+be\s+(?:here|there|around|available)\b"
        rf"|\b(?:I{_A}m|I\s+am|we{_A}re|we\s+are)\s+always\s+(?:here|there|around|available)\b"
        r"|\balways\s+here\s+for\s+you\b",
        "Don't promise to always be there: moderators can't keep that. "
        "Point to the helpline instead.",
    ),
    (
        "unkeepable_promise",
        ("fine", "ok", "alright", "right", "better", "work"),
        rf"\b(?:everything|things|it\s+all|it|you){_WILL}\s+(?:be\s+)?(?:fine|ok|okay|alright|all\s+right|get\s+better|work\s+out)\b"
        rf"|\b(?:everything|things|it\s+all|it|you)\s*(?:{_A}s|{_A}re|\s+is|\s+are)\s+going\s+to\s+(?:be\s+)?"
        r"(?:fine|ok|okay|alright|all\s+right|get\s+better|work\s+out)\b",
        "Don't promise that everything will be fine; "
        "say that help is available and that things can get better.",
    ),
    (
        "unkeepable_promise",
        ("promise", "guarantee"),
        r"\bI\s+promise\b|\bpromise\s+(?:you|that)\b|\bguarantee[sd]?\b",
        "Don't make promises; you can't guarantee outcomes.",
    ),
    (
        "unkeepable_promise",
        ("ll", "will"),
        rf"\b(?:I|we){_WILL}\s+(?:never\s+leave\s+you|never\s+let\s+you\s+down|keep\s+you\s+safe|make\s+sure\b|fix\s+(?:this|it)"
        r"|check\s+(?:in\s+)?on\s+you|call\s+you|be\s+there\s+for\s+you|be\s+here\s+(?:forever|24/7|whenever))",
        "Don't promise personal follow-up or safety you can't guarantee.",
    ),
    (
        "unkeepable_promise",
        ("tell", "secret"),
        rf"\b(?:I|we)\s+(?:won{_A}t|will\s+not)\s+tell\s+anyone\b|\bkeep\s+(?:this|it)\s+(?:a\s+)?secret\b",
        "Don't promise secrecy: moderators may have to act to keep someone safe.",
    ),
    # --- blame and stigma ---------------------------------------------------
    ("blame", ("selfish",), r"\bselfish\w*", "Blaming language ('selfish'); remove it."),
    (
        "blame",
        ("fault",),
        r"\b(?:your|their|his|her|my)\s+(?:own\s+)?fault\b",
        "Blaming language ('your fault'); remove it.",
    ),
    (
        "blame",
        ("attention",),
        r"\battention[\s-]+seek\w*",
        "Dismissive, blaming language ('attention seeking'); remove it.",
    ),
    ("blame", ("coward",), r"\bcoward(?:ly|ice)?\b", "Blaming language ('cowardly'); remove it."),
    (
        "blame",
        ("weak",),
        rf"\bsign\s+of\s+weakness\b|\b(?:you{_A}re|you\s+are|being)\s+(?:so\s+|too\s+)?weak\b",
        "Don't call the reader weak; reaching out takes strength.",
    ),
    (
        "blame",
        ("together", "snap", "over", "sorry", "yourself", "blame", "worse", "drama", "could"),
        r"\bpull\s+yourself\s+together\b|\bsnap\s+out\s+of\s+it\b|\bget\s+over\s+it\b"
        r"|\bstop\s+feeling\s+sorry\s+for\s+yourself\b|\b(?:brought|bring)\s+(?:this|it)\s+on\s+yourself\b"
        r"|\bonly\s+have\s+yourself\s+to\s+blame\b|\bothers\s+have\s+it\s+(?:much\s+|far\s+)?worse\b"
        r"|\bdrama\s+queen\b|\bhow\s+could\s+you\b",
        "Blaming or dismissive language; acknowledge the feeling instead.",
    ),
]

_COMPILED = [
    (code, triggers, re.compile(pattern, re.IGNORECASE), message)
    for code, triggers, pattern, message in _RULES
]

# --- helpline detection ------------------------------------------------------
_NUMBER_RE = re.compile(r"\+?\d[\d \-().]*\d|\d")
_CALL_CUE_RE = re.compile(
    r"\b(?:call|calling|ring|phone|text|txt|sms|dial|tel|telephone|helpline|hotline|line|number|freephone|contact|reach)\b",
    re.IGNORECASE,
)
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


def has_helpline(text: str, catalog: Sequence[Resource] | None = None) -> bool:
    """True if ``text`` offers a way to reach help: a catalog phone/text number,
    any phone-like number right after a cue word ("call", "text", "helpline"...),
    a catalog resource's name, or a link to a catalog resource's website."""
    catalog_key = _DEFAULT_CATALOG if catalog is None else tuple(catalog)
    numbers, name_res, domain_res = _helpline_markers(catalog_key)
    for match in _NUMBER_RE.finditer(text):
        digits = _digits(match.group())
        if digits in numbers:
            return True
        if len(digits) >= 3:
            before = text[max(0, match.start() - 30) : match.start()]
            if _CALL_CUE_RE.search(before):
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


def _find_wording_problems(text: str, *, prefilter: bool = True) -> list[Problem]:
    found: list[Problem] = []
    lowered = text.lower()
    for code, triggers, pattern, message in _COMPILED:
        if prefilter and not any(t in lowered for t in triggers):
            continue
        for match in pattern.finditer(text):
            if match.end() > match.start():
                found.append(Problem(code, message, match.start(), match.end()))
    return _drop_nested(found)


def check_reply(
    text: str,
    *,
    require_helpline: bool = True,
    catalog: Sequence[Resource] | None = None,
) -> list[Problem]:
    """Safe-messaging problems in a reply, sorted by position.

    Each :class:`Problem` has ``code`` (one of :data:`CODES`), a ``message`` for
    the moderator, and ``start``/``end`` so that ``text[start:end]`` is the
    offending wording. A missing helpline (only checked with
    ``require_helpline=True``) has the span ``(0, 0)`` and comes first.
    ``catalog`` is used to recognise helpline names, numbers and websites
    (default: the shipped catalog). An empty list means no problem was found.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    found = _find_wording_problems(text)
    found.sort(key=lambda p: (p.start, p.end, CODES.index(p.code)))
    if require_helpline and not has_helpline(text, catalog):
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
