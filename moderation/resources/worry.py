"""Whom a worrying comment is about: the writer, or someone close to them.

"My husband says he wants to die" needs a reply to a frightened spouse ("here is who can
help them and you"), not one that treats the spouse as the person at risk. The tone
engine tags such comments ``about_other`` when one of its English crisis rules speaks of
a third person; this module adds the per-language cues of ``languages/<code>.yaml``
(a relation such as "mi hija", "mon mari", "meine Frau", plus that person at risk or the
writer's worry for them), so it also works in the other five languages.

It errs towards "self": a comment with any sign that the writer is at risk ("I want to
die too") is about the writer, whatever else it says. A moderator reads every draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .languages import language_codes, load_language

SELF = "self"
OTHER = "other"


def _tags(analysis_or_tags: Any) -> set[str]:
    tags = getattr(analysis_or_tags, "tags", analysis_or_tags)
    if tags is None or isinstance(tags, str):
        tags = (tags,) if tags else ()
    return {t for t in tags if isinstance(t, str)}


def worry_is_about(text: str | None, tags: Any = (), languages: Iterable[str] | None = None
                   ) -> str:
    """``"other"`` when the comment worries about someone close to the writer, else ``"self"``.

    ``tags``: the engine's tags (or an Analysis); ``about_other`` counts as a third-person
    cue. ``languages``: whose cues to read (default: every language with a file, since
    short comments are often detected as the wrong language).
    """
    codes = tuple(languages) if languages is not None else language_codes()
    langs = [load_language(c) for c in codes if c in language_codes()]
    text = text or ""
    if any(p.search(text) for lang in langs for p in lang.self_cues):
        return SELF
    if "about_other" in _tags(tags):
        return OTHER
    for lang in langs:
        if (any(p.search(text) for p in lang.relation_cues)
                and any(p.search(text) for p in lang.other_cues)):
            return OTHER
    return SELF
