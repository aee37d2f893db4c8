# ruff: noqa: E501  (word lists and data tables: one entry per line reads best)
"""The comment's language: scripts, then common words, then (when the words do not say it
clearly) py3langid's character n-gram model (langid.py, BSD-3-Clause, bundled in its PyPI
package, loaded on first need). Drafts and resources are chosen by it, and the scores'
confidence is lower on languages the engine was not trained on."""

from __future__ import annotations

import functools
import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+", re.U)

_STOP = {
    "en": "the and to of a i in is it you that was for on my me with this but have be not are so just at "
    "they we all what can do from your if or one about he she an will her his im i'm it's dont don't "
    "would like no get been up out when more there how our had am feel has",
    "es": "el la de que y en los las un una es por con para no se lo su al del como pero mas más muy "
    "estoy tengo yo mi me esta está son",
    "fr": "le la les de des et est un une je pas que qui en du dans pour sur ne il elle mais avec suis "
    "très ce cette mon ma au",
    "de": "der die das und ist ich nicht ein eine zu mit den von auf sich es mir mich sie wir auch "
    "aber noch bin dem für",
    "it": "il lo la di che e è un una non per con sono mi ho del della le gli ma anche io",
    "pt": "o a os as de que e é um uma não nao com para em eu se do da mas muito estou tenho",
    "nl": "de het een en van ik is dat niet op te je zijn met voor maar ook",
}
_SETS = {k: set(v.split()) for k, v in _STOP.items()}
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _k, _v in _SETS.items():
    for _w in _v:
        _LANGS_OF[_w] = _LANGS_OF.get(_w, ()) + (_k,)

_SCRIPTS = (
    ("CYRILLIC", "ru"),
    ("ARABIC", "ar"),
    ("HEBREW", "he"),
    ("GREEK", "el"),
    ("DEVANAGARI", "hi"),
    ("HANGUL", "ko"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("CJK", "zh"),
    ("THAI", "th"),
    ("BENGALI", "bn"),
    ("TAMIL", "ta"),
    ("GEORGIAN", "ka"),
    ("ARMENIAN", "hy"),
)


def detect(text: str, words: list[str] | None = None) -> tuple[str, float]:
    """Return (language code or 'und', confidence multiplier 0..1 for the scores).

    ``words``: the text's lowercased word tokens if the caller has them already."""
    sample = text[:2000]
    if sample.isascii():
        if not any(c.isalpha() for c in sample):
            return "und", 0.5
    else:
        letters = [c for c in sample if c.isalpha()]
        if not letters:
            return "und", 0.5
        latin = sum(1 for c in letters if c < "\u0250")
        if latin < 0.5 * len(letters):
            counts: dict[str, int] = {}
            for c in letters[:400]:
                if c < "\u0250":
                    continue
                try:
                    name = unicodedata.name(c)
                except ValueError:
                    continue
                for key, code in _SCRIPTS:
                    if key in name:
                        counts[code] = counts.get(code, 0) + 1
                        break
            if counts:
                code = max(counts, key=counts.get)
                if code == "zh" and ("ja" in counts):
                    code = "ja"
                return code, 0.3
            return "und", 0.3
    if words is None:
        words = [w.lower() for w in _WORD.findall(sample)]
    words = words[:300]
    if not words:
        return "und", 0.5
    hits = {k: 0 for k in _SETS}
    get = _LANGS_OF.get
    for w in words:
        ks = get(w)
        if ks:
            for k in ks:
                hits[k] += 1
    best = max(hits, key=hits.get)
    if hits["en"] >= 2 and hits["en"] >= hits[best]:
        return "en", 1.0
    guess = _model_guess(sample)
    if guess is not None:
        return guess
    if hits["en"] >= max(1, hits[best] * 0.8):
        # English, or too short to tell (a couple of words): score it as English
        conf = 1.0 if hits["en"] >= 2 or len(words) <= 3 else 0.8
        return "en", conf
    if hits[best] == 0:
        return ("en", 0.7) if len(words) <= 6 else ("und", 0.5)
    return best, 0.4


# The languages the engine has rules or training data for; others get a lower confidence.
KNOWN = ("en", "es", "fr", "de", "pt", "it", "nl")
MODEL_SURE = 0.9  # below this, the common-word guess stands


@functools.cache
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def _model_guess(sample: str) -> tuple[str, float] | None:
    """py3langid's language when it is sure (probability >= MODEL_SURE), among all its
    languages or, failing that, among the KNOWN ones (Galician-like Portuguese, say); else
    None."""
    ranked = _identifier().rank(sample)
    lang, p = ranked[0]
    if p < MODEL_SURE:
        known = [(k, q) for k, q in ranked if k in KNOWN]
        total = sum(q for _, q in known)
        lang, p = known[0][0], (known[0][1] / total if total else 0.0)
        if p < MODEL_SURE:
            return None
    return lang, 1.0 if lang == "en" else 0.4 if lang in KNOWN else 0.3
