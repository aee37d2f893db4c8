"""TextBlob's sentiment (polarity, subjectivity): one feature among many, never the verdict.

``TextBlob(text).sentiment`` is pattern's lexicon scorer in ``textblob/_text.py`` with the
English lexicon ``textblob/en/en-sentiment.xml``. Importing the ``textblob`` package imports
NLTK (and SciPy), which costs ~2.5 s; so the same module is loaded here on its own, with the
same settings as ``textblob.en.sentiment``, giving identical numbers in ~20 ms.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading

MAX_CHARS = 4000
_lock = threading.Lock()
_scorer = None


def _build():
    spec = importlib.util.find_spec("textblob")  # locates the package without importing it
    base = list(spec.submodule_search_locations)[0]
    mspec = importlib.util.spec_from_file_location(
        "_moderation_textblob_text", os.path.join(base, "_text.py")
    )
    _text = importlib.util.module_from_spec(mspec)
    mspec.loader.exec_module(_text)

    class Sentiment(_text.Sentiment):  # textblob.en.Sentiment, verbatim behaviour
        def load(self, path=None):
            _text.Sentiment.load(self, path)
            if not path:
                for w, pos in list(dict.items(self)):
                    if "JJ" in pos:
                        if w.endswith("y"):
                            w = w[:-1] + "i"
                        if w.endswith("le"):
                            w = w[:-2]
                        p, s, i = pos["JJ"]
                        self.annotate(w + "ly", "RB", p, s, i)

    scorer = Sentiment(
        path=os.path.join(base, "en", "en-sentiment.xml"),
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ly"),
        tokenizer=_find_tokens(_text),
        language="en",
    )
    scorer.load()
    # pattern's lazydict routes every `w in lexicon` / `lexicon[w]` through a Python-level
    # lazy-load check, even once loaded; the loaded lexicon is a plain dict, so use dict's own
    # lookups (same answers, a third of the cost of a short comment's sentiment)
    scorer.__class__ = type(
        "LoadedSentiment",
        (Sentiment,),
        {
            "__contains__": dict.__contains__,
            "__getitem__": dict.__getitem__,
        },
    )
    return scorer


def _find_tokens(_text):
    """pattern's ``find_tokens`` with its default settings, statement for statement, but with the
    regexes compiled once and the contraction substitutions skipped when there is no apostrophe
    (pattern's own version looks each regex up in ``re``'s cache on every call: half its cost).
    The test suite checks that the sentiment stays equal to ``TextBlob(text).sentiment``."""
    punctuation = tuple(_text.PUNCTUATION.replace(".", ""))
    trailing = punctuation + (".",)
    replace = _text.replacements
    contractions = [(re.compile(a), b) for a, b in replace.items()]
    abbreviations = _text.ABBREVIATIONS
    abbr = (_text.RE_ABBR1.match, _text.RE_ABBR2.match, _text.RE_ABBR3.match)
    linebreak = re.compile(r"\n{2,}")
    spaces = re.compile(r"\s+")
    token = _text.TOKEN.findall
    eos = _text.EOS
    eos_marker = f" {eos} "
    ends = ("...", ".", "!", "?", eos)
    closing = ("'", '"', "\u201d", "\u2019", "...", ".", "!", "?", ")", eos)
    sarcasm = _text.RE_SARCASM.sub
    emoticons = _text.RE_EMOTICONS.sub

    def emoticon(m):
        return m.group(1).replace(" ", "") + m.group(2)

    def find_tokens(string):
        if "'" in string:
            for rx, b in contractions:
                string = rx.sub(b, string)
        string = (
            string.replace("\u201c", " \u201c ")
            .replace("\u201d", " \u201d ")
            .replace("\u2018", " \u2018 ")
            .replace("\u2019", " \u2019 ")
            .replace("'", " ' ")
            .replace('"', ' " ')
        )
        string = string.replace("\r\n", "\n")
        string = linebreak.sub(eos_marker, string)
        string = spaces.sub(" ", string)
        tokens = []
        for t in token(string + " "):
            if len(t) > 0:
                tail = []
                while t.startswith(punctuation) and t not in replace:
                    tokens.append(t[0])
                    t = t[1:]
                while t.endswith(trailing) and t not in replace:
                    if t.endswith(punctuation):
                        tail.append(t[-1])
                        t = t[:-1]
                    if t.endswith("..."):
                        tail.append("...")
                        t = t[:-3].rstrip(".")
                    if t.endswith("."):
                        if t in abbreviations or any(f(t) is not None for f in abbr):
                            break
                        tail.append(t[-1])
                        t = t[:-1]
                if t != "":
                    tokens.append(t)
                tokens.extend(reversed(tail))
        sentences, i, j = [[]], 0, 0
        while j < len(tokens):
            if tokens[j] in ends:
                while j < len(tokens) and tokens[j] in closing:
                    if tokens[j] in ("'", '"') and sentences[-1].count(tokens[j]) % 2 == 0:
                        break
                    j += 1
                sentences[-1].extend(t for t in tokens[i:j] if t != eos)
                sentences.append([])
                i = j
            j += 1
        sentences[-1].extend(tokens[i:j])
        return [emoticons(emoticon, sarcasm("(!)", " ".join(s))) for s in sentences if s]

    return find_tokens


def _get():
    global _scorer
    if _scorer is None:
        with _lock:
            if _scorer is None:
                _scorer = _build()
    return _scorer


def sentiment(text: str) -> tuple[float, float]:
    """(polarity -1..1, subjectivity 0..1), as TextBlob(text).sentiment."""
    try:
        pol, subj = _get()(text[:MAX_CHARS])
        return float(pol), float(subj)
    except Exception:  # analyze must never raise because of a feature
        return 0.0, 0.0


def sentiment_features(text: str) -> tuple[float, float, float]:
    pol, subj = sentiment(text)
    return pol, subj, min(pol, 0.0) * subj
