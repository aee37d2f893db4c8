"""Per-language wording as data: reply templates, safe-messaging word lists, third-party cues.

Each language is one YAML file in ``languages/`` (``en.yaml``, ``es.yaml``, ...), so a
translator or a reviewer reads and edits one file, and adding a language adds a file.
Files are validated when loaded: a missing template, an unknown placeholder or a pattern
that does not compile raises :class:`LanguageDataError` naming the file and the key.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources as _pkg_resources
from typing import Any

import yaml

from ..policy import Flag
from .catalog import KNOWN_TOPICS

LANGUAGE_DIR = "languages"
DEFAULT_LANGUAGE = "en"

#: Problem codes a safe-messaging rule may report (``missing_helpline`` is not a rule).
RULE_CODES = ("method_mention", "committed_suicide", "unkeepable_promise", "blame", "sensational")

_DRAFT_PARTS = {
    Flag.CRISIS.value: ("opening", "resources_intro", "hope", "emergency", "closing"),
    Flag.DISTRESS.value: ("opening", "resources_intro", "hope", "closing"),
}
_RESOURCE_PARTS = (
    "line", "url_line", "directory_suffix", "call", "text", "text_keyword", "call_or_text",
    "or", "free", "all_hours",
)
_PLACEHOLDERS = {
    "greeting": {"name"},
    "greeting_anonymous": set(),
    "opening": {"greeting"},
    "resources_intro": set(),
    "hope": set(),
    "emergency": {"emergency"},
    "closing": {"comma_name"},
    "line": {"name", "contact", "details"},
    "url_line": {"name", "url"},
    "call": {"phone"},
    "text": {"sms"},
    "text_keyword": {"keyword", "sms"},
    "call_or_text": {"phone"},
}
_CODE_RE = re.compile(r"^[a-z]{2,3}$")
_MACRO_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


class LanguageDataError(ValueError):
    """A language file is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern[str]
    triggers: tuple[str, ...] = ()  # empty: always run
    message: str | None = None  # None: the code's default message


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    rules: tuple[Rule, ...]
    helpline_cue: re.Pattern[str]
    self_cues: tuple[re.Pattern[str], ...]
    relation_cues: tuple[re.Pattern[str], ...]
    other_cues: tuple[re.Pattern[str], ...]
    drafts: Mapping[str, Any]


def _fail(origin: str, where: str, problem: str) -> LanguageDataError:
    return LanguageDataError(f"{origin}: {where} {problem}")


def _expand(pattern: str, macros: Mapping[str, str], origin: str, where: str) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise _fail(origin, where, f"uses unknown macro {{{name}}}")
        return macros[name]

    return _MACRO_RE.sub(sub, pattern)


def _compile(pattern: Any, macros: Mapping[str, str], origin: str, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise _fail(origin, where, "must be a non-empty regular expression string")
    try:
        return re.compile(_expand(pattern, macros, origin, where), re.IGNORECASE)
    except re.error as exc:
        raise _fail(origin, where, f"does not compile: {exc}") from None


def _patterns(data: Mapping[str, Any], key: str, macros: Mapping[str, str], origin: str,
              section: str) -> tuple[re.Pattern[str], ...]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise _fail(origin, f"{section}.{key}", "must be a non-empty list of patterns")
    return tuple(_compile(p, macros, origin, f"{section}.{key}[{i}]") for i, p in enumerate(items))


def _check_template(text: Any, key: str, origin: str, where: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise _fail(origin, where, "must be a non-empty string")
    allowed = _PLACEHOLDERS.get(key, set())
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as exc:
        raise _fail(origin, where, f"is not a valid template: {exc}") from None
    unknown = fields - allowed
    if unknown:
        raise _fail(origin, where, f"has unknown placeholder(s) {sorted(unknown)} "
                                   f"(allowed: {sorted(allowed) or 'none'})")
    return text


def _validate_drafts(drafts: Any, origin: str) -> dict[str, Any]:
    if not isinstance(drafts, Mapping):
        raise _fail(origin, "drafts", "must be a mapping")
    out: dict[str, Any] = {}
    for key in ("greeting", "greeting_anonymous", "emergency_fallback"):
        out[key] = _check_template(drafts.get(key), key, origin, f"drafts.{key}")
    for about in ("self", "other"):
        section = drafts.get(about)
        if not isinstance(section, Mapping):
            raise _fail(origin, f"drafts.{about}", "must be a mapping with crisis and distress")
        out[about] = {}
        for flag, parts in _DRAFT_PARTS.items():
            templates = section.get(flag)
            if not isinstance(templates, Mapping):
                raise _fail(origin, f"drafts.{about}.{flag}", "must be a mapping")
            out[about][flag] = {
                part: _check_template(templates.get(part), part, origin,
                                      f"drafts.{about}.{flag}.{part}")
                for part in parts
            }
    lines = drafts.get("topic_lines")
    if not isinstance(lines, Mapping) or set(lines) != set(KNOWN_TOPICS):
        raise _fail(origin, "drafts.topic_lines", f"must have exactly the topics {KNOWN_TOPICS}")
    out["topic_lines"] = {t: _check_template(lines[t], t, origin, f"drafts.topic_lines.{t}")
                          for t in KNOWN_TOPICS}
    other = drafts.get("topic_lines_other") or {}
    if not isinstance(other, Mapping) or not set(other) <= set(KNOWN_TOPICS):
        raise _fail(origin, "drafts.topic_lines_other", "must map known topics to sentences")
    out["topic_lines_other"] = {
        t: _check_template(other[t], t, origin, f"drafts.topic_lines_other.{t}")
        for t in KNOWN_TOPICS if t in other
    }
    resources = drafts.get("resources")
    if not isinstance(resources, Mapping):
        raise _fail(origin, "drafts.resources", "must be a mapping")
    out["resources"] = {
        part: _check_template(resources.get(part), part, origin, f"drafts.resources.{part}")
        for part in _RESOURCE_PARTS
    }
    limited = resources.get("limited_hours")
    if limited is not None:
        limited = _check_template(limited, "limited_hours", origin,
                                  "drafts.resources.limited_hours")
    out["resources"]["limited_hours"] = limited
    return out


def parse_language(text: str, *, origin: str = "<string>") -> Language:
    """Parse and validate one language file's YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LanguageDataError(f"{origin}: not valid YAML: {exc}") from None
    if not isinstance(data, Mapping):
        raise LanguageDataError(f"{origin}: expected a mapping")
    code = data.get("language")
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise _fail(origin, "language", "must be a lowercase ISO 639 code like 'es'")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(origin, "name", "is required")

    macros: dict[str, str] = {}
    for key, value in (data.get("macros") or {}).items():
        if not isinstance(value, str):
            raise _fail(origin, f"macros.{key}", "must be a string")
        macros[str(key)] = _expand(value, macros, origin, f"macros.{key}")

    safe = data.get("safe_messaging")
    if not isinstance(safe, Mapping):
        raise _fail(origin, "safe_messaging", "must be a mapping")
    rules: list[Rule] = []
    raw_rules = safe.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(origin, "safe_messaging.rules", "must be a non-empty list")
    for i, raw in enumerate(raw_rules):
        where = f"safe_messaging.rules[{i}]"
        if not isinstance(raw, Mapping):
            raise _fail(origin, where, "must be a mapping with code and pattern")
        code_ = raw.get("code")
        if code_ not in RULE_CODES:
            raise _fail(origin, f"{where}.code", f"must be one of {RULE_CODES}, got {code_!r}")
        triggers = raw.get("triggers") or ()
        if isinstance(triggers, str) or not all(
                isinstance(t, str) and t == t.lower() and t for t in triggers):
            raise _fail(origin, f"{where}.triggers", "must be a list of lowercase substrings")
        message = raw.get("message")
        if message is not None and (not isinstance(message, str) or not message.strip()):
            raise _fail(origin, f"{where}.message", "must be a non-empty string")
        rules.append(Rule(code_, _compile(raw.get("pattern"), macros, origin, f"{where}.pattern"),
                          tuple(triggers), message))
    for needed in ("method_mention", "unkeepable_promise", "blame", "sensational",
                   "committed_suicide"):
        if not any(r.code == needed for r in rules):
            raise _fail(origin, "safe_messaging.rules", f"has no {needed!r} rule")
    cues = safe.get("helpline_cues")
    if not isinstance(cues, list) or not cues or not all(isinstance(c, str) and c for c in cues):
        raise _fail(origin, "safe_messaging.helpline_cues", "must be a non-empty list of words")
    helpline_cue = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
        + r")(?!\w)", re.IGNORECASE)

    third = data.get("third_party")
    if not isinstance(third, Mapping):
        raise _fail(origin, "third_party", "must be a mapping with self, relation and other")
    return Language(
        code=code,
        name=name.strip(),
        rules=tuple(rules),
        helpline_cue=helpline_cue,
        self_cues=_patterns(third, "self", macros, origin, "third_party"),
        relation_cues=_patterns(third, "relation", macros, origin, "third_party"),
        other_cues=_patterns(third, "other", macros, origin, "third_party"),
        drafts=_validate_drafts(data.get("drafts"), origin),
    )


def _files() -> dict[str, Any]:
    folder = _pkg_resources.files(__package__).joinpath(LANGUAGE_DIR)
    return {f.name[:-5]: f for f in folder.iterdir() if f.name.endswith(".yaml")}


@lru_cache(maxsize=1)
def language_codes() -> tuple[str, ...]:
    """The languages with drafts and checks, English first then alphabetical."""
    codes = sorted(_files())
    return tuple(sorted(codes, key=lambda c: (c != DEFAULT_LANGUAGE, c)))


@cache
def load_language(code: str) -> Language:
    """One shipped language (cached). Raises ``KeyError`` for a language without a file."""
    files = _files()
    if code not in files:
        raise KeyError(f"no language file for {code!r} (have: {', '.join(language_codes())})")
    origin = f"{__package__}/{LANGUAGE_DIR}/{code}.yaml"
    language = parse_language(files[code].read_text(encoding="utf-8"), origin=origin)
    if language.code != code:
        raise _fail(origin, "language", f"is {language.code!r}, but the file is named {code!r}")
    return language


def base_language(value: Any) -> str | None:
    """``"es-MX"`` -> ``"es"``; ``None`` for anything that is not a language tag."""
    if not isinstance(value, str):
        return None
    base = value.strip().lower().replace("_", "-").split("-")[0]
    return base if _CODE_RE.match(base) else None


def choose_language(*candidates: Any) -> str:
    """The first candidate (e.g. the comment's language, then the site's) that has drafts,
    else English. Region subtags are ignored (``"pt-BR"`` is ``"pt"``)."""
    codes = language_codes()
    for candidate in candidates:
        base = base_language(candidate)
        if base in codes:
            return base
    return DEFAULT_LANGUAGE
