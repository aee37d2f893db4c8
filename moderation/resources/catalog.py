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
    "paired_with",
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
    #: Keys of services shown together with this one, both or neither (e.g. an adult and
    #: a youth line that publish together). Pairs are symmetric in a validated catalog.
    paired_with: tuple[str, ...] = ()

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
        paired_with: tuple[str, ...] = ()
        if data.get("paired_with") not in (None, [], ()):
            paired_with = str_list("paired_with")
            for other in paired_with:
                if not _KEY_RE.match(other) or other == key:
                    raise fail("paired_with", f"must list other entries' keys, got {other!r}")

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
            paired_with=paired_with,
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
            "paired_with": list(self.paired_with),
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
    keys = {r.key: r for r in out}
    for r in out:
        for other in r.paired_with:
            if other not in keys:
                raise CatalogError(f"resource {r.key!r}: field 'paired_with' names unknown "
                                   f"entry {other!r}")
            if r.key not in keys[other].paired_with:
                raise CatalogError(f"resource {r.key!r}: field 'paired_with' names {other!r}, "
                                   f"which must name {r.key!r} back (pairs are both or neither)")
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


@dataclass(frozen=True)
class EmergencyNumber:
    """A region's emergency number(s) for "if you are in immediate danger, call ..."."""

    regions: tuple[str, ...]
    numbers: tuple[str, ...]
    checked_on: _dt.date
    source: str
    notes: str | None = None


def parse_emergency_numbers(text: str, *, origin: str = "<string>") -> dict[str, EmergencyNumber]:
    """The ``emergency_numbers:`` list of a catalog file, by region."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{origin}: not valid YAML: {exc}") from None
    entries = data.get("emergency_numbers") if isinstance(data, Mapping) else None
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise CatalogError(f"{origin}: 'emergency_numbers' must be a list")
    out: dict[str, EmergencyNumber] = {}
    for index, entry in enumerate(entries, start=1):
        where = f"{origin}: emergency number #{index}"
        if not isinstance(entry, Mapping) or set(entry) - {
                "regions", "numbers", "checked_on", "source", "notes"}:
            raise CatalogError(f"{where}: needs regions, numbers, checked_on, source (notes)")
        regions, numbers = entry.get("regions"), entry.get("numbers")
        if (not isinstance(regions, list) or not regions
                or not all(r in VALID_REGIONS and r != INTERNATIONAL for r in regions)):
            raise CatalogError(f"{where}: 'regions' must list quoted ISO 3166-1 codes")
        if (not isinstance(numbers, list) or not numbers
                or not all(isinstance(n, str) and _PHONE_RE.match(n) for n in numbers)):
            raise CatalogError(f"{where}: 'numbers' must list quoted numbers as dialled")
        checked_on, source = entry.get("checked_on"), entry.get("source")
        if not isinstance(checked_on, _dt.date) or isinstance(checked_on, _dt.datetime):
            raise CatalogError(f"{where}: 'checked_on' must be a date YYYY-MM-DD")
        if not isinstance(source, str) or not _URL_RE.match(source):
            raise CatalogError(f"{where}: 'source' must be an http(s) URL")
        item = EmergencyNumber(tuple(regions), tuple(numbers), checked_on, source,
                               entry.get("notes"))
        for region in regions:
            if region in out:
                raise CatalogError(f"{where}: region {region!r} is listed twice")
            out[region] = item
    return out


def _default_catalog_text() -> str:
    return (
        _pkg_resources.files(__package__).joinpath(DEFAULT_CATALOG_FILE).read_text(encoding="utf-8")
    )


@lru_cache(maxsize=1)
def load_emergency_numbers() -> dict[str, EmergencyNumber]:
    """The shipped catalog's emergency numbers by region (cached; do not mutate)."""
    origin = f"{__package__}/{DEFAULT_CATALOG_FILE}"
    return parse_emergency_numbers(_default_catalog_text(), origin=origin)


@lru_cache(maxsize=1)
def _default_catalog() -> tuple[Resource, ...]:
    return tuple(parse_catalog(_default_catalog_text(),
                               origin=f"{__package__}/{DEFAULT_CATALOG_FILE}"))


def load_catalog(path: str | Path | None = None) -> list[Resource]:
    """Load and validate a catalog file; ``None`` loads the catalog shipped in this package.

    Returns a new list each call (the shipped catalog is parsed once and cached).
    Raises :class:`CatalogError` naming the bad entry and field.
    """
    if path is None:
        return list(_default_catalog())
    path = Path(path)
    return parse_catalog(path.read_text(encoding="utf-8"), origin=str(path))
