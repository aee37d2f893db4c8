"""Support resources for readers in distress: catalog, matcher, reply drafts and checks.

Pure Python (no Flask, no database). The catalog ships as ``catalog.yaml`` in
this package; the web side copies it into a table via ``Resource.to_dict`` /
``Resource.from_dict`` so admins can edit it.

    from moderation.resources import (
        resolve_region, topics_for_article, suggest_resources, draft_reply, check_reply,
    )
    region = resolve_region(comment_region, site_region)            # "MX", ... or "INT"
    topics = topics_for_case(article.title, article.url, text)     # article's, then comment's
    language = choose_language(comment_language, site_language)    # "es", ... else "en"
    about = worry_is_about(text, analysis.tags)                    # "self" or "other"
    suggestions = suggest_resources(analysis, region, language, topics)  # crisis lines first
    draft = draft_reply(analysis, suggestions, author_name=name, topics=topics, region=region,
                        language=language, about=about)
    problems = check_reply(moderator_text, language=language)     # before a human sends it

The catalog entries were written from knowledge and must be verified against
each service before going live (see docs/resources.md).
"""

from .catalog import (
    CRISIS_KINDS,
    FIELDS,
    KINDS,
    KNOWN_TOPICS,
    CatalogError,
    EmergencyNumber,
    Resource,
    load_catalog,
    load_emergency_numbers,
    parse_catalog,
    validate_catalog,
)
from .languages import LanguageDataError, choose_language, language_codes, load_language
from .matcher import FALLBACK_RESOURCE, Suggestion, flags_of, suggest_resources
from .regions import INTERNATIONAL, normalize_region, resolve_region
from .replies import (
    EMERGENCY_NUMBERS,
    TOPIC_LINES,
    draft_flag,
    draft_reply,
    emergency_text,
    format_resource_line,
)
from .safety import CODES, Problem, check_reply, has_helpline
from .topics import (
    COMMENT_TOPICS,
    DEFAULT_TOPIC_KEYWORDS,
    build_keyword_map,
    topics_for_article,
    topics_for_case,
    topics_for_comment,
)
from .worry import worry_is_about

__all__ = [
    "CODES",
    "COMMENT_TOPICS",
    "CRISIS_KINDS",
    "CatalogError",
    "DEFAULT_TOPIC_KEYWORDS",
    "EMERGENCY_NUMBERS",
    "EmergencyNumber",
    "FALLBACK_RESOURCE",
    "FIELDS",
    "INTERNATIONAL",
    "KINDS",
    "KNOWN_TOPICS",
    "LanguageDataError",
    "Problem",
    "Resource",
    "Suggestion",
    "TOPIC_LINES",
    "build_keyword_map",
    "check_reply",
    "choose_language",
    "draft_flag",
    "draft_reply",
    "emergency_text",
    "flags_of",
    "format_resource_line",
    "has_helpline",
    "language_codes",
    "load_catalog",
    "load_emergency_numbers",
    "load_language",
    "normalize_region",
    "parse_catalog",
    "resolve_region",
    "suggest_resources",
    "topics_for_article",
    "topics_for_case",
    "topics_for_comment",
    "validate_catalog",
    "worry_is_about",
]
