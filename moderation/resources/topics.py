"""Topics of a case: the article's (title and URL keywords) and the comment's own words.

Keywords are English plus Spanish, French, German, Portuguese and Italian (and a few Dutch);
accents are folded before matching, so "esclerosis múltiple" matches "esclerosis multiple".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import unquote, urlsplit

#: Default keyword map: topic -> keywords. Keywords are matched as whole words
#: or phrases, case-insensitively, with ``-``/``_``/punctuation treated as spaces
#: (so "multiple-sclerosis" in a URL matches "multiple sclerosis"). A trailing
#: plural "s" is accepted ("caregivers" matches "caregiver").
DEFAULT_TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "multiple_sclerosis": (
        "ms",
        "multiple sclerosis",
        "relapse",
        "relapsing",
        "remitting",
        "rrms",
        "ppms",
        "spms",
        "demyelinating",
        "demyelination",
        "optic neuritis",
        "ocrelizumab",
        "ocrevus",
        "natalizumab",
        "tysabri",
        "ms fatigue",
        # es, fr, de, it, pt, nl
        "esclerosis multiple",
        "sclerose en plaques",
        "multiple sklerose",
        "sclerosi multipla",
        "esclerose multipla",
        "multiple sclerose",
    ),
    "chronic_illness": (
        "chronic illness",
        "chronic condition",
        "long term condition",
        "chronic pain",
        "chronic fatigue",
        "disability",
        "disabled",
        "fibromyalgia",
        "lupus",
        "long covid",
        "enfermedad cronica",
        "enfermedades cronicas",
        "maladie chronique",
        "maladies chroniques",
        "chronische erkrankung",
        "chronische krankheit",
        "malattia cronica",
        "malattie croniche",
        "doenca cronica",
        "doencas cronicas",
        "dolor cronico",
        "douleur chronique",
        "chronische schmerzen",
        "dolore cronico",
        "dor cronica",
        "discapacidad",
        "behinderung",
        "disabilita",
    ),
    "caregiving": (
        "caregiver",
        "caregiving",
        "care giver",
        "carer",
        "family carer",
        "respite care",
        "caring for someone",
        "caring for a loved one",
        "caring for a parent",
        "caring for your partner",
        "caring for my",
        "care for my",
        "looking after my",
        "look after my",
        "cuidador",
        "cuidadora",
        "cuido a mi",
        "cuidando a mi",
        "aidant",
        "aidante",
        "proche aidant",
        "je m occupe de mon",
        "je m occupe de ma",
        "pflegende angehorige",
        "pflege meinen",
        "pflege meine",
        "caregiver familiare",
        "mi prendo cura di",
        "assisto mio",
        "assisto mia",
        "cuido do meu",
        "cuido da minha",
        "mantelzorg",
        "mantelzorger",
    ),
    "dementia": (
        "dementia",
        "alzheimer",
        "alzheimers",
        "memory loss",
        "cognitive decline",
        "demencia",
        "demence",
        "demenz",
        "demenza",
        "dementie",
    ),
    "depression": (
        "depression",
        "depressed",
        "depressive",
        "low mood",
        "antidepressant",
        "depresion",
        "depressione",
        "depressao",
        "depressie",
    ),
    "suicide": (
        "suicide",
        "suicidal",
        "suicide prevention",
        "suicidio",
        "suizid",
        "zelfmoord",
    ),
    "self_harm": (
        "self harm",
        "self harming",
        "self injury",
        "selfharm",
        "autolesion",
        "autolesiones",
        "automutilation",
        "selbstverletzung",
        "autolesionismo",
        "autolesao",
        "automutilacao",
    ),
    "grief": (
        "grief",
        "grieving",
        "bereavement",
        "bereaved",
        "mourning",
        "widow",
        "widower",
        "loss of a",
        "duelo",
        "deuil",
        "trauer",
        "lutto",
        "luto",
        "rouw",
        "viudo",
        "viuda",
        "veuf",
        "veuve",
        "witwe",
        "witwer",
        "vedovo",
        "vedova",
        "viuvo",
        "viuva",
    ),
    "mental_health": (
        "mental health",
        "anxiety",
        "anxious",
        "stress",
        "burnout",
        "wellbeing",
        "well being",
        "loneliness",
        "lonely",
        "panic attack",
        "salud mental",
        "sante mentale",
        "psychische gesundheit",
        "seelische gesundheit",
        "salute mentale",
        "saude mental",
        "ansiedad",
        "anxiete",
        "ansia",
        "ansiedade",
        "soledad",
        "einsamkeit",
        "solitudine",
        "solidao",
    ),
}

# Keywords that are only matched in the title when written in capitals, because
# the lowercase/titlecase word means something else ("Ms Jones").
_UPPERCASE_ONLY_IN_TITLE = frozenset({"ms"})

#: Topics read from a comment's own words (who the reader is or cares for); the article
#: gives the rest. "I feel so depressed" in a comment is not a diagnosis to answer.
COMMENT_TOPICS = ("multiple_sclerosis", "chronic_illness", "caregiving", "dementia", "grief")

# Abbreviations of multiple sclerosis in a comment, in capitals only (es/pt EM, fr SEP,
# it SM): never in a URL, where "sep" is often September.
_COMMENT_ABBREVIATIONS = {"multiple_sclerosis": ("MS", "EM", "SEP", "SM")}

_TOPIC_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    """Accents off ("múltiple" -> "multiple", "ß" -> "ss"), case kept."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _normalize(text: str) -> str:
    """Accents folded, lowercase, punctuation/separators to single spaces, padded."""
    return " " + _NON_WORD.sub(" ", _fold(text).lower()).strip() + " "


@functools.lru_cache(maxsize=4096)  # the same few hundred keywords, for every comment shown
def _keyword_pattern(keyword: str, *, case_sensitive_upper: bool = False) -> re.Pattern[str] | None:
    words = _NON_WORD.sub(" ", keyword.lower()).split()
    if not words:
        return None
    if case_sensitive_upper:
        words = [w.upper() for w in words]
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(r"(?<![0-9A-Za-z])" + body + r"s?(?![0-9A-Za-z])")


def build_keyword_map(
    extra_keywords: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """The default map merged with a site's ``{topic: [keywords]}`` (added, not replaced).

    Topic names must be lowercase slugs; keywords must be non-empty strings.
    Raises ``ValueError`` on a malformed site map.
    """
    merged = {topic: tuple(words) for topic, words in DEFAULT_TOPIC_KEYWORDS.items()}
    if not extra_keywords:
        return merged
    if not isinstance(extra_keywords, Mapping):
        raise ValueError("extra_keywords must be a mapping {topic: [keywords]}")
    for topic, words in extra_keywords.items():
        if not isinstance(topic, str) or not _TOPIC_NAME_RE.match(topic):
            raise ValueError(
                f"extra_keywords: topic {topic!r} must be a lowercase slug "
                "like 'multiple_sclerosis'"
            )
        if isinstance(words, str) or not isinstance(words, Iterable):
            raise ValueError(f"extra_keywords[{topic!r}] must be a list of keywords, got {words!r}")
        words = tuple(words)
        for word in words:
            if not isinstance(word, str) or not _NON_WORD.sub("", word.lower()):
                raise ValueError(
                    f"extra_keywords[{topic!r}] has an empty or non-string keyword {word!r}"
                )
        existing = merged.get(topic, ())
        merged[topic] = existing + tuple(w for w in words if w not in existing)
    return merged


def _url_text(url: str) -> str:
    """Path (and fragment-free) part of the URL: the host and query string are ignored."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    path = parts.path
    if not parts.scheme and not parts.netloc and not url.strip().startswith("/"):
        # A bare "example.com/ms/article" string: drop the host-looking first segment.
        first, _, rest = path.partition("/")
        path = rest if "." in first else path
    return unquote(path)


def topics_for_article(
    title: str | None,
    url: str | None,
    extra_keywords: Mapping[str, Iterable[str]] | None = None,
) -> tuple[str, ...]:
    """Topics an article is about, from keywords in its title and URL path.

    Returns topic names in keyword-map order (default topics first, then a
    site's new topics), without duplicates; ``()`` when nothing matches.
    ``extra_keywords`` ({topic: [keywords]}) adds keywords per site, including
    new topics. The bare keyword "ms" only matches as "MS" in the title (not
    "Ms Smith"), but in any case in the URL path.
    """
    keyword_map = build_keyword_map(extra_keywords)
    raw_title = title or ""
    title_norm = _normalize(raw_title)
    # For case-sensitive matches keep the original case, separators -> spaces.
    title_cased = " " + re.sub(r"[^0-9A-Za-z]+", " ", _fold(raw_title)).strip() + " "
    url_norm = _normalize(_url_text(url or ""))

    found: list[str] = []
    for topic, keywords in keyword_map.items():
        for keyword in keywords:
            key_norm = _normalize(keyword).strip()
            if key_norm in _UPPERCASE_ONLY_IN_TITLE:
                title_hit = _keyword_pattern(keyword, case_sensitive_upper=True)
                hit = bool(title_hit and title_hit.search(title_cased))
            else:
                pattern = _keyword_pattern(keyword)
                hit = bool(pattern and pattern.search(title_norm))
            if not hit:
                pattern = _keyword_pattern(keyword)
                hit = bool(pattern and pattern.search(url_norm))
            if hit:
                found.append(topic)
                break
    return tuple(found)


def topics_for_comment(
    text: str | None,
    extra_keywords: Mapping[str, Iterable[str]] | None = None,
) -> tuple[str, ...]:
    """Topics from a comment's own words, limited to :data:`COMMENT_TOPICS` ("I look after
    my husband, who has MS" -> multiple_sclerosis, caregiving), in keyword-map order.

    Keywords are matched like an article title's; "MS" (and EM, SEP, SM) only in capitals.
    ``extra_keywords`` is the site's map, as for articles.
    """
    if not text:
        return ()
    keyword_map = build_keyword_map(extra_keywords)
    norm = _normalize(text)
    cased = " " + re.sub(r"[^0-9A-Za-z]+", " ", _fold(text)).strip() + " "
    found: list[str] = []
    for topic in COMMENT_TOPICS:
        hit = False
        for keyword in keyword_map.get(topic, ()):
            if _normalize(keyword).strip() in _UPPERCASE_ONLY_IN_TITLE:
                continue  # abbreviations: below, in capitals only
            pattern = _keyword_pattern(keyword)
            if pattern and pattern.search(norm):
                hit = True
                break
        if not hit:
            hit = any(
                re.search(r"(?<![0-9A-Za-z])" + abbr + r"(?![0-9A-Za-z])", cased)
                for abbr in _COMMENT_ABBREVIATIONS.get(topic, ())
            )
        if hit:
            found.append(topic)
    return tuple(found)


def topics_for_case(
    title: str | None,
    url: str | None,
    comment_text: str | None,
    extra_keywords: Mapping[str, Iterable[str]] | None = None,
) -> tuple[str, ...]:
    """The article's topics, then those the comment adds, without duplicates."""
    article = topics_for_article(title, url, extra_keywords)
    comment = topics_for_comment(comment_text, extra_keywords)
    return tuple(dict.fromkeys(article + comment))
