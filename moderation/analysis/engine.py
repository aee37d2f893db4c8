"""The tone engine: linear models + phrase rules + policy -> Analysis.

Pipeline for one comment (all pure Python, no I/O after the first lazy model load):
1. language guess (lang.py) -> confidence;
2. TextBlob sentiment and the linear model over a shared tokenisation (scorer.py) ->
   calibrated model probabilities for distress and hostility;
3. phrase rules (rules.py) over the original text, with negation, quotation and target
   handling -> rule hits with strengths and evidence spans;
4. policy: combine model and rules per axis (noisy-OR), apply thresholds -> flags ordered by
   urgency, tags, evidence spans for every flag and tag.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping, Sequence

from . import rules as R
from . import words as W
from .config import DEFAULT_THRESHOLDS, FLAG_AXIS, FLAG_URGENCY, MODEL_VERSION, SCORE_KEYS
from .lang import detect
from .scorer import get_model
from .sentiment import sentiment_features
from .types import Analysis, Span

_SENT = re.compile(r"[^.!?\n]+(?:[.!?\n]+|$)")
_QUOTE = re.compile(r"(?<![\w])'(?=\S)(?:[^'\n]|'(?=\w))*?(?<=\S)'(?!\w)|\"[^\"\n]*\"")
_APOS_PAIRS = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u02bc", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2032", "'"),
)
_APOS = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'"}
)
# the rules' tokens: words (with inner apostrophes or censoring stars), star runs, a few emoji
_TOKEN = re.compile(
    r"[^\W_]+(?:'[^\W_]+|\*+[^\W_]*)*|[*]{2,}|[\U0001F921\U0001F602\U0001F923\U0001F644]"
)
# "I feel like I'm dying" / "convinced I'm dying": a panic symptom, not ideation
_PANIC_DYING = re.compile(
    r"(?:feel|felt|feels|feeling|convinced|sure|thought|think|like)\s+(?:like\s+)?(?:i'm|im|i\s+am|i\s+was)\s+(?:going\s+to\s+|gonna\s+)?(?:die|dying)\b"
)
_CRIT_STRONG_GATE = re.compile("|".join(map(re.escape, W.CRIT_STRONG_GATE)))
_COPING = re.compile(
    r"\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:managing|coping|getting\s+there|doing\s+(?:ok|okay|alright|better))\b|"
    r"\b(?:sleeping|eating|laughing)\s+again\b|\bbooking\s+my\s+own\b|\bhelped\s+(?:so\s+much|a\s+lot)\b"
)
_RECOVERY = re.compile(
    r"\b(?:got\s+my\s+life\s+back|(?:so|dead|really)\s+proud\s+of\s+myself|on\s+the\s+mend|"
    r"(?:it|things)\s+(?:can|does|do|will)\s+get\s+better|back\s+at\s+work|feeling\s+(?:much\s+)?better)\b"
)
# "scared to death", "sick to death of": idioms, not talk of dying
# ordinary reasons to leave, give things away or see someone soon: travel, moving, clearing out
_TRAVEL = re.compile(
    r"\b(?:off\s+to\s+(?:see|visit)|visiting|flying\s+(?:to|out|home)|flight\s+to|train\s+to|"
    r"on\s+holiday|going\s+on\s+holiday|road\s+trip|moving\s+(?:house|home|out|abroad|to)|"
    r"downsiz\w*|declutter\w*|clear(?:ing)?\s+out|emigrat\w*|retir(?:ing|ement))\b"
)
_DEATH_IDIOM = re.compile(
    r"\b(?:scared|scares|worried|worry|bored|sick|frightened|terrified|tired|laughed|loved|done|"
    r"freezing|starving|petrified)\s+(?:me\s+|him\s+|her\s+)?to\s+death\b"
)
_MILD_GATE = ("bit", "little", "tad", "slightly", "kind", "sort", "somewhat", "mildly", "good way")
_AT = re.compile(r"@\w+")
_AUTHOR_PHRASE = re.compile(
    r"\bwhoever\s+(?:wrote|edited|writes|published)\s+this\b|\bdr\.?\s+[A-Z]\w+", re.I
)

_REPORTED = re.compile(
    r"\b(?:says?|said|saying|texted|texts|told|tells|telling|wrote|writes|messaged|posted|"
    r"whispered|asked|keeps\s+saying|called|calling|calls)\b[^.!?\n\"]{0,40}$"
)
_AT_ILLNESS = re.compile(
    r"\s*,?\s*(?:ms|fibro\w*|cancer|lupus|crohn'?s|epilepsy|parkinson'?s|dementia|diabetes|"
    r"migraines?|chemo|depression|anxiety|pain|disease|illness|arthritis|endo\w*|covid|long\s+covid|"
    r"cystic\s+fibrosis|cf|copd|asthma|colitis|ibd|hiv|mnd|als|me/cfs|me|cfs|psoriasis|sickle\s+cell|"
    r"stroke|seizures?|ptsd|ocd|adhd|bipolar|schizophrenia|insomnia|tinnitus|menopause)\b"
)
_NOT_A_PERSON = re.compile(
    r"\b(?:article|song|lyrics?|study|film|movie|book|headline|poem|author|writer|sign|advert|show|"
    r"character|leaflet|website|poster|proverb|expression|idiom|phrase|saying\s+goes|the\s+saying|"
    r"as\s+they\s+say)\b"
)

# how the model and the rules are combined (see docs/analysis.md)
MODEL_WEIGHT = {"distress": 0.62, "hostility": 0.65, "crisis": 0.65, "attack": 0.7}
QUOTE_DISCOUNT = 0.4
NO_PERSON_DISCOUNT = 0.8  # the model's share when no person is referred to at all
RULE_BASE = 0.75  # insult and attack hits count this much even when the model disagrees
CRIT_DISCOUNT = 0.5
PROF_DISCOUNT = 0.6
MILD_DISCOUNT = 0.45
# a word is toxic-span evidence when annotators marked it this often (2-fold CV on spans_train)
SPAN_LEXICON_MIN = 0.4
MAX_WORD_EVIDENCE = 40  # at most this many lexicon-word spans per comment
SPAN_FALLBACK_MIN = 0.2  # else the single most often marked word, if any reaches this


def _noisy_or(values) -> float:
    p = 1.0
    for v in values:
        if v > 0.0:
            p *= 1.0 - (v if v < 1.0 else 1.0)
    return 1.0 - p


def _clip(x: float) -> float:
    if x != x:  # NaN
        return 0.0
    return float(min(1.0, max(0.0, x)))


class _Doc:
    """Per-text helpers: one tokenisation, sentences, quoted regions, person targets."""

    def __init__(self, text: str):
        self.text = text
        t = text
        for (
            a,
            b,
        ) in (
            _APOS_PAIRS
        ):  # one-for-one replacements: offsets stay valid (C-speed, unlike translate)
            if a in t:
                t = t.replace(a, b)
        self.t = t
        low = self.t.lower()
        if len(low) != len(self.t):  # e.g. 'İ' lowers to two characters: keep offsets aligned
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.t)
        self.lower = low
        self.sents = [(m.start(), m.end()) for m in _SENT.finditer(self.t)] or [(0, len(text))]
        self._starts = [a for a, _ in self.sents]
        self.quotes = (
            [(m.start(), m.end()) for m in _QUOTE.finditer(self.t)]
            if ("'" in low or '"' in low)
            else []
        )
        self._qstarts = [a for a, _ in self.quotes]
        # which rule gates occur (as substrings): one scan with a trie-shaped regex finds the
        # longest gate starting at each position; the gates that are prefixes of it start there too
        self.gate_at: dict[str, list[int]] | None = None
        if len(low) < WINDOW_MIN_CHARS:
            found = set(_GATE_SCAN.findall(low))
        else:  # long text: also where each gate occurs, so that rules read only around them
            at: dict[str, list[int]] = {}
            for m in _GATE_SCAN.finditer(low):
                at.setdefault(m.group(1), []).append(m.start())
            found = set(at)
            self.gate_at = {}
            for f, positions in at.items():
                for g in _GATE_PREFIXES[f]:
                    self.gate_at.setdefault(g, []).extend(positions)
        self.gates_present = (
            frozenset(g for f in found for g in _GATE_PREFIXES[f]) if found else frozenset()
        )
        self.tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(low)]
        self.words = {w for _, _, w in self.tokens}
        self._sent_words: dict[int, set] = {}
        self.person = []  # (start, end, kind, surface)
        toks = self.tokens
        any_person = W.ANY_PERSON
        for i, (ts, te, w) in enumerate(toks):
            if w not in any_person:
                continue
            kind = None
            if w in W.YOU:
                nxt = toks[i + 1][2] if i + 1 < len(toks) else ""
                if w in ("your", "ur", "yr") and nxt in W.THINGS_AFTER_YOUR:
                    continue  # "your article" is a thing
                kind = "you"
            elif w in W.AUTHOR:
                kind = "author"
            elif w in W.PEOPLE:
                kind = "people"
            if kind and not self.quoted(ts, te):
                self.person.append((ts, te, kind, text[ts:te]))
        if "@" in low:
            for m in _AT.finditer(self.t):
                if not self.quoted(*m.span()):
                    self.person.append((m.start(), m.end(), "at", m.group()))
        if "whoever" in self.words or "dr" in self.words:
            for m in _AUTHOR_PHRASE.finditer(self.t):
                self.person.append((m.start(), m.end(), "author", m.group()))
        for m in R.NAME_VOCATIVE.finditer(self.text):
            g = "name" if m.group("name") else "name2"
            name = m.group(g)
            if name.lower() in _NOT_NAMES or name.lower() in _NOT_NAME_WORDS:
                continue  # "Lazy, one-sided rubbish.": a verdict, not someone addressed
            self.person.append((m.start(g), m.end(g), "name", name))

    def sentence_index(self, pos: int) -> int:
        return max(bisect.bisect_right(self._starts, pos) - 1, 0)

    def sentence(self, pos: int) -> tuple[int, int]:
        return self.sents[self.sentence_index(pos)]

    def sent_words(self, pos: int) -> set:
        i = self.sentence_index(pos)
        ws = self._sent_words.get(i)
        if ws is None:
            a, b = self.sents[i]
            lo = bisect.bisect_left(self.tokens, (a, -1, ""))
            ws = set()
            for k in range(lo, len(self.tokens)):
                ts, te, w = self.tokens[k]
                if ts >= b:
                    break
                ws.add(w)
            self._sent_words[i] = ws
        return ws

    def quoted(self, start: int, end: int) -> bool:
        q = self.quotes
        if not q:
            return False
        i = bisect.bisect_right(self._qstarts, start) - 1
        return i >= 0 and end <= q[i][1]

    def reported(self, start: int, end: int) -> bool:
        """Inside quotation marks that report what a person said or wrote ("Dad keeps saying 'I
        won't be a problem much longer'", "he texted me 'thanks for everything'"), as opposed to
        quoting an article, a song or a book."""
        q = self.quotes
        i = bisect.bisect_right(self._qstarts, start) - 1
        if i < 0 or end > q[i][1]:
            return False
        before = self.lower[max(0, q[i][0] - 50) : q[i][0]]
        return bool(_REPORTED.search(before)) and not _NOT_A_PERSON.search(before)

    def negated(self, start: int) -> bool:
        s0, _ = self.sentence(start)
        before = self.t[max(s0, start - 40) : start]
        return bool(before) and bool(R.NEGATION.search(before))

    def mild(self, start: int, end: int | None = None) -> bool:
        s0, s1 = self.sentence(start)
        if R.MILD.search(self.t[max(s0, start - 25) : start]):
            return True
        return end is not None and bool(R.MILD_AFTER.search(self.t[end : min(s1, end + 20)]))

    def person_in(
        self, a: int, b: int, exclude: tuple[int, int] | None = None, strong_only: bool = False
    ):
        for s, e, kind, surface in self.person:
            if a <= s and e <= b:
                if exclude and not (e <= exclude[0] or s >= exclude[1]):
                    continue
                if strong_only and kind == "people" and surface.lower() in W.WEAK_PEOPLE:
                    continue
                return kind, surface
        return None


_NOT_NAMES = {
    "honestly",
    "seriously",
    "respectfully",
    "christ",
    "yes",
    "well",
    "sorry",
    "thanks",
    "please",
    "also",
    "anyway",
    "sadly",
    "hey",
    "oh",
    "ugh",
    "wow",
    "okay",
    "ok",
    "still",
    "again",
    "today",
    "now",
    "then",
    "though",
    "however",
    "nope",
    "sure",
    "and",
    "but",
    "so",
    "hi",
    "hello",
    "no",
    "right",
    "ps",
    "edit",
    "actually",
    "plus",
    "fine",
    "both",
    "first",
    "second",
    "third",
    "finally",
    "worse",
    "frankly",
}


_NOT_NAME_WORDS = W.INSULT_ADJ | W.INSULT_NOUN | W.CRIT_ANY | W.PROFANITY


class _Hits:
    def __init__(self):
        self.by_rule: dict[object, tuple[float, int, int, str]] = {}

    def add(self, key, strength, start, end, reason):
        cur = self.by_rule.get(key)
        if cur is None or strength > cur[0]:
            self.by_rule[key] = (strength, start, end, reason)

    def score(self) -> float:
        return _noisy_or(v[0] for v in self.by_rule.values())

    def spans(self, minimum: float = 0.0):
        return sorted(
            (v for v in self.by_rule.values() if v[0] >= minimum), key=lambda v: (-v[0], v[1])
        )


MAX_CHARS = 100_000  # longer input (abuse, not a comment) is cut here so that a call stays bounded
STRICT = False  # re-raise internal errors instead of returning an empty analysis (tests only)
WINDOW_MIN_CHARS = 3000  # texts this long are read by the rules around their gates only
WINDOW_CHARS = 400  # longer than any rule's match: the stretch read on each side of a gate
MAX_HITS_PER_RULE = 20  # evidence needs a few; a 20,000-character rant must not cost quadratic time


_ALL_GATES = tuple(
    sorted({g for rs in (R.CRISIS, R.DISTRESS, R.THREAT, R.ATTACK) for r in rs for g in r.gate})
)


def _trie_pattern(words) -> str:
    """A regex matching any of ``words``, shaped as a trie (one branch per next character), so
    that the engine tries a handful of branches per position instead of every word."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return build(trie)


_GATE_SCAN = re.compile("(?=(" + _trie_pattern(_ALL_GATES) + "))")
_GATE_PREFIXES = {g: tuple(h for h in _ALL_GATES if g.startswith(h)) for g in _ALL_GATES}
# gate string -> indices (within its list) of the rules it opens, per rule list
_GATE_INDEX: dict[int, dict[str, tuple[int, ...]]] = {}
for _rs in (R.CRISIS, R.DISTRESS, R.THREAT, R.ATTACK):
    _gi: dict[str, list[int]] = {}
    for _i, _rule in enumerate(_rs):
        for _g in _rule.gate:
            _gi.setdefault(_g, []).append(_i)
    _GATE_INDEX[id(_rs)] = {g: tuple(v) for g, v in _gi.items()}


def _matches(rule, doc: _Doc):
    """The rule's matches. In a long text only the stretches around its gate strings are read
    (every match contains a gate, and no match is longer than WINDOW_CHARS), merged so that no
    match is found twice: the same matches as reading everything, in a fraction of the time."""
    if doc.gate_at is None:
        yield from rule.finditer(doc.t, doc.lower)
        return
    starts = sorted(p for g in rule.gate for p in doc.gate_at.get(g, ()))
    n = len(doc.t)
    a = b = -1
    for p in starts:
        lo, hi = max(0, p - WINDOW_CHARS), min(n, p + WINDOW_CHARS)
        if lo > b:
            if b > a:
                yield from rule.finditer(doc.t, doc.lower, a, b)
            a = lo
        b = max(b, hi)
    if b > a:
        yield from rule.finditer(doc.t, doc.lower, a, b)


def _run(
    rules,
    doc: _Doc,
    hits: _Hits,
    *,
    quote_discount=QUOTE_DISCOUNT,
    mild=False,
    reported_speech=False,
):
    """Run the rules whose gates occur; quoted matches are discounted unless ``reported_speech``
    and the quote reports a person's own words (a relative's crisis, told to the writer)."""
    present = doc.gates_present
    if not present:
        return
    gi = _GATE_INDEX[id(rules)]
    opened = set()
    for g in present:
        ix = gi.get(g)
        if ix:
            opened.update(ix)
    for i in sorted(opened):
        rule = rules[i]
        for n, m in enumerate(_matches(rule, doc)):
            if n >= MAX_HITS_PER_RULE:
                break
            s, e = m.span(rule.group)
            if e <= s:
                continue
            if rule.negatable and doc.negated(s):
                continue
            st = rule.strength
            if doc.quoted(s, e) and not (reported_speech and doc.reported(s, e)):
                st *= quote_discount
            if mild and doc.mild(s, e):
                st *= MILD_DISCOUNT
            hits.add(rule.rx.pattern, st, s, e, rule.reason)


# the writer describing themselves: "I'm such an idiot", "made me feel like a fool", "idiot me"
_SELF_BEFORE = re.compile(
    r"(?:\bi'?m|\bi\s+am|\bi\s+was|\bi\s+feel|\bi\s+felt|\bfeel(?:s|ing)?\s+like|\bfelt\s+like|"
    r"\bme\s+(?:look|feel|sound)\s+like|\bcall\s+me|\bcalled\s+me|\bmyself)"
    r"(?:\s+(?:a|an|such|so|total|complete|absolute|utter|bit\s+of|right|proper|of\s+a|like|an?))*"
    r"\s*$"
)
_SELF_AFTER = re.compile(r"^\s*(?:,\s*)?(?:i\s+am|i'm|i\s+was|me|myself)\b")


def _self_described(lower: str, ts: int, te: int, a: int, b: int) -> bool:
    return bool(
        _SELF_BEFORE.search(lower, max(a, ts - 60), ts)
        or _SELF_AFTER.match(lower[te : min(b, te + 12)])
    )


@functools.lru_cache(maxsize=4)
def _host_vocab(lexicon_keys: frozenset) -> frozenset:
    """Insult and swear words plus the model's toxic-span lexicon (built once per model)."""
    return W.HOST_VOCAB | lexicon_keys


def _find_word(text_lower: str, word: str) -> tuple[int, int] | None:
    m = re.search(r"(?<![\w*])" + re.escape(word) + r"(?![\w*])", text_lower)
    return m.span() if m else None


def analyze(
    text: str, *, context: Mapping | None = None, thresholds: Mapping[str, float] | None = None
) -> Analysis:
    """Analyse one comment. Never raises for any ``str`` (or ``None``) input."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    th = dict(DEFAULT_THRESHOLDS)
    if thresholds:
        for k, v in thresholds.items():
            if k in th:
                try:
                    fv = float(v)
                except (TypeError, ValueError):
                    continue
                if fv == fv:
                    th[k] = fv
    try:
        # a comment longer than MAX_CHARS is analysed on its first MAX_CHARS characters
        return _analyze(text[:MAX_CHARS], context if isinstance(context, Mapping) else None, th)
    except Exception:  # pragma: no cover - a last line of defence: never raise
        if STRICT:  # tests turn this on so that a bug cannot hide behind the fallback
            raise
        zero = {k: 0.0 for k in SCORE_KEYS}
        return Analysis(zero, (), (), (), MODEL_VERSION, "und", 0.0)


def _analyze(text: str, context: Mapping | None, th: dict) -> Analysis:
    if not text.strip():
        zero = {k: 0.0 for k in SCORE_KEYS}
        return Analysis(zero, (), (), (), MODEL_VERSION, "und", 0.0)
    model = get_model()
    senti = sentiment_features(text)
    p = model.proba(text, senti)
    doc = _Doc(text)
    lang, conf = detect(text, [w for _, _, w in doc.tokens[:80] if w[0].isalnum()])
    hyperbole = bool(doc.words & W.HYPERBOLE) or (
        "ha" in doc.lower and bool(W.HYPERBOLE_RX.search(doc.t))
    )
    first_person = bool(doc.words & W.FIRST_PERSON)
    parent = ""
    if context:
        pt = context.get("parent_text")
        parent = pt.lower() if isinstance(pt, str) else ""

    # ---- crisis -------------------------------------------------------------------------------
    crisis = _Hits()
    _run(
        R.CRISIS,
        doc,
        crisis,
        quote_discount=0.3 if hyperbole else QUOTE_DISCOUNT,
        reported_speech=True,
    )
    # someone else has died (searched once, only when a crisis rule or the crisis model spoke)
    bereaved = (
        bool(crisis.by_rule) or MODEL_WEIGHT["crisis"] * p.get("crisis", 0.0) > 0.05
    ) and W.BEREAVEMENT.search(doc.t) is not None
    if crisis.by_rule and bereaved:
        for k, (st, s, e, why) in list(crisis.by_rule.items()):
            if why in W.AFTER_A_DEATH:
                crisis.by_rule[k] = (st * 0.4, s, e, why)
            elif why == W.REUNION:  # "I'll be with her soon" after her death
                crisis.by_rule[k] = (min(1.0, st * 1.5), s, e, why)
    # crisis words only inside quotation marks (not reporting a person's own words) or copied from
    # the parent comment: the model, which cannot see quotes, is discounted like the rules
    crisis_quoted = bool(crisis.by_rule) and all(
        doc.quoted(s, e) and not doc.reported(s, e) for (_st, s, e, _w) in crisis.by_rule.values()
    )
    if parent:  # a phrase copied from the parent comment is a quotation of someone else
        crisis_quoted = crisis_quoted or any(
            len(doc.t[s:e]) > 8 and doc.lower[s:e] in parent
            for (_st, s, e, _w) in crisis.by_rule.values()
        )
        for k, (st, s, e, why) in list(crisis.by_rule.items()):
            if len(doc.t[s:e]) > 8 and doc.lower[s:e] in parent:
                crisis.by_rule[k] = (
                    st * QUOTE_DISCOUNT,
                    s,
                    e,
                    why + " (quoting the parent comment)",
                )
    weak = 0
    if doc.words & W.CRISIS_WEAK:
        for ts, te, w in doc.tokens:
            if w in W.CRISIS_WEAK and not doc.quoted(ts, te):
                weak += 1
                if weak >= 10:
                    break
    if any(g in doc.lower for g in ("end", "way", "giv", "go on", "living", "nothing")):
        weak += sum(1 for m in W.CRISIS_WEAK_PHRASES.finditer(doc.t) if not doc.quoted(*m.span()))
    weak_score = min(0.3, 0.07 * weak) if first_person else min(0.1, 0.03 * weak)
    if doc.words & W.CLINICAL and not crisis.by_rule:
        weak_score *= 0.5

    # ---- distress -----------------------------------------------------------------------------
    dist = _Hits()
    _run(R.DISTRESS, doc, dist, mild=True)
    distress_model = MODEL_WEIGHT["distress"] * p["distress"]
    if any(g in doc.lower for g in _MILD_GATE) and R.MILD_ANY.search(
        doc.t
    ):  # hedged ("a bit teary", "scared me a little"): the model alone is not enough
        distress_model *= 0.75
    if ("tears" in doc.words or "cry" in doc.lower) and W.POSITIVE_TEARS.search(doc.t):
        distress_model *= 0.4  # "crying happy tears reading this"
    m = _COPING.search(doc.lower) if distress_model > 0.15 and not dist.by_rule else None
    if m and not doc.negated(m.start()):
        distress_model *= 0.6  # "I miss him terribly ... I'm managing": sad but coping

    # ---- threat -------------------------------------------------------------------------------
    thr = _Hits()
    _run(R.THREAT, doc, thr, quote_discount=0.3)
    threat_score = thr.score()

    # ---- hostility: attacks, insults and their targets ------------------------------------------
    host = _Hits()
    crit = _Hits()
    _run(R.ATTACK, doc, host)
    for k, (_st, _s, e, why) in list(host.by_rule.items()):
        # "Screw you, fibromyalgia" / "f*** you MS": swearing at the illness, not at a reader
        if why == "profanity aimed at someone" and _AT_ILLNESS.match(doc.lower, e):
            del host.by_rule[k]
    lex, lex_n = model.lexicon, model.lexicon_n
    toxic_words = []  # (start, end, word, share marked toxic) for span evidence
    prof_spans = []
    n_insults = 0
    host_vocab = doc.words & _host_vocab(model.lexicon_keys)
    if "*" in doc.lower:
        host_vocab |= {w for w in doc.words if "*" in w}
    toks = doc.tokens
    insult_words = unquoted_insult_words = 0  # insult-vocabulary words, and those not in quotes
    self_insults = 0  # insult words the writer uses about themselves
    for i in [i for i, t in enumerate(toks) if t[2] in host_vocab] if host_vocab else ():
        ts, te, w = toks[i]
        insult_words += 1
        unquoted_insult_words += not doc.quoted(ts, te)
        pw = lex.get(w)
        is_prof = w in W.PROFANITY or (
            "*" in w
            and W.CENSORED_PROFANITY.fullmatch(w) is not None
            and W.CENSORED_INSULT.fullmatch(w) is None
        )
        if w == "screw" and not is_prof:  # "screw this disease" (but "screw you" is an attack rule)
            nxt = doc.tokens[i + 1][2] if i + 1 < len(doc.tokens) else ""
            is_prof = nxt not in W.YOU
        if is_prof and not doc.quoted(ts, te):
            prof_spans.append((ts, te))
        kind = None
        if w in W.INSULT_NOUN or ("*" in w and W.CENSORED_INSULT.fullmatch(w)):
            kind = "noun"
        elif w in W.INSULT_ADJ:
            kind = "adj"
        elif pw is not None and pw >= 0.5 and lex_n.get(w, 0) >= 5 and not is_prof:
            kind = "lex"
        if pw is not None and not doc.quoted(ts, te):
            toxic_words.append((ts, te, w, pw))
        if kind is None or n_insults >= 40:
            continue
        n_insults += 1
        if doc.negated(ts):
            continue
        if w == "thick" and i + 1 < len(toks) and toks[i + 1][2] == "of":
            continue  # "in the thick of it"
        if w in W.NOT_INSULT_ALONE and i > 0 and toks[i - 1][2] in W.OWNED:
            continue  # "his own joke", "the rubbish", "my garbage": a thing, not a verdict
        a, b = doc.sentence(ts)
        tgt = doc.person_in(a, b, exclude=(ts, te))
        sw = doc.sent_words(ts)
        if sw & W.FIRST_PERSON and _self_described(doc.lower, ts, te, a, b):
            self_insults += 1
            continue  # "I felt like such an idiot": the writer about themselves, not an attack
        q = (0.2 if doc.reported(ts, te) else QUOTE_DISCOUNT) if doc.quoted(ts, te) else 1.0
        word = doc.text[ts:te]
        if (
            kind != "noun"
            and i + 1 < len(toks)
            and toks[i + 1][2] in ("for", "to")
            and sw & W.THING
        ):
            # "useless for anyone who lives with this": of no use to people, not an insult at them
            crit.add(("crit-insult", ts), 0.7, ts, te, f"harsh word about content ('{word}')")
            continue
        if (
            kind != "noun"
            and i + 1 < len(toks)
            and toks[i + 1][2] in W.WORK
            and not (i + 2 < len(toks) and toks[i + 2][2] == "of")  # "nasty piece of work"
        ):
            crit.add(
                ("crit-insult", ts),
                0.7,
                ts,
                toks[i + 1][1],
                f"harsh word about the work ('{doc.text[ts : toks[i + 1][1]]}'), "
                "aimed at no person",
            )
            continue
        if kind == "lex":
            if tgt:
                host.add(
                    ("insult", ts),
                    (0.45 + 0.4 * pw) * q,
                    ts,
                    te,
                    f"insulting word aimed at '{tgt[1]}'",
                )
            elif sw & W.ILLNESS_OR_CONTENT:
                crit.add(
                    ("crit-insult", ts),
                    0.6,
                    ts,
                    te,
                    f"harsh word about content ('{word}'), aimed at no person",
                )
            else:
                host.add(
                    ("insult", ts), (0.25 + 0.3 * pw) * q, ts, te, f"insulting word ('{word}')"
                )
            continue
        if tgt:
            host.add(
                ("insult", ts),
                (0.85 if kind == "noun" else 0.8) * q,
                ts,
                te,
                f"insult aimed at '{tgt[1]}'",
            )
            continue
        if kind == "adj" and b - a <= len(word) + 3 and doc.sentence_index(ts) > 0:
            # a one-word verdict ("Pathetic.") right after a sentence aimed at someone
            pa, pb = doc.sents[doc.sentence_index(ts) - 1]
            ptgt = doc.person_in(pa, pb, strong_only=True)
            if ptgt:
                host.add(("insult", ts), 0.75 * q, ts, te, f"insult aimed at '{ptgt[1]}'")
                continue
        if kind == "noun" and w not in W.NOT_INSULT_ALONE and not (sw & W.ILLNESS):
            # a name ("moron") is aimed at a person even next to "headline": "only a moron
            # could write this headline"; next to an illness it is swearing at the illness
            host.add(("insult", ts), 0.7 * q, ts, te, f"name-calling ('{word}')")
        elif sw & W.THING:
            crit.add(
                ("crit-insult", ts),
                0.7,
                ts,
                te,
                f"harsh word about content ('{word}'), aimed at no person",
            )
    # mocking phrases far from any person are weaker
    for k, (st, s, e, why) in list(host.by_rule.items()):
        if isinstance(k, str) and why == "mocks a person":
            a, b = doc.sentence(s)
            if not doc.person_in(max(0, a - 200), min(len(doc.t), b + 200)):
                host.by_rule[k] = (st * 0.6, s, e, why)
    person_anywhere = bool(doc.person) or bool(parent)
    hm = p["hostility"]
    insults_quoted_only = insult_words > 0 and not unquoted_insult_words
    if insults_quoted_only:
        hm *= 0.5  # every insult is inside quotation marks: reported or objected to, not hurled
    if not person_anywhere:
        hm *= NO_PERSON_DISCOUNT
    host_rules = host.score()
    hostility_model = MODEL_WEIGHT["hostility"] * hm
    # criticism: negative feedback on content, organisation or treatment, aimed at no person
    crit_vocab = doc.words & W.CRIT_ANY
    for ts, te, w in [t for t in doc.tokens if t[2] in crit_vocab] if crit_vocab else ():
        if w in W.CRIT_STRONG:
            strong = True
        elif w in W.CRIT_WEAK:
            strong = False
        else:
            continue
        if doc.negated(ts) or doc.quoted(ts, te):
            continue
        a, b = doc.sentence(ts)
        sw = doc.sent_words(ts)
        if strong:
            tgt = doc.person_in(a, b, strong_only=True)
            if tgt is None or tgt[0] == "author" or sw & W.THING:
                crit.add(("crit", ts), 0.8, ts, te, "negative feedback on the content")
        elif sw & W.CONTENT or (len(doc.sents) == 1 and len(doc.t) < 60 and sw & W.THING):
            crit.add(
                ("crit", ts),
                0.7,
                ts,
                te,
                "negative feedback on the article, organisation or treatment",
            )
    if _CRIT_STRONG_GATE.search(doc.lower):
        for m in W.CRIT_STRONG_PHRASES.finditer(doc.t):
            s, e = m.span()
            if not (doc.negated(s) or doc.quoted(s, e)):
                crit.add(("crit", s), 0.8, s, e, "negative feedback on the content")
    if "impressed" in doc.words or "nothing" in doc.words:
        for m in W.CRIT_WEAK_PHRASES.finditer(doc.t):
            s, e = m.span()
            if not doc.quoted(s, e) and (doc.sent_words(s) & W.CONTENT or len(doc.t) < 80):
                crit.add(
                    ("crit", s),
                    0.7,
                    s,
                    e,
                    "negative feedback on the article, organisation or treatment",
                )
    # the attack model (trained on the site-style batches: condescension, put-downs of groups)
    attack_model = MODEL_WEIGHT["attack"] * p.get("attack", 0.0)
    if insults_quoted_only:
        attack_model *= 0.5
    if host_rules < 0.5 and (self_insults or doc.words & W.CLINICAL):
        # "what an idiot I am"; "depression affects one in four people with MS, the review found"
        attack_model *= 0.4
        if self_insults:
            hostility_model *= 0.6
    if crit.by_rule and host_rules < 0.5:
        hostility_model *= CRIT_DISCOUNT
        attack_model *= CRIT_DISCOUNT
    elif crit_vocab and host_rules < 0.5:
        attack_model *= CRIT_DISCOUNT  # harsh words about something ("lazy, one-sided rubbish")
    if prof_spans and host_rules < 0.5:  # swearing at nothing in particular is not hostility
        hostility_model *= PROF_DISCOUNT
        attack_model *= PROF_DISCOUNT
    # the model's view scales the rules a little: among comments with the same insult words, the
    # ones the model finds hostile rank higher (a site's own threshold and the queue see this)
    rule_scale = RULE_BASE + (1.0 - RULE_BASE) * p["hostility"]
    hostility_score = _noisy_or([host_rules * rule_scale, hostility_model, attack_model])
    hostility_score = max(hostility_score, 0.95 * threat_score)

    # a distress word inside an attack on others ("snowflakes crying about...") is not the writer's
    for k, (st, s, e, why) in list(dist.by_rule.items()):
        a, b = doc.sentence(s)
        attacks = list(host.by_rule.values()) + list(thr.by_rule.values())
        if any(a <= hs < b for (_st, hs, _he, _w) in attacks if _st >= 0.5) and not (
            doc.sent_words(s) & W.FIRST_PERSON
        ):
            dist.by_rule[k] = (st * 0.5, s, e, why)
    # "go jump off a bridge" told to someone is a threat, not the writer's crisis
    if thr.by_rule:
        tspans = [
            (s, e) for (_st, s, e, _w) in thr.by_rule.values() if _w.startswith("tells someone")
        ]
        for k, (_st, s, e, _why) in list(crisis.by_rule.items()):
            if any(s < te and ts < e for ts, te in tspans):
                del crisis.by_rule[k]
    crisis_model = MODEL_WEIGHT["crisis"] * p.get("crisis", 0.0)
    if crisis_quoted:
        crisis_model *= QUOTE_DISCOUNT
    if not first_person and any(w.startswith("tells someone") for (*_x, w) in thr.by_rule.values()):
        # "kys, no one would even notice": the crisis words are aimed at the reader told to die
        crisis_model *= 0.3
        for k, (st, s, e, why) in list(crisis.by_rule.items()):
            crisis.by_rule[k] = (st * 0.3, s, e, why)
    if crisis_model > 0.05 and not crisis.by_rule and _RECOVERY.search(doc.lower):
        crisis_model *= 0.5  # "got my life back, dead proud of myself": recovery, not farewell
    travel = (crisis_model > 0.05 or bool(crisis.by_rule)) and _TRAVEL.search(doc.lower) is not None
    if travel or (crisis_model > 0.05 and crisis.score() < 0.5 and bereaved):
        crisis_model *= 0.3  # "off to see my sister, I'll be with her soon"; grief for someone else
    if travel:
        for k, (st, s, e, why) in list(crisis.by_rule.items()):
            if why == W.REUNION or why in W.AFTER_A_DEATH:
                crisis.by_rule[k] = (st * 0.3, s, e, why)
    crisis_score = _noisy_or([crisis.score(), weak_score, 0.12 * p["distress"], crisis_model])
    # a reader in crisis is in distress: a crisis score at or over 0.5 lifts distress with it (below
    # that, the crisis model's doubts stay out of the distress ranking)
    distress_score = _noisy_or([dist.score(), distress_model])
    if crisis_score >= 0.5 or crisis.score() > 0.0:
        distress_score = max(distress_score, crisis_score)
    # safety net: a distressed first-person comment that talks of death is read as a possible crisis
    if crisis_score < 0.55 and distress_score >= 0.8 and first_person and doc.words & W.DEATH_CUES:
        for ts, te, w in doc.tokens:
            if (
                w in W.DEATH_CUES
                and not doc.quoted(ts, te)
                and not doc.negated(ts)
                and not _PANIC_DYING.search(doc.lower, max(0, ts - 30), te)
                and not _DEATH_IDIOM.search(doc.lower, max(0, ts - 25), te)
            ):
                crisis.add(
                    "death-cue", 0.55, ts, te, f"distress with talk of death ('{doc.text[ts:te]}')"
                )
                crisis_score = max(crisis_score, 0.55)
                break
    # distress expressed by a hostile comment: anger is not distress
    if (host_rules >= 0.5 or threat_score >= 0.5) and dist.score() < 0.5 and crisis_score < 0.5:
        distress_score = min(distress_score, 0.45)
    # a critical comment's "disappointing" is feedback, not distress
    if crit.by_rule and not dist.by_rule and crisis_score < 0.5:
        distress_score = min(distress_score, 0.45)

    scores = {
        "distress": round(_clip(distress_score), 4),
        "crisis": round(_clip(crisis_score), 4),
        "hostility": round(_clip(hostility_score), 4),
        "threat": round(_clip(threat_score), 4),
    }
    flags = [f for f in FLAG_URGENCY if scores[FLAG_AXIS[f]] >= th[f]]
    flags.sort(key=FLAG_URGENCY.__getitem__)

    # ---- evidence -----------------------------------------------------------------------------
    n = len(text)
    ev: list[Span] = []
    seen = set()

    def add(s, e, label, reason):
        s = max(0, min(n, int(s)))
        e = max(s, min(n, int(e)))
        if e <= s:
            return
        key = (s, e, label)
        if key not in seen:
            seen.add(key)
            ev.append(Span(s, e, label, reason))

    def model_words(axis_index: int, label: str, why: str, k: int = 3) -> bool:
        found = False
        for w, _c in model.top_words(text, axis_index, k):
            sp = _find_word(doc.lower, w)
            if sp:
                add(sp[0], sp[1], label, f"{why} ('{w}')")
                found = True
        return found

    def whole(label: str, reason: str):
        s = len(text) - len(text.lstrip())
        e = len(text.rstrip())
        add(s, max(e, s + 1) if e > s else min(n, s + 1), label, reason)

    for f in flags:
        if f == "crisis":
            spans = crisis.spans(0.2)
            for _st, s, e, why in spans[:4]:
                add(s, e, "crisis", why)
            crisis_axis = model.axes.index("crisis" if "crisis" in model.axes else "distress")
            if not spans and not model_words(
                crisis_axis, "crisis", "model: wording like crisis comments"
            ):
                whole("crisis", "crisis score over the site threshold")
        elif f == "distress":
            spans = dist.spans(0.2) or crisis.spans(0.2)
            for _st, s, e, why in spans[:4]:
                add(s, e, "distress", why)
            if not spans and not model_words(
                model.axes.index("distress"), "distress", "model: distress wording"
            ):
                whole("distress", "distress score over the site threshold")
        elif f == "threat":
            spans = thr.spans(0.2)
            for _st, s, e, why in spans[:4]:
                add(s, e, "threat", why)
            if not spans:
                whole("threat", "threat score over the site threshold")
        elif f == "hostile":
            spans = host.spans(0.2)
            for _st, s, e, why in spans[:6]:
                add(s, e, "hostile", why)
            for _st, s, e, why in thr.spans(0.2)[:2]:
                add(s, e, "hostile", why)
            tw = 0
            chosen = [t for t in toxic_words if t[3] >= SPAN_LEXICON_MIN]
            if not chosen and toxic_words:
                best = max(toxic_words, key=lambda t: t[3])
                chosen = [best] if best[3] >= SPAN_FALLBACK_MIN else []
            covered = [(sp.start, sp.end) for sp in ev if sp.label == "hostile"]
            for s, e, _w, _pw in chosen[:MAX_WORD_EVIDENCE]:
                if not any(a <= s and e <= b for a, b in covered):
                    add(s, e, "hostile", f"word often marked toxic ('{doc.text[s:e]}')")
                    tw += 1
            if not spans and not tw and not thr.by_rule:
                if not model_words(
                    model.axes.index("hostility"), "hostile", "model: hostile wording"
                ):
                    whole("hostile", "hostility score over the site threshold")

    tags = []
    if crit.by_rule:
        tags.append("criticism")
        for _st, s, e, why in crit.spans()[:4]:
            add(s, e, "criticism", why)
    flagged_hostile = "hostile" in flags or "threat" in flags
    prof_free = []
    for s, e in prof_spans:
        if flagged_hostile and any(
            sp.start <= s < sp.end for sp in ev if sp.label in ("hostile", "threat")
        ):
            continue
        a, b = doc.sentence(s)
        if flagged_hostile and doc.person_in(a, b, strong_only=True) and host.by_rule:
            continue
        prof_free.append((s, e))
    if prof_free:
        tags.append("profanity")
        for s, e in prof_free[:6]:
            add(s, e, "profanity", "swearing aimed at nobody")

    return Analysis(
        scores=scores,
        flags=tuple(flags),
        tags=tuple(tags),
        evidence=tuple(ev),
        model_version=MODEL_VERSION,
        language=lang,
        confidence=round(conf * (0.85 + 0.15 * min(1.0, len(text.split()) / 8)), 3),
    )


def analyze_many(
    texts: Sequence[str],
    *,
    contexts: Sequence[Mapping | None] | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> list[Analysis]:
    """Analyse many comments; identical results to calling analyze() on each."""
    out = []
    for i, t in enumerate(texts):
        ctx = None
        if contexts is not None:
            try:
                ctx = contexts[i]
            except (IndexError, KeyError, TypeError):
                ctx = None
        out.append(analyze(t, context=ctx, thresholds=thresholds))
    return out
