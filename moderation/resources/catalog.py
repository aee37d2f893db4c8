"""The support-resource catalog: a YAML data file, validated into frozen ``Resource`` objects."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as _pkg_resources
from pathlib import Path
from typing import Any

import yaml

from .regions import INTERNATIONAL, VALID_REGIONS

#: Kinds of resource. ``support_line`` is a listening/support phone line that
#: is not a crisis service (e.g. Beyond Blue, Cruse).
KINDS = (
    "crisis_line",
    "text_line",
    "chat",
    "support_line",
    "patient_organisation",
    "peer_support",
    "information",
)

#: Kinds that can count as a crisis line (together with the topic "suicide").
CRISIS_KINDS = frozenset({"crisis_line", "text_line", "chat"})

#: Topics a resource (or an article) can be about.
KNOWN_TOPICS = (
    "multiple_sclerosis",
    "chronic_illness",
    "caregiving",
    "dementia",
    "depression",
    "suicide",
    "self_harm",
    "grief",
    "mental_health",
)

FIELDS = (
    "key",
    "name",
    "kind",
    "regions",
    "languages",
    "topics",
    "phone",
    "sms",
    "sms_keyword",
    "url",
    "hours",
    "free",
    "checked_on",
    "source",
    "notes",
)
REQUIRED_FIELDS = (
    "key",
    "name",
    "kind",
    "regions",
    "languages",
    "topics",
    "hours",
    "checked_on",
    "source",
)

_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
# Digits, spaces, and the usual separators; must contain at least 3 digits.
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-.]*[0-9]$")
_SMS_KEYWORD_RE = re.compile(r"^[A-Za-z0-9]{1,20}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

DEFAULT_CATALOG_FILE = "catalog.yaml"


class CatalogError(ValueError):
    """A catalog entry (or the catalog file) is invalid. The message names the entry and field."""


@dataclass(frozen=True)
class Resource:
    key: str
    name: str
    kind: str
    regions: tuple[str, ...]
    languages: tuple[str, ...]
    topics: tuple[str, ...]
    hours: str
    checked_on: _dt.date
    source: str
    phone: str | None = None
    sms: str | None = None
    sms_keyword: str | None = None
    url: str | None = None
    free: bool | None = None
    notes: str | None = None

    # -- derived -----------------------------------------------------------
    @property
    def is_crisis_line(self) -> bool:
        """A phone/text/chat service for people who may be suicidal."""
        return self.kind in CRISIS_KINDS and "suicide" in self.topics

    @property
    def is_international(self) -> bool:
        return INTERNATIONAL in self.regions

    @property
    def open_24_7(self) -> bool:
        return self.hours.strip().lower().startswith("24/7")

    def serves(self, region: str) -> bool:
        return region in self.regions

    # -- (de)serialisation ---------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Resource:
        """Build and validate a resource from a plain mapping (YAML entry or DB row).

        ``checked_on`` may be a ``datetime.date`` or an ISO ``"YYYY-MM-DD"`` string;
        list fields may be any sequence of strings. Raises :class:`CatalogError`.
        """
        if not isinstance(data, Mapping):
            raise CatalogError(f"entry must be a mapping, got {type(data).__name__}")
        label = data.get("key") if isinstance(data.get("key"), str) else "<no key>"

        def fail(fieldname: str, problem: str) -> CatalogError:
            return CatalogError(f"resource {label!r}: field {fieldname!r} {problem}")

        unknown = sorted(set(data) - set(FIELDS), key=str)
        if unknown:
            raise fail(str(unknown[0]), f"is not a known field (known: {', '.join(FIELDS)})")
        for name in REQUIRED_FIELDS:
            if data.get(name) in (None, "", [], ()):
                raise fail(name, "is required")

        def text(name: str, *, required: bool = False) -> str | None:
            value = data.get(name)
            if value is None or (value == "" and not required):
                return None
            if not isinstance(value, str):
                raise fail(
                    name,
                    f"must be a string, got {type(value).__name__} {value!r} (quote it in YAML)",
                )
            value = value.strip()
            if not value:
                raise fail(name, "must not be blank")
            return value

        def str_list(name: str) -> tuple[str, ...]:
            value = data.get(name)
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise fail(name, f"must be a list of strings, got {value!r}")
            items = tuple(value)
            for item in items:
                if not isinstance(item, str):
                    raise fail(name, f"must contain only strings, got {item!r} (quote it in YAML)")
            if len(set(items)) != len(items):
                raise fail(name, f"has duplicates: {list(items)!r}")
            return items

        key = text("key", required=True)
        if not _KEY_RE.match(key):
            raise fail("key", f"must be a lowercase slug ([a-z0-9_-], max 64 chars), got {key!r}")
        name = text("name", required=True)
        kind = text("kind", required=True)
        if kind not in KINDS:
            raise fail("kind", f"must be one of {', '.join(KINDS)}; got {kind!r}")

        regions = str_list("regions")
        for region in regions:
            if region not in VALID_REGIONS:
                raise fail(
                    "regions", f"has {region!r}: use uppercase ISO 3166-1 alpha-2 codes or 'INT'"
                )
        languages = str_list("languages")
        for lang in languages:
            if not _LANG_RE.match(lang):
                raise fail("languages", f"has {lang!r}: use lowercase ISO 639 codes like 'en'")
        topics = str_list("topics")
        for topic in topics:
            if topic not in KNOWN_TOPICS:
                raise fail(
                    "topics", f"has unknown topic {topic!r} (known: {', '.join(KNOWN_TOPICS)})"
                )

        phone = text("phone")
        sms = text("sms")
        for fname, number in (("phone", phone), ("sms", sms)):
            if number is not None:
                digits = sum(ch.isdigit() for ch in number)
                if not _PHONE_RE.match(number) or digits < 3:
                    raise fail(
                        fname,
                        f"must be a phone number as published (digits, spaces, +-()), "
                        f"got {number!r}",
                    )
        sms_keyword = text("sms_keyword")
        if sms_keyword is not None:
            if sms is None:
                raise fail("sms_keyword", "needs an 'sms' number")
            if not _SMS_KEYWORD_RE.match(sms_keyword):
                raise fail("sms_keyword", f"must be a single word, got {sms_keyword!r}")
        url = text("url")
        if url is not None and not _URL_RE.match(url):
            raise fail("url", f"must be an http(s) URL, got {url!r}")
        if phone is None and sms is None and url is None:
            raise fail("phone/sms/url", "at least one way to reach the service is required")

        hours = text("hours", required=True)
        free = data.get("free")
        if free is not None and not isinstance(free, bool):
            raise fail("free", f"must be true, false or omitted, got {free!r}")

        checked_on = data.get("checked_on")
        if isinstance(checked_on, _dt.datetime):
            raise fail("checked_on", "must be a date (YYYY-MM-DD), not a datetime")
        if isinstance(checked_on, str):
            try:
                checked_on = _dt.date.fromisoformat(checked_on.strip())
            except ValueError:
                raise fail("checked_on", f"must be a date YYYY-MM-DD, got {checked_on!r}") from None
        if not isinstance(checked_on, _dt.date):
            raise fail("checked_on", f"must be a date YYYY-MM-DD, got {checked_on!r}")

        source = text("source", required=True)
        if not _URL_RE.match(source):
            raise fail(
                "source", f"must be the http(s) URL where the entry was verified, got {source!r}"
            )
        notes = text("notes")

        return cls(
            key=key,
            name=name,
            kind=kind,
            regions=regions,
            languages=languages,
            topics=topics,
            hours=hours,
            checked_on=checked_on,
            source=source,
            phone=phone,
            sms=sms,
            sms_keyword=sms_keyword,
            url=url,
            free=free,
            notes=notes,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict (lists, ISO date string); ``from_dict(to_dict())`` round-trips.

        Every field in :data:`FIELDS` is present; optional ones may be ``None``.
        """
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "regions": list(self.regions),
            "languages": list(self.languages),
            "topics": list(self.topics),
            "phone": self.phone,
            "sms": self.sms,
            "sms_keyword": self.sms_keyword,
            "url": self.url,
            "hours": self.hours,
            "free": self.free,
            "checked_on": self.checked_on.isoformat(),
            "source": self.source,
            "notes": self.notes,
        }


def validate_catalog(entries: Iterable[Mapping[str, Any]]) -> list[Resource]:
    """Validate plain mappings into resources (keys unique). Raises :class:`CatalogError`."""
    out: list[Resource] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        try:
            resource = Resource.from_dict(entry)
        except CatalogError as exc:
            raise CatalogError(f"catalog entry #{index + 1}: {exc}") from None
        if resource.key in seen:
            raise CatalogError(f"catalog entry #{index + 1}: duplicate key {resource.key!r}")
        seen.add(resource.key)
        out.append(resource)
    return out


def parse_catalog(text: str, *, origin: str = "<string>") -> list[Resource]:
    """Parse catalog YAML text (a top-level ``resources:`` list, or a bare list)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{origin}: not valid YAML: {exc}") from None
    if isinstance(data, Mapping):
        data = data.get("resources")
    if not isinstance(data, list):
        raise CatalogError(f"{origin}: expected a list of resources (under 'resources:')")
    try:
        return validate_catalog(data)
    except CatalogError as exc:
        raise CatalogError(f"{origin}: {exc}") from None


@lru_cache(maxsize=1)
def _default_catalog() -> tuple[Resource, ...]:
    text = (
        _pkg_resources.files(__package__).joinpath(DEFAULT_CATALOG_FILE).read_text(encoding="utf-8")
    )
    return tuple(parse_catalog(text, origin=f"{__package__}/{DEFAULT_CATALOG_FILE}"))


def load_catalog(path: str | Path | None = None) -> list[Resource]:
    """Load and validate a catalog file; ``None`` loads the catalog shipped in this package.

    Returns a new list each call (the shipped catalog is parsed once and cached).
    Raises :class:`CatalogError` naming the bad entry and field.
    """
    if path is None:
        return list(_default_catalog())
    path = Path(path)
    return parse_catalog(path.read_text(encoding="utf-8"), origin=str(path))
