"""TextBlob's sentiment (polarity, subjectivity): one feature among many, never the verdict.

``TextBlob(text).sentiment`` is pattern's lexicon scorer in ``textblob/_text.py`` with the
English lexicon ``textblob/en/en-sentiment.xml``. Importing the ``textblob`` package imports
NLTK (and SciPy), which costs ~2.5 s; so the same module is loaded here on its own, with the
same settings as ``textblob.en.sentiment``, giving identical numbers in ~20 ms.
"""

from __future__ import annotations

import importlib.util
import os
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

    parser = _text.Parser(lexicon={}, default=("NN", "NNP", "CD"), language="en")
    scorer = Sentiment(
        path=os.path.join(base, "en", "en-sentiment.xml"),
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ly"),
        tokenizer=parser.find_tokens,
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
