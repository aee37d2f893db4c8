# ruff: noqa: E501  (a table of patterns / word lists / cases: one entry per line reads best)
"""Phrase rules: what the linear models miss and what must never be missed.

Each rule is a precompiled regular expression with a kind, a strength (a probability-like
0..1 weight combined by noisy-OR in engine.py) and a reason shown to moderators. Rules are
written from general warning-sign categories (explicit ideation, perceived burdensomeness,
farewells, putting affairs in order, stockpiling means, method rehearsal, self-harm; insults
and their targets; threats and telling someone to harm themselves; hate against a group),
not from particular comments.

Context handling lives in engine.py: negation ("not hopeless"), quotation ('I literally want to
die', he groaned), idioms ("dying to try", "could kill for a coffee") and targets (an insult
aimed at "you", a named reader or the author is hostile; a harsh word about the article is
criticism).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_I = re.IGNORECASE


_WORD_RUN = re.compile(r"\w+")
_NONWORD_RUN = re.compile(r"\W+")


def _split_top(pattern: str) -> list[str]:
    """Top-level alternatives of a pattern (no regex parsing beyond parentheses and escapes)."""
    out, depth, cur, i = [], 0, [], 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def _fast(pattern: str):
    """Same matches, found faster: Python's regex engine scans much faster when a pattern does not
    start with ``\\b`` and is not case-insensitive. Rules are run on lowercased text, and a leading
    word boundary (present on every top-level alternative) is checked after the fact."""
    alts = _split_top(pattern)
    if all(a.startswith("\\b") for a in alts):
        return re.compile("|".join(a[2:] for a in alts)), True
    return re.compile(pattern), False


@dataclass(frozen=True)
class Rule:
    kind: str  # crisis | distress | threat | attack | insult_noun | insult_adj | profanity | criticism
    strength: float
    rx: re.Pattern
    reason: str
    group: int | str = 0  # which group is the evidence span
    negatable: bool = True
    gate: tuple = ()  # the rule runs only if the lowercased text contains one of these substrings
    #                   (every possible match contains one of them: a speed gate, never a filter)
    fast: re.Pattern | None = (
        None  # case-sensitive twin run over lowercased text (None: use rx on the text)
    )
    boundary: bool = (
        False  # fast twin had its leading \b removed: check the boundary after matching
    )

    def finditer(self, text: str, lower: str, start: int = 0, end: int | None = None):
        """Matches as ``self.rx.finditer(text, start, end)`` would give them (spans into text)."""
        n = len(lower) if end is None else end
        if self.fast is None:
            yield from self.rx.finditer(text, start, n)
            return
        if not self.boundary:
            yield from self.fast.finditer(lower, start, n)
            return
        rx = self.fast
        pos = start
        while pos <= n:
            m = rx.search(lower, pos, n)
            if m is None:
                return
            s = m.start()
            prev_w = s > 0 and (lower[s - 1].isalnum() or lower[s - 1] == "_")
            cur_w = s < len(lower) and (lower[s].isalnum() or lower[s] == "_")
            if prev_w != cur_w:
                yield m
                pos = m.end() if m.end() > s else s + 1
            else:
                # not at a word boundary: no match can start anywhere else inside this run of word (or
                # non-word) characters either, so resume where the run ends
                run = (_WORD_RUN if cur_w else _NONWORD_RUN).match(lower, s)
                pos = run.end() if run and run.end() > s else s + 1


# rules whose alternatives start with short, common letters: without the leading \b they would be tried
# at too many places inside words, so they only get the lowercase (case-sensitive) twin. Speed only.
_NO_STRIP = ("40555606c1", "42261df4bb", "4877701275", "60431df729")


def _r(kind, strength, pattern, reason, group=0, negatable=True, gate=()):
    cased = "[A-Z]" in pattern
    if cased:
        fast, boundary = None, False
    elif hashlib.sha1(pattern.encode(), usedforsecurity=False).hexdigest()[:10] in _NO_STRIP:
        fast, boundary = re.compile(pattern), False
    else:
        fast, boundary = _fast(pattern)
    return Rule(
        kind,
        strength,
        re.compile(pattern, _I),
        reason,
        group,
        negatable,
        tuple(gate),
        fast,
        boundary,
    )


_ME = r"(?:i|i'm|im|i've|ive|i'd|id|i'll|ill|me|my|myself)"
# "won't be around next week": a warning sign unless the writer is going away
_AWAY = r"(?![^.!?\n]{0,60}\b(?:holiday|vacation|trip|travel|camping|cruise|wifi|signal|offline|break\s+from))"
_SELF = r"(?:myself|meself|my ?self)"
_3SELF = r"(?:himself|herself|themselves|themself)"
_MEANS = (
    r"(?:pills?|tablets?|meds|medication|medicine|painkillers?|sleeping pills|opioids?|tramadol|oxy\w*|"
    r"codeine|morphine|paracetamol|tylenol|insulin|amitript\w*|antidepressants?|sertraline|diazepam|rope|guns?|"
    r"pistol|revolver|shotgun|rifle|firearm)"
)

# Gate strings of the rules built on _MEANS: one of these is in every match.
# fmt: off
_MEANS_GATE = (
    "pill", "tablet", "meds", "medic", "painkiller", "opioid", "tramadol", "oxy", "codeine",
    "morphine", "paracetamol", "tylenol", "insulin", "amitript", "antidepressant", "sertraline",
    "diazepam", "rope", "gun", "pistol", "revolver", "rifle", "firearm",
)
# fmt: on

CRISIS = [
    # explicit, about oneself
    _r(
        "crisis",
        0.95,
        rf"\b(?:kill|hurt|harm|cut|hang|shoot|drown|poison|starve|burn)(?:ing)?\b[^.!?\n]{{0,25}}?\b{_SELF}\b",
        "self-harm or suicide about oneself",
        gate=("myself", "meself", "my self"),
    ),
    _r("crisis", 0.95, r"\bkms\b", "'kms' (kill myself)", gate=("kms",)),
    _r(
        "crisis",
        0.95,
        r"\b(?:end|ending|take|taking)\s+(?:my\s+(?:own\s+)?life|it\s+all)\b",
        "wants to end their life",
        gate=("life", "all"),
    ),
    _r(
        "crisis",
        0.9,
        r"\b(?:i|i'm|im|i\s+am|i've|ive|i\s+have|been|keep|kept|i\s+keep|started)\s+(?:\w+\s+){0,2}?(?:thinking|thought|think|having\s+thoughts|had\s+thoughts)\s+(?:a\s+lot\s+)?(?:about|of)\s+(?:ending\s+it|ending\s+things|ending\s+my|suicide|dying|killing|not\s+being\s+here|death)\b",
        "thoughts of ending their life",
        gate=("thinking", "thought"),
    ),
    _r(
        "crisis",
        0.85,
        r"\bmy\s+(?:suicidal\s+thoughts|thoughts\s+of\s+(?:suicide|dying|ending\s+it))\b|\b(?:i|i'm|i've|ive)\s+(?:\w+\s+){0,2}(?:suicidal\s+thoughts|thoughts\s+of\s+(?:suicide|dying|ending\s+it))\b",
        "thoughts of ending their life",
        gate=("thought",),
    ),
    _r(
        "crisis",
        0.9,
        r"\b(?:i|i'm|im|i am|i've been|ive been|feeling|feel|felt)\s+(?:so\s+|really\s+|very\s+|pretty\s+|quite\s+)?suicidal\b",
        "says they are suicidal",
        gate=("suicidal",),
    ),
    _r(
        "crisis",
        0.9,
        r"\b(?:i|i've|ive|i have|i've been|i keep|keep)\s+(?:\w+\s+){0,2}(?:attempt|attempted|tried)\s+(?:suicide|to\s+(?:kill|end|overdose))\b",
        "suicide attempt",
        gate=("attempt", "tried"),
    ),
    _r(
        "crisis",
        0.9,
        rf"\b{_ME}\b[^.!?\n]{{0,20}}\b(?:want|wanna|wanted|wish|plan|planning|going|ready|need|deserve)\s+(?:to\s+)?(?:die|be\s+dead|not\s+exist|disappear\s+forever)\b",
        "wants to die",
        gate=("die", "dead", "exist", "disappear"),
    ),
    _r(
        "crisis",
        0.9,
        r"\bwish\s+(?:i|i'd)\s+(?:was|were|had)\s+(?:dead|never\s+been\s+born|died)\b",
        "wishes they were dead",
        gate=("wish",),
    ),
    _r(
        "crisis",
        0.9,
        r"\b(?:don't|dont|do not|no longer|don't even)\s+want\s+to\s+(?:live|be\s+alive|be\s+here|exist|wake\s+up(?!\s+(?:to|with|at|in|early|next)\b)|go\s+on|carry\s+on)\b",
        "does not want to live",
        gate=("want",),
    ),
    _r(
        "crisis",
        0.85,
        r"\b(?:no|not\s+any|isn't\s+any|is\s+no)\s+(?:reason|point)\s+(?:to|in)\s+(?:keep\s+(?:on\s+)?|keeping\s+|even\s+)?(?:live|living|go\s+on|going\s+on|going|carry\s+on|carrying\s+on|being\s+alive|being\s+here|trying)\b",
        "no reason to live",
        gate=("reason", "point"),
    ),
    _r(
        "crisis",
        0.85,
        rf"\b(?:take|taking|swallow|swallowing|down|downing|neck)\s+(?:all|the\s+whole|every\s+one\s+of|a\s+bottle\s+of|the\s+lot\s+of)\s+(?:of\s+)?(?:my\s+|the\s+|these\s+|them\s+)?(?:\w+\s+)?{_MEANS}",
        "plans an overdose",
        gate=_MEANS_GATE,
    ),
    _r(
        "crisis",
        0.85,
        r"\b(?:life|living)\s+(?:isn't|is\s+not|isnt|is\s+no\s+longer|not)\s+worth\s+(?:it|living)\b|\bnot\s+worth\s+living\b",
        "life not worth living",
        gate=("worth",),
    ),
    _r(
        "crisis",
        0.8,
        r"\bcan't\s+go\s+on\s+(?:living|like\s+this|anymore|any\s+more)\b|\bcannot\s+go\s+on\b",
        "cannot go on",
        gate=("can't", "cannot"),
    ),
    _r(
        "crisis",
        0.9,
        r"\b(?:better\s+off\s+(?:dead|without\s+me|if\s+i\s+(?:was|were)n't\s+here|with\s+me\s+gone)|better\s+off\s+if\s+i\s+(?:was|were)\s+gone)\b",
        "believes others are better off without them",
        gate=("better",),
    ),
    _r(
        "crisis",
        0.85,
        r"\b(?:won't|wont|will\s+not|not\s+going\s+to)\s+be\s+(?:a\s+burden|around|here|alive)\s+(?:much\s+longer|for\s+(?:much\s+)?long|for\s+the\s+next|by|after|next|when|anymore)",
        "says they will not be around",
        gate=("burden", "around", "here", "alive"),
    ),
    _r(
        "crisis",
        0.85,
        r"\b(?:won't|wont|will\s+not)\s+be\s+around\s+(?:for|to\s+see|much)\b" + _AWAY,
        "says they will not be around",
        gate=("around",),
    ),
    _r(
        "crisis",
        0.6,
        r"\b(?:tired\s+of|sick\s+of|hate)\s+being\s+a\s+burden\b|\b(?:i'm|i\s+am|im)\s+(?:just\s+)?a\s+burden\b",
        "feels a burden",
        gate=("burden",),
    ),
    _r(
        "crisis",
        0.85,
        r"\b(?:hope|pray|wish)\s+(?:that\s+)?(?:i|i'll|i'd)\s+(?:just\s+)?(?:don't|dont|won't|wont|wouldn't|wouldnt|didn't|didnt|never|do\s+not)\s+wake\s+up\b|\b(?:go\s+to\s+sleep|fall\s+asleep|went\s+to\s+sleep|fell\s+asleep)\s+and\s+(?:never|not|didn't|didnt|did\s+not|don't|dont)\s+(?:wake|woke)(?:\s+up)?\b",
        "hopes not to wake up",
        gate=("wake",),
    ),
    _r("crisis", 0.8, r"\bmaking\s+sure\s+of\s+it\b", "intent to act", gate=("making",)),
    _r(
        "crisis",
        0.85,
        rf"\b(?:sav|stockpil|hoard|collect|stash|stor|keep)\w*\s+(?:up\s+|back\s+|aside\s+)?(?:all\s+)?(?:my\s+|the\s+|some\s+)?(?:\w+\s+)?{_MEANS}",
        "stockpiling means",
        gate=_MEANS_GATE,
    ),
    _r(
        "crisis",
        0.85,
        rf"\b(?:have|got|the)\s+(?:the\s+)?{_MEANS}\s+(?:saved|ready|lined\s+up|counted|stashed|here)\b|\b{_MEANS}\s+(?:are|is)\s+(?:lined\s+up|counted\s+out|ready|on\s+the\s+table)",
        "has means ready",
        gate=_MEANS_GATE,
    ),
    _r(
        "crisis",
        0.85,
        r"\bhow\s+(?:many|much)\s+(?:of\s+(?:the|my|these)\s+)?\w+(?:\s+\w+)?\s+(?:it\s+)?(?:would|will|does|do|might)\s+(?:it\s+)?take\b|\bhow\s+(?:many|much)\s+(?:\w+\s+){0,3}(?:is|would\s+be)\s+(?:a\s+)?(?:lethal|fatal|enough\s+to\s+die)\b",
        "asks about a lethal amount",
        gate=("how",),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:easier|better|kinder|simpler)\s+(?:life|lives|off|time|for\s+(?:everyone|everybody|them|all|my\s+\w+)|to\s+(?:everyone|everybody|them|all))\s+(?:\w+\s+)?if\s+i\s+(?:just\s+)?(?:disappeared|was\s+gone|were\s+gone|wasn't\s+here|weren't\s+here|was\s+not\s+here|was\s+dead|were\s+dead|died|wasn't\s+around)\b|\bdisappear(?:ed)?\s+for\s+good\b",
        "believes others are better off without them",
        gate=("easier", "better", "kinder", "simpler", "disappear"),
    ),
    _r(
        "crisis",
        0.6,
        r"\b(?:don't|dont|do\s+not|can't|cant|cannot)\s+see\s+(?:the\s+|any\s+)?point\s+(?:of|in)\s+(?:living|life|going\s+on|carrying\s+on|being\s+here|anything\s+any\s*more)\b",
        "sees no point in living",
        gate=("point",),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:overdose|od)\b[^.!?\n]{0,15}\b(?:on\s+(?:my|the)|tonight|soon)\b|\b(?:i|i'll|i\s+will|i\s+could|i\s+might|going\s+to)\s+(?:just\s+)?overdose\b",
        "overdose intent",
        gate=("overdose", "od"),
    ),
    _r(
        "crisis",
        0.85,
        r"\b(?:wrote|written|writing|write|left)\s+(?:\w+\s+){0,2}(?:letters?|notes?)\s+(?:to|for)\s+(?:my|the|her|his|their|each\s+of\s+my)\s+(?:kids|children|family|wife|husband|son|daughter|sons|daughters|mum|mom|parents|partner|sister|sisters|brother|brothers|grandchildren|boys|girls)\b",
        "farewell letters",
        gate=("letter", "note"),
    ),
    _r(
        "crisis",
        0.85,
        r"\b(?:suicide|goodbye|farewell)\s+(?:note|letter)s?\b",
        "farewell note",
        gate=("note", "letter"),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:giving|given|give|gave)\s+(?:all\s+)?(?:my|away\s+my)\s+(?:things|stuff|possessions|belongings)\b|\b(?:giving|given|give)\s+(?:\w+\s+)?(?:things|stuff|possessions|belongings)\s+away\b|\bstarted\s+giving\s+(?:\w+\s+){0,2}away\b",
        "giving possessions away",
        gate=("things", "stuff", "possession", "belonging", "away"),
    ),
    _r(
        "crisis",
        0.7,
        r"\b(?:this|it)\s+(?:will\s+be|is)\s+my\s+(?:last|final)\s+(?:comment|post|message|time)\b|\bthis'll\s+be\s+my\s+(?:last|final)\s+(?:comment|post|message)\b|\bgood\s+riddance\s+to\s+me\b",
        "farewell: last message",
        gate=("last", "final", "riddance"),
    ),
    _r(
        "crisis",
        0.6,
        r"\b(?:sorted|sorting|put|putting|got)\s+(?:out\s+)?(?:everything|my\s+affairs|all\s+my\s+affairs|my\s+will)\s*(?:out|in\s+order|sorted)?\b[^.!?\n]{0,40}\b(?:bank|will|affairs|dog|cat|kids|in\s+order)\b",
        "putting affairs in order",
        gate=("bank", "will", "affairs", "dog", "cat", "kids", "order"),
    ),
    _r(
        "crisis",
        0.7,
        r"\b(?:goodbye|bye)\s+(?:everyone|all|forever|world|cruel)\b",
        "saying goodbye",
        gate=("bye",),
    ),
    _r(
        "crisis",
        0.7,
        r"\b(?:there's|there\s+is|it's|its|only|a|the)\s+(?:a\s+|one\s+)?way\s+out\b",
        "sees a way out",
        gate=("way",),
    ),
    _r(
        "crisis",
        0.85,
        r"\b(?:driv\w*|jump\w*|step\w*|walk\w*|throw\w*)\s+(?:myself\s+)?(?:into|off|in\s+front\s+of|under)\s+(?:the\s+|a\s+|an\s+)?(?:barrier|bridge|train|traffic|cliff|building|wall|tree|lorry|truck|bus|roof|river|sea|tracks)\b",
        "thinks about a method",
        gate=("into", "off", "front", "under"),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:sat|sit|sitting|stood|stand|standing)\s+(?:on|at)\s+(?:the\s+|a\s+|my\s+)?(?:edge\s+of\s+(?:the\s+)?)?(?:bridge|ledge|cliff|roof|platform|tracks|edge|balcony)\b(?!\s+of\s+(?:the\s+|my\s+|a\s+)?(?:bed|sofa|couch|chair|seat|bath|table|desk|pool|stage))[^.!?\n]{0,50}\b(?:looking\s+down|longer\s+than\s+i\s+should|thinking)\b"
        r"|\b(?:sat|sit|sitting|stood|stand|standing)\s+(?:on|at)\s+(?:the\s+|a\s+)?(?:edge\s+of\s+(?:the\s+)?)?(?:bridge|ledge|cliff|roof|platform|tracks|edge)\b(?!\s+of\s+(?:the\s+|my\s+|a\s+)?(?:bed|sofa|couch|chair|seat|bath|table|desk|pool|stage))",
        "at a dangerous place",
        gate=("bridge", "ledge", "cliff", "roof", "platform", "tracks", "edge"),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:i|i've|ive)\s+(?:\w+\s+)?(?:cut|burned|burnt|hurt|harmed)\s+(?:myself\s+)?again\b|\bself[- ]?harm(?:ed|ing)?\s+again\b|\b(?:i|i've|ive|i\s+have)\s+(?:been\s+)?self[- ]?harm",
        "self-harm",
        gate=("again", "harm"),
    ),
    _r(
        "crisis",
        0.75,
        r"\b(?:already|have|i've|ive)\s+(?:already\s+)?(?:decided|made\s+(?:up\s+)?my\s+(?:mind|decision))\b[^\n]{0,80}\b(?:not\s+going\s+(?:through|to\s+go\s+through)|end|done|die)\b",
        "decision made",
        gate=("decided", "decision", "mind"),
    ),
    _r(
        "crisis",
        0.65,
        r"\b(?:death|dying|the\s+idea|it)\s+(?:doesn't|does\s+not|doesnt|no\s+longer|don't)\s+(?:scare|frighten)s?\s+me\b",
        "death no longer frightens them",
        gate=("scare", "frighten"),
    ),
    _r(
        "crisis",
        0.6,
        r"\bi'm\s+(?:just\s+)?done\b(?!\s+with\s+(?:work|the|my\s+(?:shift|course|treatment|chemo)|it\s+all\s+for))",
        "says they are done",
        gate=("done",),
    ),
    _r(
        "crisis",
        0.6,
        r"\b(?:don't|dont|do\s+not)\s+know\s+why\s+(?:i|i've)\s+(?:came|come|keep\s+going|bother|am\s+still\s+here)\b",
        "questions staying alive",
        gate=("why",),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:tired|sick|weary)\s+of\s+(?:being\s+alive|living|life|existing|being\s+here)\b",
        "tired of living",
        gate=("alive", "living", "life", "existing", "here"),
    ),
    _r(
        "crisis",
        0.55,
        r"\bwant\s+(?:it\s+all|everything|all\s+of\s+(?:it|this))\s+to\s+(?:stop|end|be\s+over)\b",
        "wants everything to end",
        gate=("stop", "end", "over"),
    ),
    _r(
        "crisis",
        0.8,
        r"\bmake\s+it\s+look\s+like\s+an?\s+accident\b|\b(?:googl\w*|looking\s+up|looked\s+up|research\w*|search\w*|reading\s+up\s+on)\s+(?:how\s+to|ways\s+to|the\s+best\s+way\s+to)\s+(?:die|kill|end\s+it|end\s+my|overdose|hang|not\s+wake)\b",
        "researching a method",
        gate=("accident", "how to", "ways to", "way to"),
    ),
    _r(
        "crisis",
        0.75,
        r"\b(?:nobody|no\s+one|noone|anyone)\s+would\s+(?:even\s+|really\s+|ever\s+)?(?:notice|care|miss\s+me)\b|\bif\s+i\s+(?:was|were|wasn't|weren't)\s+(?:gone|dead|not\s+here|not\s+around|here)\b",
        "believes no one would miss them",
        gate=("notice", "care", "miss", "gone", "dead", "here", "around"),
    ),
    _r(
        "crisis",
        0.7,
        r"\bsay(?:ing)?\s+(?:my\s+)?goodbyes?\b[^.!?\n]{0,25}?\b(?:properly|for\s+good|forever|tonight|one\s+last|to\s+(?:everyone|you\s+all|all\s+of\s+you))\b|\bone\s+last\s+goodbye\b",
        "saying goodbye",
        gate=("goodbye",),
    ),
    _r(
        "crisis",
        0.6,
        r"\b(?:he|she|they|my\s+\w+)\s+(?:keeps?\s+saying|says|said|told\s+me)\s+(?:that\s+)?(?:there's|there\s+is|theres)\s+no\s+(?:point|reason|way\s+out|hope)\b",
        "someone close sees no point",
        gate=("point", "reason", "way", "hope"),
    ),
    _r(
        "crisis",
        0.55,
        r"\b(?:he|she|they)\s+(?:gave|has\s+given|have\s+given|is\s+giving|are\s+giving|started\s+giving)\s+(?:me\s+|us\s+|away\s+)?(?:his|her|their|all\s+(?:his|her|their))\s+\w+",
        "someone close gives possessions away",
        gate=("gave", "given", "giving"),
    ),
    # someone else in crisis (a human must read it)
    _r(
        "crisis",
        0.85,
        rf"\b(?:(?:keeps?|kept|has\s+been|is|was|started)\s+)?(?:saying|says|said|talking|talks|talked|mentioned|mentions|threatening|threatened|told\s+me)\s+(?:about\s+)?(?:that\s+)?(?:he|she|they)?\s*(?:wants?|wanted|want|wanting|is\s+going|was\s+going|would\s+rather|planning|plans)?\s*(?:to\s+)?(?:die|dying|kill\s+{_3SELF}|killing\s+{_3SELF}|end\s+(?:it|his\s+life|her\s+life|their\s+life)|ending\s+it|suicide|not\s+be\s+here)\b",
        "someone close talks of dying",
        gate=("die", "dying", "kill", "end", "suicide", "here"),
    ),
    _r(
        "crisis",
        0.85,
        rf"\b(?:kill|hurt|harm|cut|hang|shoot|overdose)(?:s|ing)?\s+{_3SELF}\b",
        "someone at risk of harming themselves",
        gate=("himself", "herself", "themselves", "themself"),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:he|she|they|my\s+\w+)\s+(?:is|are|was|seems?|has\s+been)\s+(?:so\s+|really\s+)?suicidal\b",
        "someone is suicidal",
        gate=("suicidal",),
    ),
]

# The commonest explicit phrasings in the languages readers of English-language health sites
# most often write in. Not understanding: a safety net so that a human reads these.
CRISIS += [
    _r(
        "crisis",
        0.9,
        r"\b(?:je\s+(?:veux|voudrais)\s+(?:mourir|me\s+suicider|me\s+tuer|en\s+finir)"
        r"|envie\s+(?:de\s+|d')(?:mourir|me\s+suicider|en\s+finir))\b",
        "wants to die (French)",
        gate=("mourir", "suicid", "tuer", "finir"),
    ),
    _r(
        "crisis",
        0.9,
        r"\b(?:quiero\s+(?:morir(?:me)?|matarme|suicidarme)|me\s+quiero\s+(?:morir|matar)"
        r"|quero\s+(?:morrer|me\s+matar)|vou\s+me\s+matar)\b",
        "wants to die (Spanish or Portuguese)",
        gate=("morir", "matar", "suicid", "morrer"),
    ),
    _r(
        "crisis",
        0.9,
        r"\b(?:ich\s+(?:will|möchte|moechte)\s+(?:nicht\s+mehr\s+leben|sterben|mich\s+umbringen)"
        r"|voglio\s+morire|mi\s+voglio\s+(?:uccidere|ammazzare)|ik\s+wil\s+dood)\b",
        "wants to die (German, Italian or Dutch)",
        gate=("leben", "sterben", "umbringen", "morire", "uccidere", "ammazzare", "dood"),
    ),
]

DISTRESS = [
    _r(
        "distress",
        0.85,
        r"(?<!happy\s)\b(?:crying|cried|cry\s+myself|sobbing|sobbed|weeping|wept|in\s+tears|bawling|bawled|tears\s+streaming)\b(?!\s+(?:happy\s+tears|tears\s+of\s+joy|with\s+(?:joy|laughter|relief|happiness)|laughing|from\s+laughing))",
        "crying",
        gate=("cry", "cried", "sob", "weep", "wept", "tears", "bawl", "bawled"),
    ),
    _r(
        "distress",
        0.85,
        r"\b(?:hopeless|helpless|despair\w*|desperate)\b",
        "hopelessness",
        gate=("hopeless", "helpless", "despair", "desperate"),
    ),
    _r(
        "distress",
        0.85,
        r"\b(?:can't|cant|cannot|can\s+not|couldn't)\s+(?:cope|take\s+(?:it|this|much\s+more)|handle\s+(?:it|this)|do\s+this(?:\s+anymore)?|keep\s+(?:doing|going|fighting)|breathe|function|stop\s+(?:crying|shaking|panicking))\b",
        "cannot cope",
        gate=("can", "couldn't"),
    ),
    _r(
        "distress",
        0.8,
        r"\b(?:overwhelmed|drowning|falling\s+apart|breaking\s+down|(?:i'm|im|i\s+am|so|completely|utterly|totally)\s+broken|broken\s+(?:inside|hearted)|breaking(?!\s+(?:news|point\s+for\s+the|the\s+(?:law|rules|news)))|cracking\s+up|cracking\s+under|losing\s+it|losing\s+my\s+mind|at\s+breaking\s+point|at\s+the\s+end\s+of\s+my\s+rope)\b",
        "overwhelmed",
        gate=("overwhelm", "drown", "falling", "breaking", "broken", "cracking", "losing", "rope"),
    ),
    _r(
        "distress",
        0.8,
        r"\b(?:terrified|petrified|panicking|panic\s+attacks?|so\s+scared|really\s+scared|scared\s+(?:to|of|i'm|that)|frightened|shaking|can't\s+stop\s+shaking)\b",
        "fear or panic",
        gate=("terrified", "petrified", "panic", "scared", "frightened", "shaking"),
    ),
    _r(
        "distress",
        0.8,
        r"\b(?:completely|so|all|totally|very)\s+alone\b|\b(?:nobody|no\s+one|noone)\s+(?:understands|gets\s+it|cares|notices|to\s+talk\s+to|listens)\b|\b(?:don't|dont|do\s+not)\s+have\s+(?:anyone|anybody|one)\b|\bso\s+lonely\b",
        "alone",
        gate=("alone", "one", "body", "lonely"),
    ),
    _r(
        "distress",
        0.75,
        r"\b(?:feel|feeling|felt)\s+(?:so\s+|really\s+|very\s+|completely\s+|physically\s+)?(?:bad|awful|terrible|horrible|worthless|useless|empty|numb|sick|lost|broken|worse|miserable|wretched|dreadful)\b",
        "feels bad",
        gate=("feel", "felt"),
    ),
    _r(
        "distress",
        0.8,
        r"\b(?:this|it|that|reading\s+(?:this|it)|the\s+article|the\s+piece|the\s+comments)\s+(?:has\s+|just\s+|really\s+)?made\s+me\s+(?:feel\s+)?(?:so\s+much\s+|even\s+|much\s+)?worse\b|\bmade\s+me\s+feel\s+(?:so\s+much\s+|even\s+|much\s+)?worse\b|\bworse\s+after\s+reading\b",
        "feels worse after reading",
        gate=("worse",),
    ),
    _r(
        "distress",
        0.8,
        r"\b(?:depressed|miserable|devastated|heartbroken|traumati[sz]ed|exhausted|burnt?\s+out|so\s+tired\s+of|sick\s+and\s+tired)\b",
        "low mood",
        gate=(
            "depressed",
            "miserable",
            "devastated",
            "heartbroken",
            "traumati",
            "exhausted",
            "burn",
            "tired",
        ),
    ),
    _r(
        "distress",
        0.75,
        r"\b(?:don't|dont|do\s+not)\s+know\s+(?:what\s+to\s+do|how\s+to\s+(?:keep|go\s+on|carry\s+on|cope))\b|\b(?:can't|cant)\s+get\s+out\s+of\s+bed\b|\b(?:haven't|havent|have\s+not)\s+left\s+the\s+(?:house|flat|bed|room)\b|\bfeel\s+like\s+(?:i'm|im|i\s+am)\s+losing\s+(?:everyone|everything|my\s+mind)\b|\bfeel(?:ing|s)?\s+like\s+(?:i'm|im|i\s+am)\s+(?:suffocating|drowning|going\s+under|falling\s+apart|dying\s+inside)\b|\blying\s+awake\s+at\s+\d|\b(?:dunno|don't\s+know)\s+how\s+much\s+longer\s+(?:i|we)\s+can\b|\bcan't\s+face\b",
        "struggling to function",
        gate=(
            "know",
            "bed",
            "left",
            "face",
            "havent",
            "losing",
            "much longer",
            "suffocating",
            "drowning",
            "going under",
            "falling apart",
            "dying inside",
            "awake at",
        ),
    ),
    _r(
        "distress",
        0.8,
        r"\b(?:don't|dont|do\s+not|can't|cant|cannot)\s+see\s+(?:the\s+|any\s+)?point\s+(?:of|in)\s+(?:anything|it\s+all|trying|living|life|going\s+on|carrying\s+on)\b",
        "sees no point",
        gate=("point",),
    ),
    _r(
        "distress",
        0.75,
        r"\b(?:dark\s+cloud|darkness|life\s+is\s+over|nothing\s+left|hate\s+(?:myself|my\s+life|what\s+this)|no\s+hope|lost\s+all\s+hope|same\s+shade\s+of\s+grey)\b",
        "hopeless outlook",
        gate=("dark", "over", "nothing", "hate", "hope", "grey"),
    ),
]

# "a bit sad", "slightly worried": mild, not flagged
MILD = re.compile(
    r"\b(?:a\s+(?:bit|little|tad)|bit|slightly|kind\s+of|kinda|sort\s+of|somewhat|mildly|a\s+touch)\s+(?:\w+\s+)?$",
    _I,
)
MILD_AFTER = re.compile(r"^\s*(?:me\s+|us\s+)?(?:a\s+(?:bit|little|tad)|slightly|somewhat)\b", _I)
MILD_ANY = re.compile(
    r"\b(?:a\s+(?:bit|little|tad)|little\s+bit|slightly|kind\s+of|kinda|sort\s+of|somewhat|mildly|in\s+a\s+good\s+way)\b"
    r"|(?:^|[.!?]\s+)bit\s+(?:of\s+a\s+)?(?:sad|down|low|teary|emotional|worried|anxious|scared|upset)\b",
    _I,
)
NEGATION = re.compile(
    r"(?:\b(?:not|never|no|nor|without|isn't|wasn't|aren't|don't|doesn't|didn't|wouldn't\s+say(?:\s+i'm)?|not\s+(?:feeling|that|so|too))\s+(?:\w+\s+){0,2}$|n't\s+(?:\w+\s+){0,1}$)",
    _I,
)

THREAT = [
    _r(
        "threat",
        0.95,
        r"\b(?:kys|kill\s+yourself|kill\s+yourselves|kill\s+urself|neck\s+yourself|hang\s+yourself|shoot\s+yourself)\b",
        "tells someone to kill themselves",
        gate=("kys", "yourself", "yourselves", "urself"),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:go|should|just|please|pls)\s+(?:\w+\s+)?(?:jump\s+off|drink\s+bleach|overdose|die|hang|throw\s+yourself)\b",
        "tells someone to harm themselves",
        gate=("jump", "bleach", "overdose", "die", "hang", "throw"),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:do\s+(?:us\s+all|the\s+world|everyone)\s+a\s+favou?r)\b[^.!?\n]{0,30}\b(?:die|jump|overdose|kill|disappear|drop\s+dead)\b|\bdo\s+(?:us\s+all|the\s+world|everyone)\s+a\s+favou?r\s*[.!]*\s*$",
        "tells someone to harm themselves",
        gate=("favo",),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:overdose|od)\s+on\s+your\b|\bjump\s+off\s+a\s+(?:bridge|cliff|building|roof)\b",
        "tells someone to harm themselves",
        gate=("overdose", "od", "jump"),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:hope|wish)\s+(?:you|u|ya|s?he|they)(?:'d|\s+would|\s+will|'ll)?\s+(?:\w+\s+)?(?:die|dies|rot|rots|get\s+cancer|gets?\s+hit|suffer|burn|choke|get\s+run\s+over)\b|\bdrop\s+dead\b",
        "wishes harm on someone",
        gate=("die", "rot", "cancer", "hit", "suffer", "burn", "choke", "run", "dead"),
    ),
    _r(
        "threat",
        0.8,
        r"\bhope\s+(?:your|ur|you|u)\s+(?:\w+\s+){0,2}?(?:stop\s+working|stops\s+working|gets?\s+worse|fail|fails|relapse|suffer|get\s+sick|gets?\s+cancer)\b",
        "wishes harm on someone",
        gate=("stop", "worse", "fail", "relapse", "suffer", "sick", "cancer"),
    ),
    _r(
        "threat",
        0.95,
        r"\b(?:i'll|ill|i\s+will|i'm\s+going\s+to|im\s+going\s+to|i'm\s+gonna|im\s+gonna|i\s+am\s+going\s+to|gonna|going\s+to)\s+(?:\w+\s+){0,3}?(?:kill|murder|hurt|stab|shoot|beat|smash|strangle|break\s+(?:your|his|her|their)|come\s+(?:round|over|after|for)|find\s+(?:you|him|her|them|where)|make\s+(?:sure\s+)?(?:you|him|her|them|s?he|they)\s+(?:\w+\s+)?(?:pay|regret|suffer|sorry))\b(?!\s+(?:me|myself|us|ourselves)\b)",
        "threat of violence",
        gate=(
            "kill",
            "murder",
            "hurt",
            "stab",
            "shoot",
            "beat",
            "smash",
            "strangle",
            "break",
            "come",
            "find",
            "make",
        ),
    ),
    _r(
        "threat",
        0.9,
        r"\bfind\s+out\s+where\s+(?:you|u|s?he|they|the\s+\w+)\s+lives?\b|\bknow\s+where\s+(?:you|u|s?he|they)\s+(?:live|work)s?\b|\bi\s+know\s+which\s+\w+\s+(?:he|she|they)\s+works?\s+at\b",
        "threat: knows where the person is",
        gate=("live", "work"),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:deserves?|needs?|should\s+get|ought\s+to\s+get)\s+(?:a\s+bullet|to\s+(?:die|be\s+shot|be\s+hanged|be\s+killed|hang|suffer)|shot|a\s+beating)\b|\bshould\s+be\s+(?:shot|hanged|hung|killed|executed|beaten|lynched)\b",
        "incitement to violence",
        gate=(
            "bullet",
            "die",
            "shot",
            "hang",
            "kill",
            "suffer",
            "beating",
            "execut",
            "beaten",
            "lynch",
            "hung",
        ),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:torch|burn\s+down|firebomb|bomb|blow\s+up|shoot\s+up)\s+(?:\w+\s+){0,3}(?:office|house|home|building|clinic|hospital|school|place)\b|\bwith\s+(?:the\s+)?\w+\s+(?:still\s+)?inside\b",
        "incitement to violence",
        gate=("torch", "burn", "bomb", "blow", "shoot", "inside"),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:shoot|kill|hang|gas|exterminate|string\s+up)\s+(?:every\s+one\s+of|all\s+of|all)\s+(?:these|those|them|the)\b",
        "incitement to violence",
        gate=("every", "all"),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:should|ought\s+to|needs?\s+to|someone\s+(?:should|needs\s+to)|let's|lets)\s+(?:just\s+)?(?:shoot|kill|hang|stab|beat\s+up|lynch|punch|string\s+up|run\s+over|torch)\s+(?:the|this|that|these|those|him|her|them|you|every|all)\b",
        "incitement to violence",
        gate=("shoot", "kill", "hang", "stab", "beat", "lynch", "punch", "string", "run", "torch"),
    ),
    _r(
        "threat",
        0.85,
        r"(?:^|[.!?]\s+)(?:hang|shoot|lynch|kill|string\s+up)\s+(?:this|that|the|these|those|him|her|them)\s+\w+",
        "incitement to violence",
        gate=("hang", "shoot", "lynch", "kill", "string"),
    ),
    # hate against a group
    _r(
        "threat",
        0.9,
        r"\b(?:disabled|mentally\s+ill|sick|gay|trans|black|white|muslim|jewish|jew|immigrant|refugee|autistic|fat|old|poor|chronically\s+ill)\s+(?:people|folks|men|women|kids)?\s*(?:are|r)\s+(?:all\s+)?(?:\w+\s+){0,2}?(?:animals|parasites|vermin|subhuman|scum|leeches|cockroaches|rats|a\s+plague|a\s+disease|trash|garbage|worthless|a\s+drain|freaks|degenerates|abominations|monsters|filth|perverts)\b",
        "hate against a group",
        gate=(
            "animal",
            "parasite",
            "vermin",
            "subhuman",
            "scum",
            "leech",
            "cockroach",
            "rat",
            "plague",
            "disease",
            "trash",
            "garbage",
            "worthless",
            "drain",
            "freak",
            "degenerate",
            "abomination",
            "monster",
            "filth",
            "pervert",
        ),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:they|them|these\s+people|those\s+people|all\s+of\s+them|people\s+like\s+(?:you|that|them))\s+should\s+(?:all\s+)?be\s+(?:sterili[sz]ed|exterminated|gassed|euthani[sz]ed|put\s+down|wiped\s+out|eradicated|deported|locked\s+(?:up|away)|culled)\b|\bshould\s+(?:all\s+)?be\s+(?:sterili[sz]ed|exterminated|gassed|euthani[sz]ed|put\s+down|wiped\s+out|culled)\b|\b(?:people|folks|they)\s+(?:are|r)\s+[^.!?\n]{0,40}\band\s+should\s+(?:all\s+)?be\s+(?:locked\s+(?:up|away)|put\s+away|removed|banned|sterili[sz]ed|deported)\b",
        "hate against a group",
        gate=("should",),
    ),
    _r(
        "threat",
        0.85,
        r"\block\s+(?:the\s+lot|them\s+all|all\s+of\s+them|them)\s+(?:of\s+them\s+)?up\s+and\s+throw\s+away\s+the\s+key\b",
        "hate against a group",
        gate=("lock",),
    ),
]

NAME_VOCATIVE = re.compile(
    r"(?:^|[.!?]\s+|\n)(?P<name>[A-Z][a-z]{2,}),\s|,\s+(?P<name2>[A-Z][a-z]{2,}(?:_\w+)?)\s*[.!?]",
    0,
)

ATTACK = [
    _r(
        "attack",
        0.85,
        r"\b(?:f+u+c+k+|f\*+k?|eff|screw|sod)\s*(?:off|you|u|ya|every\s+one\s+of\s+you|all\s+of\s+you|you\s+all|yourself)\b",
        "profanity aimed at someone",
        gate=("fu", "f*", "eff", "screw", "sod"),
    ),
    _r(
        "attack",
        0.85,
        r"\bgo\s+to\s+hell\b|\bget\s+bent\b|\bgo\s+away\b|\bget\s+lost\b|\bpiss\s+off\b|\bbugger\s+off\b|\bsod\s+off\b",
        "tells someone to go away",
        gate=("hell", "bent", "away", "lost", "off"),
    ),
    _r(
        "attack",
        0.75,
        r"\bshut\s+(?:up|it|your\s+(?:mouth|face|trap))\b|\bsit\s+down\b\s*[.!]|\bgrow\s+a\s+(?:spine|brain|pair)\b|\bget\s+a\s+(?:job|life|clue|brain)\b",
        "tells someone to shut up",
        gate=("shut", "sit", "grow", "get"),
    ),
    _r(
        "attack",
        0.75,
        r"\b(?:nobody|no\s+one|noone)\s*[.!]?\s*(?:cares|asked)\b",
        "dismisses a person",
        gate=("cares", "asked"),
    ),
    _r(
        "attack",
        0.7,
        r"\bkeep\s+(?:your|ur)\s+(?:opinions?|thoughts|comments)\s+to\s+(?:yourself|urself)\b|\bbless\s+your\s+heart\b|\b(?:reading\s+comprehension|iq|intelligence|brain)\s+of\s+a\s+\w+|\bsmarter\s+(?:takes|things|comments)\s+(?:in|inside|on)\b|\bembarrassing\s+yourself\b|\bis\s+reading\s+too\s+hard\b|\b(?:so\s+)?thick\s+it's\b",
        "mocks a person",
        gate=(
            "keep",
            "bless",
            "comprehension",
            "iq",
            "intelligence",
            "brain",
            "smarter",
            "embarrassing",
            "reading",
            "thick",
        ),
    ),
    _r("attack", 0.7, r"\bexcuse\s+for\s+a\s+\w+", "insult aimed at a person", gate=("excuse",)),
    _r(
        "attack",
        0.7,
        r"\b(?:imagine\s+being\s+so|you're\s+so|ur\s+so|u\s+r\s+so|you\s+are\s+so)\s+\w+",
        "mocks a person",
        gate=("imagine", "you", "ur", "u r"),
    ),
    _r(
        "attack",
        0.7,
        r"\bhope\s+(?:ur|your|you're)\s+\w+\s+(?:report|sue|fire|sack)\w*\b|\bfire\s+(?:him|her|them)\b|\bshould\s+be\s+(?:fired|sacked|struck\s+off)\b",
        "calls for someone's punishment",
        gate=("report", "sue", "fire", "sack", "struck"),
    ),
    _r(
        "attack",
        0.75,
        r"\b(?:jack|dumb|smart|lard|fat|stupid|lazy)[\s-]?ass(?:es)?\b|\b(?:white|trailer)\s+trash\b|\battention[\s-]seekers?\b",
        "name-calling",
        gate=("ass", "trash", "seeker"),
    ),
]

# ---- Warning signs in veiled wording ------------------------------------------------------------
# The signs suicide-prevention services teach (Samaritans, AFSP, NIMH): talk of not being around,
# of being a burden, saying goodbye, putting affairs in order, giving away possessions and pets,
# having the means ready, a chosen time, sudden calm. A strong sign alone asks a human to read the
# comment now; moderate ones (about 0.3-0.45) do so when two come together (noisy-OR over rules).
CRISIS += [
    _r(
        "crisis",
        0.65,
        r"\b(?:won't|wont|will\s+not|shan't|not\s+going\s+to)\s+be\s+(?:a\s+(?:problem|burden|bother|worry|nuisance|drain)|needing\s+(?:them|it|any\s+of\s+(?:it|this|them)|(?:these|those)(?=\s+(?:much|for|soon|any)))|around|here)\b"
        r"[^.!?\n]{0,30}?\b(?:much\s+longer|for\s+(?:much\s+)?long(?:er)?|soon|anymore|any\s+more|for\s+(?:christmas|(?:my|his|her|their)\s+birthday|the\s+holidays|next\s+year|the\s+summer|the\s+wedding))\b"
        + _AWAY,
        "says they will not be around much longer",
        gate=("won't", "wont", "will not", "shan't", "not going"),
    ),
    _r(
        "crisis",
        0.55,
        r"\bif\s+(?:i'm|im|i\s+am)\s+(?:not|no\s+longer)\s+(?:around|here)\b" + _AWAY,
        "talks of not being around",
        gate=("not around", "no longer around", "not here", "no longer here"),
    ),
    _r(
        "crisis",
        0.7,
        r"\b(?:don't|dont|do\s+not)\s+plan\s+on\s+coming\s+back\b|\bnot\s+(?:planning\s+on\s+)?coming\s+back\s+(?:out\s+of|from)\s+(?:it|this)\b"
        r"|\bcheck(?:ing|ed)?\s+out\s+(?:for\s+good|permanently|early|of\s+(?:life|this\s+life|this\s+world))\b",
        "talks of leaving for good",
        gate=("plan on coming", "coming back", "check out", "checking out", "checked out"),
    ),
    _r(
        "crisis",
        0.6,
        r"\b(?:go|going|leave|leaving|die|end\s+it|end\s+things|bow\s+out|exit)\s+(?:\w+\s+){0,2}on\s+my\s+own\s+terms\b"
        r"|\b(?:choos\w*|pick\w*|plan\w*)\s+my\s+own\s+(?:exit|way\s+out|ending|time\s+to\s+go)\b",
        "plans to die on their own terms",
        gate=("own terms", "my own"),
    ),
    _r(
        "crisis",
        0.7,
        r"\bremov(?:e|ing)\s+myself\s+(?:from\s+(?:the\s+equation|the\s+picture|(?:their|everyone's|his|her|your)\s+lives?)|permanently|for\s+good)\b",
        "thinks of removing themselves",
        gate=("remov",),
    ),
    _r(
        "crisis",
        0.65,
        r"\b(?:won't|wont|will\s+not|never)\s+have\s+to\s+(?:carry|look\s+after|care\s+for|worry\s+about|deal\s+with|put\s+up\s+with|pay\s+for|support)\s+me\b"
        r"|\bbetter\s+off\s+without\s+(?:(?:the\s+)?(?:cost|burden|weight|worry|expense)\s+of\s+(?:me|my)|this\s+burden|(?:her|him|them)\b(?!\s+(?:in\s+their|around\s+the|at\s+the)))"
        r"|\bif\s+i\s+(?:wasn't|weren't|was\s+not)\s+(?:around|here)\s*,?\s+(?:my\s+\w+|he|she|they|everyone)\s+(?:could|would|can|might)\b"
        r"|\b(?:would|could|might)\s+(?:\w+\s+){0,8}?if\s+i\s+(?:wasn't|weren't|was\s+not)\s+(?:in\s+the\s+picture|around\s+any\s*more)\b|\bget\s+the\s+(?:life\s+)?insurance\b",
        "believes others are better off without them",
        gate=("have to", "better off", "if i", "insurance"),
    ),
    _r(
        "crisis",
        0.45,
        r"\b(?:be|being|am|i'm|feel\s+like|such)\s+(?:a\s+|such\s+a\s+)?(?:burden|drain)\s+(?:on|to)\s+(?:my|everyone|them|him|her|the)\b"
        r"|\bhow\s+to\s+be\s+a\s+burden\b",
        "feels a burden",
        gate=("burden", "drain"),
    ),
    _r(
        "crisis",
        0.75,
        r"\b(?:both\s+of\s+us|the\s+two\s+of\s+us|us\s+both)\s+(?:to\s+)?(?:go|going|die|end\s+it)\s+together\b",
        "thinks of dying together with someone",
        gate=("together",),
    ),
    _r(
        "crisis",
        0.5,
        r"\b(?:i've|ive|i\s+have)\s+(?:\w+\s+)?thought\s+about\s+how\s*(?:[.!]|$)",
        "has thought about how",
        gate=("thought about how",),
    ),
    _r(
        "crisis",
        0.6,
        r"\b(?:twitch|jerk|swerve|flick)\s+of\s+the\s+wheel\b|\bswerv\w*\s+into\s+(?:the\s+|a\s+|an\s+|oncoming\s+)?(?:lorry|lorries|truck|trucks|traffic|bus|wall|tree|barrier)",
        "thinks about a crash on purpose",
        gate=("wheel", "swerv"),
    ),
    _r(
        "crisis",
        0.65,
        r"\b(?:bridge|tracks|train|railway|crossing|cliff|river|lake|sea|motorway|roof|balcony|pills|tablets|rope|ledge|edge)\b[^.!?\n]{0,80}\b(?:like\s+an?\s+answer|the\s+answer|a\s+solution|a\s+way\s+out|inviting|calling\s+(?:me|to\s+me))\b",
        "a place or means seen as a way out",
        gate=("answer", "solution", "way out", "inviting", "calling"),
    ),
    _r(
        "crisis",
        0.8,
        rf"\b{_MEANS}\s+(?:saved|stashed|stockpiled|hoarded|put\s+aside|hidden)(?:\s+(?:up|away))?\b(?!\s+(?:in|on)\s+(?:the|my)\s+(?:app|phone|list|basket|cart|account))",
        "has means saved up",
        gate=_MEANS_GATE,
    ),
    _r(
        "crisis",
        0.7,
        r"\bmake\s+sure\s+i\s+never\s+have\s+to\s+(?:do|go\s+through|face|feel|live\s+through)\s+(?:this|it|any\s+of\s+this)\s+again\b"
        r"|\bonly\s+need\s+(?:enough\s+)?(?:it\s+)?(?:the\s+)?once\b",
        "intent to act",
        gate=("never have", "only need"),
    ),
    _r(
        "crisis",
        0.45,
        r"\b(?:check|limit|count|notice|track)\w*\s+how\s+many\s+(?:packs?|boxes|pills|tablets|painkillers|paracetamol)\b"
        r"|\bhow\s+many\s+(?:packs?|boxes)\s+(?:of\s+)?(?:\w+\s+)?(?:you\s+can|can\s+you|can\s+i|i\s+can)\s+buy\b",
        "asks how to get around limits on medicines",
        gate=("how many",),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:doesn't|doesnt|does\s+not|didn't|didnt|did\s+not|no\s+longer)\s+wants?\s+to\s+(?:live|be\s+alive|be\s+here|exist|go\s+on|carry\s+on|wake\s+up)\b",
        "someone does not want to live",
        gate=(
            "to live",
            "to be alive",
            "to be here",
            "to exist",
            "to go on",
            "to carry on",
            "to wake up",
        ),
    ),
    _r(
        "crisis",
        0.8,
        r"\b(?:cutting|burning|hurting|harming)\s+(?:herself|himself|themselves|themself|myself)\b"
        r"|\b(?:she|he|they|son|daughter|child|kid|teen|teenager|boy|girl|sister|brother|friend)\s+(?:\w+\s+){0,3}?self[- ]?harm\w*"
        r"|\b(?:been|started|keeps?)\s+cutting\s+(?:again|herself|himself|themselves|myself|her\s+arms?|his\s+arms?|my\s+arms?)\b|\bcutting\s+again\b",
        "self-harm",
        gate=("cutting", "burning", "hurting", "harm"),
    ),
    # moderate signs: giving away, affairs in order, goodbyes, a chosen time, sudden calm
    _r(
        "crisis",
        0.35,
        r"\b(?:giv\w*|gave)\s+(?:away\s+)?(?:all\s+)?(?:my|his|her|their)\s+(?:\w+\s+){0,2}(?:away|to\s+(?:the\s+)?(?:neighbou?rs?|friends?|charity|a\s+mate|a\s+friend))\b"
        r"|\b(?:rehom\w*|gave|given|giving)\s+(?:away\s+)?(?:the|my|our|his|her)\s+(?:dog|cat|pets?|puppy|kitten|budgie|rabbit|horse|guitar|books|tools|car|bike|records|jewellery|jewelry)\s+(?:away\s+)?(?:to|with)\b"
        r"|\brehom(?:ed|ing|e)\s+(?:the|my|our)\s+(?:dog|cat|pets?|animals?)\b"
        r"|\b(?:who|which\s+\w+)\s+(?:gets|will\s+get|should\s+get|can\s+have|is\s+having)\s+my\b"
        r"|\b(?:should|to|could|can|must)\s+take\s+(?:his|her|my|their)\s+(?:dog|cat|pets?|kids)\b|\b(?:dog|cat|pets?)(?:'s|\s+is)\s+going\s+to\s+(?:my|a)\b",
        "giving possessions away",
        gate=(
            "giv",
            "gave",
            "rehom",
            "gets my",
            "get my",
            "have my",
            "having my",
            "take his",
            "take her",
            "take my",
            "take their",
            "dog's",
            "dog is",
            "cat's",
            "cat is",
            "pet's",
            "pet is",
            "pets is",
        ),
    ),
    _r(
        "crisis",
        0.35,
        r"\bpa(?:id|ying)\s+off\s+(?:the\s+last\s+of\s+)?(?:my|all\s+my)\s+(?:debts?|loans?|credit\s+cards?)\b"
        r"|\b(?:tidy(?:ing)?\s+(?:up\s+)?(?:endings|loose\s+ends)|tying\s+up\s+(?:all\s+)?(?:the\s+|my\s+)?loose\s+ends|tidy\s+endings)\b"
        r"|\b(?:with|updated|made|wrote|written|sorted|finished|redone|redid)\s+(?:out\s+)?(?:a|my|the)\s+will\b|\bwill(?:'s|\s+is)\s+(?:sorted|done|written|in\s+order)\b",
        "putting affairs in order",
        gate=(
            "paid off",
            "paying off",
            "tidy",
            "loose ends",
            "a will",
            "my will",
            "the will",
            "will's",
            "will is",
        ),
    ),
    _r(
        "crisis",
        0.45,
        r"\bsaid\s+(?:my\s+)?goodbyes?\b|\bsaying\s+my\s+goodbyes?\b|\bgoodnight\s+(?:all|everyone|world)\b[^\n]{0,6}(?:🖤|💔|x)?"
        r"|\bthanks?\s+(?:you\s+)?for\s+everything\b[^.!?\n]{0,40}\blook\s+after\b|\bthank\s+you\s+all\s+for\s+everything\b",
        "saying goodbye",
        gate=("goodbye", "goodnight", "for everything"),
    ),
    _r(
        "crisis",
        0.35,
        r"\b(?:pick|picked|choose|chose|chosen|set|setting)\s+(?:the|a)\s+(?:day|date)\s*(?:[.!]|$)"
        r"|\b(?:given|giving|set|setting)\s+myself\s+a\s+deadline\b",
        "has chosen a time",
        gate=("pick", "chose", "set the", "set a", "setting", "deadline"),
    ),
    _r(
        "crisis",
        0.3,
        r"\b(?:feeling|feel|felt|i'm|im)\s+(?:\w+\s+)?(?:calm|at\s+peace)\s+for\s+the\s+first\s+time\b|\bat\s+peace\s+with\s+my\s+decision\b|\ba\s+relief\s+to\s+(?:finally\s+)?(?:have|know)\b"
        r"|\b(?:i'm|im|i\s+am)\s+ready\s*(?:[.!]|$)",
        "sudden calm or readiness",
        gate=("calm", "peace", "ready", "relief"),
    ),
    _r(
        "crisis",
        0.3,
        r"\b(?:not|isn't|stopped)\s+(?:been\s+)?answering\s+(?:his|her|their|my)\s+(?:phone|calls|texts|messages)\b|\b(?:not|isn't|stopped)\s+picking\s+up\b",
        "someone has gone silent",
        gate=("answering", "picking up"),
    ),
    _r(
        "crisis",
        0.3,
        r"\bdeleted\s+(?:all\s+)?(?:his|her|their|my)\s+(?:accounts?|social\s+media|facebook|instagram|profiles?)\b",
        "farewell sign: accounts deleted",
        gate=("deleted",),
    ),
    _r(
        "crisis",
        0.3,
        r"\b(?:can't|cant|cannot|couldn't)\s+(?:reach|get\s+hold\s+of|contact)\s+(?:him|her|them)\b",
        "someone has gone silent",
        gate=("reach", "get hold", "contact"),
    ),
    _r(
        "crisis",
        0.3,
        r"\blove\s+you\s+all\b[^\n]{0,20}$|\bfinally\s+(?:free|at\s+peace)\b",
        "farewell words",
        gate=("love you all", "finally"),
    ),
    _r(
        "crisis",
        0.4,
        r"\b(?:i\s+have|i've\s+got|i've\s+made|i\s+made|i\s+now\s+have)\s+a\s+plan\b(?!\s+(?:for|with|of|b\b|to\s+(?:get|see|try|start|beat|fight|manage|cope)))",
        "has a plan",
        gate=("a plan",),
    ),
    _r(
        "crisis",
        0.8,
        r"\bhow\s+(?:many|much)\s+(?:of\s+(?:the|my|these|those)\s+)?\w+(?:\s+\w+)?\s+(?:i'd|i\s+would|i'll|i\s+will|it'd|you'd|one\s+would)\s+need\b",
        "asks about a lethal amount",
        gate=("how many", "how much"),
    ),
    _r(
        "crisis",
        0.6,
        r"\b(?:a\s+)?pain\s+(?:that\s+)?i\s+(?:get\s+to\s+|can\s+)?(?:choose|control)\b"
        r"|\b(?:hit|hitting|punch\w*|scratch\w*|burn\w*|bang\w*|bit|bite|biting|cut)\s+(?:and\s+\w+\s+)?(?:myself|my\s+(?:legs?|arms?|thighs?|wrists?|head|stomach|skin|hands?))\s+(?:with|against|until|till|on\s+purpose)\b"
        r"|\b(?:\d+|\w+)\s+(?:days|weeks|months)\s+clean\s+from\s+(?:self[- ]?harm|cutting)\b|\brelapsed\b[^.!?\n]{0,40}\bself[- ]?harm\b"
        r"|\b(?:razor|blade|compass|knife|scissors|lighter)\s+(?:on|into|to|against|across)\s+my\s+(?:arms?|legs?|thighs?|wrists?|skin|stomach|hips?)\b"
        r"|\b(?:dig|digging|dug)\s+(?:my\s+|a\s+|the\s+)?\w+\s+into\s+my\s+(?:arms?|legs?|thighs?|wrists?|skin)\b|\bbang\w*\s+my\s+head\s+(?:on|against)\s+(?:the\s+)?walls?\b"
        r"|\bfound\s+(?:\w+\s+){0,3}(?:razor\s+blades?|razors|blades)\b",
        "self-harm",
        gate=(
            "choose",
            "control",
            "myself",
            "my leg",
            "my arm",
            "my thigh",
            "my wrist",
            "my head",
            "my stomach",
            "my skin",
            "my hand",
            "my hip",
            "razor",
            "blade",
            "clean from",
            "relapsed",
            "into my",
        ),
    ),
    _r(
        "crisis",
        0.55,
        r"\b(?:bridge|tracks|train|railway|crossing|cliff|river|lake|sea|motorway|roof|balcony|window|pills|tablets|rope|ledge|edge|wheel|bend|lorry|lorries|traffic)\b[^.!?\n]{0,80}\b(?:it|that|this)\s+would\s+be\s+(?:so\s+)?(?:quick|quicker|easy|easier|painless)\b"
        r"|\bhow\s+easy\s+it\s+would\s+be\s+to\s+(?:just\s+)?(?:not|let|drive|step|jump|stop|swerve)\b"
        r"|\bnot\s+turn\s+the\s+wheel\b",
        "thinks how easy dying would be",
        gate=("would be", "wheel"),
    ),
    _r(
        "crisis",
        0.7,
        rf"\b{_MEANS}(?:'s|\s+is|\s+are)\s+(?:already\s+)?(?:in\s+the|under|hidden|ready|bought|up\s+in)\b"
        r"|\bwaiting\s+for\s+(?:the\s+house|everyone|them|him|her|the\s+kids)\s+to\s+(?:be\s+empty|leave|go\s+out|be\s+out|go\s+to\s+bed)\b",
        "has means ready",
        gate=_MEANS_GATE + ("waiting for",),
    ),
    _r(
        "crisis",
        0.6,
        r"\bstop(?:ped|ping)?\s+(?:taking\s+)?(?:my|the)\s+(?:\w+\s+)?(?:meds|medication|tablets|pills|lithium|insulin|dialysis|treatment|inhalers?)\s+on\s+purpose\b"
        r"|\bso\s+(?:it|this|everything|all\s+this)\s+(?:can|will|would)\s+(?:be\s+)?(?:finish|finished|end|over|stop)\b"
        r"|\b(?:tired|sick|weary)\s+of\s+(?:this|my)\s+life\b",
        "intent to end their life",
        gate=(
            "on purpose",
            "so it",
            "so this",
            "so everything",
            "so all",
            "of this life",
            "of my life",
        ),
    ),
    _r(
        "crisis",
        0.9,
        r"\b(?:finish|unalive|off|top)\s+myself\b",
        "self-harm or suicide about oneself",
        gate=("myself",),
    ),
    _r(
        "crisis",
        0.45,
        r"\b(?:written|wrote|writing|finished)\s+(?:the|my|goodbye|some|all\s+the)\s+letters\b(?!\s+(?:to|for)\s+(?:the\s+)?(?:council|gp|doctor|hospital|editor|mp|insurer|bank|dvla|school))",
        "farewell letters",
        gate=("letters",),
    ),
    _r(
        "crisis",
        0.5,
        r"\b(?:he's|she's|he\s+is|she\s+is|they're|he\s+feels|she\s+feels|feels\s+like)\s+(?:just\s+|such\s+)?a\s+burden\b"
        r"|\bkey\s+to\s+the\s+gun\s+(?:safe|cabinet|cupboard)\b|\bwhere\s+(?:i|we)\s+(?:keep|hide|put)\s+the\s+(?:gun|guns|rifle|shotgun|pills|tablets)\b",
        "someone close shows warning signs",
        gate=("burden", "gun", "where i", "where we"),
    ),
    _r(
        "crisis",
        0.45,
        r"(?<!see\s)\b(?:i'll|i\s+will|i'm\s+going\s+to|gonna|i\s+can|i'd\s+like\s+to|i\s+want\s+to|i\s+wish\s+i\s+could|i\s+just\s+want\s+to)\s+(?:see|be\s+with|join)\s+(?:him|her|them)\s+(?:again\s+)?soon\b(?![^.!?\n]{0,40}\b(?:flight|train|visit|trip|holiday|weekend|drive|coming|arrive|arrives|home\s+from))"
        r"|\b(?:mind|care)\s+if\s+i\s+came\s+to\s+(?:find|join|be\s+with)\s+(?:her|him|them)\b"
        r"|\bgo(?:ing)?\s+(?:to\s+)?(?:join|be\s+with)\s+(?:him|her|them|my\s+\w+)\s+(?:soon|now)\b|\bi\s+(?:will|'ll|am\s+going\s+to|shall)\s+follow\s+(?:him|her|them)\b",
        "wants to be with someone who has died",
        gate=(
            "him soon",
            "her soon",
            "them soon",
            "again soon",
            "came to",
            "join him",
            "join her",
            "join them",
            "join my",
            "be with him",
            "be with her",
            "be with them",
            "be with my",
            "follow",
        ),
    ),
    _r(
        "crisis",
        0.7,
        r"\bwhen\s+(?:he|she|they)\s+go(?:es)?\b[^.!?\n]{0,30}\b(?:i'm|i\s+am|i'll\s+be|i\s+will\s+be|she's|he's|she\s+is|he\s+is|they're)\s+going\s+(?:with|too)\b",
        "plans to die with someone",
        gate=("going with", "going too"),
    ),
    _r(
        "crisis",
        0.45,
        r"\bhelp\s+(?:it|things|nature|the\s+end)\s+along\b",
        "thinks of hastening their death",
        gate=("along",),
    ),
    _r(
        "crisis",
        0.3,
        r"\b(?:i've|ive|i\s+have)\s+made\s+(?:my\s+)?peace\b|\b(?:got|have)\s+it\s+all\s+(?:worked\s+out|planned)\b",
        "has made their peace",
        gate=("peace", "worked out", "all planned"),
    ),
    _r(
        "crisis",
        0.35,
        r"\b(?:sorry|apologi[sz]\w*)\s+for\s+everything\b",
        "farewell apology",
        gate=("for everything",),
    ),
    _r(
        "crisis",
        0.55,
        r"\b(?:which|what)\s+(?:pills|tablets|meds|medicines)\b[^.!?\n]{0,40}\b(?:strongest|most\s+dangerous|lethal|deadliest)\b"
        r"|\blist\s+of\s+(?:which\s+)?(?:pills|tablets|meds|medicines)\b"
        r"|\b(?:cleaned|loaded|holding|held|sat\s+with|took\s+out)\s+(?:my|the|his|her|dad's)\s+(?:gun|pistol|revolver|shotgun|rifle)\b",
        "looks into means",
        gate=(
            "strongest",
            "dangerous",
            "lethal",
            "deadliest",
            "list of",
            "gun",
            "pistol",
            "revolver",
            "shotgun",
            "rifle",
        ),
    ),
    _r(
        "crisis",
        0.45,
        r"\bhid(?:e|ing|den)?\s+(?:it|them|the\s+(?:cuts|scars|marks|burns))\s+(?:under|with)\s+long\s+sleeves\b|\blong\s+sleeves\s+(?:in|all\s+through|all)\s+(?:the\s+)?(?:summer|july|august|june|the\s+heat)\b",
        "hides self-harm",
        gate=("long sleeves",),
    ),
    _r(
        "crisis",
        0.3,
        r"\bmake\s+it\s+easy\s+for\s+(?:them|everyone|my\s+\w+)\b|\bwon't\s+be\s+long\s+now\b",
        "hints at an end",
        gate=("easy for", "long now"),
    ),
]


DISTRESS += [
    _r(
        "distress",
        0.75,
        r"\b(?:i'm|im|i\s+am|i've\s+been|ive\s+been|been)\s+(?:just\s+|really\s+|honestly\s+)?not\s+coping\b|\bstruggling\s+to\s+cope\b"
        r"|\brunning\s+on\s+empty\b|\bat\s+the\s+end\s+of\s+my\s+(?:tether|rope)\b|\bhanging\s+by\s+a\s+thread\b",
        "not coping",
        gate=("coping", "cope", "empty", "tether", "rope", "thread"),
    ),
    _r(
        "distress",
        0.7,
        r"\bscream(?:ed|ing|s)?\s+into\s+(?:a|my|the)\s+\w+|\b(?:lock|locked|hide|hid|hiding)\s+(?:myself\s+)?in\s+the\s+(?:bathroom|kitchen|car|toilet|loo)\b"
        r"|\b(?:i\s+)?just\s+exist\b|\bgoing\s+through\s+the\s+motions\b"
        r"|\b(?:getting\s+out\s+of\s+bed|everything|life|each\s+day|every\s+day)\s+(?:feels|is|seems)\s+(?:impossible|unbearable|pointless)\b"
        r"|\bstopped\s+(?:answering|replying\s+to|returning)\s+(?:messages|calls|texts|the\s+phone|my\s+phone)\b",
        "barely getting through the day",
        gate=(
            "scream",
            "lock",
            "hid",
            "exist",
            "motions",
            "impossible",
            "unbearable",
            "pointless",
            "stopped",
        ),
    ),
    _r(
        "distress",
        0.6,
        r"\b(?:can't|cant|cannot|couldn't)\s+sleep\s+(?:for|from)\s+(?:worry|worrying|fear|panic)\b|\blying\s+awake\s+(?:worrying|terrified|panicking)\b"
        r"|\bheart(?:'s|\s+is)\s+(?:pounding|racing)\b|\bplease\s+(?:someone|somebody)\s+tell\s+me\b",
        "anxious and frightened",
        gate=(
            "sleep for",
            "sleep from",
            "awake",
            "heart's",
            "heart is",
            "please someone",
            "please somebody",
        ),
    ),
    _r(
        "distress",
        0.6,
        r"\b(?:nobody|no\s+one|noone)\s+(?:ever\s+|actually\s+|even\s+)?(?:visits|calls|checks\s+on|comes\s+round|rings|phones)\b"
        r"|\b(?:lost|losing)\s+my\s+(?:job|friends|home|house)\b[^.!?\n]{0,30}\beverything\b|\bme\s+and\s+these\s+four\s+walls\b"
        r"|\b(?:hating|hate)\s+myself\b",
        "alone and losing everything",
        gate=(
            "visits",
            "calls",
            "checks on",
            "comes round",
            "rings",
            "phones",
            "lost my",
            "losing my",
            "walls",
            "myself",
        ),
    ),
    _r(
        "distress",
        0.55,
        r"\b(?:i\s+)?(?:don't|dont|do\s+not)\s+know\s+how\s+(?:to\s+tell\s+(?:my|the)\s+(?:kids|children|family|wife|husband|partner|mum|mom|parents)|i'm\s+(?:going\s+to|gonna)\s+(?:cope|manage|get\s+through))\b",
        "frightened by bad news",
        gate=("know how",),
    ),
    _r(
        "distress",
        0.6,
        r"\bi\s+cry\b|\b(?:losing|lost)\s+(?:all\s+)?hope\b|\b(?:don't|dont|do\s+not)\s+know\s+what\s+(?:to\s+)?do\s+(?:now|anymore|any\s+more)\b"
        r"|\b(?:don't|dont|do\s+not)\s+know\s+how\s+i(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to)\s+(?:manage|cope|get\s+through|go\s+on)\b"
        r"|\bsat\s+(?:in\s+the\s+\w+\s+)?(?:afterwards\s+)?and\s+(?:shook|shaked|cried|sobbed)\b",
        "losing hope, cannot cope",
        gate=(
            "i cry",
            "hope",
            "what to do",
            "what do",
            "know how",
            "shook",
            "shaked",
            "cried",
            "sobbed",
        ),
    ),
    _r(
        "distress",
        0.6,
        r"\b(?:and|i|we|just|still|often|sometimes|then|to)\s+cry\b(?!\s+(?:laughing|with\s+laughter))|\b(?:not|never|haven't|hasn't|can't)\s+stopped\s+crying\b|\b(?:this|so|very|really|incredibly|terribly|desperately)\s+lonely\b"
        r"|\b(?:nobody|no\s+one|noone)\s+(?:can\s+)?hears?\s+me\b|\b(?:nobody|no\s+one|noone)\s+to\s+(?:ring|call|talk\s+to|turn\s+to)\b"
        r"|\bscare[sd]?\s+(?:me\s+)?(?:witless|stiff|to\s+death)\b|\bscreaming\s+underwater\b",
        "lonely and frightened",
        gate=(
            " cry",
            "lonely",
            "hear me",
            "hears me",
            "to ring",
            "to call",
            "to talk to",
            "to turn to",
            "witless",
            "stiff",
            "to death",
            "underwater",
            "stopped crying",
        ),
    ),
]


THREAT += [
    _r(
        "threat",
        0.85,
        r"\b(?:take|go\s+(?:for|and\s+take)|go\s+take)\s+a\s+long\s+walk\s+off\s+a\s+short\s+(?:pier|cliff|bridge)\b|\b(?:go\s+)?neck\s+(?:yourself|urself|yourselves)\b",
        "tells someone to harm themselves",
        gate=("pier", "cliff", "bridge", "neck"),
    ),
    _r(
        "threat",
        0.65,
        r"\bwatch\s+(?:your|ur|his|her|their)\s+back\b|\bi\s+know\s+which\s+car\s+is\s+(?:his|hers|yours|theirs)\b|\bi\s+know\s+(?:where|which\s+\w+)\s+(?:you|she|he|they)\s+(?:live|lives|work|works)\b"
        r"|\b(?:found|find|finds)\s+(?:out\s+)?(?:her|his|your|their)\s+(?:home\s+)?address\b|\bpay\s+(?:you|him|her|them)\s+a\s+(?:little\s+)?visit\b",
        "veiled threat",
        gate=(
            "your back",
            "ur back",
            "his back",
            "her back",
            "their back",
            "which car",
            "know where",
            "know which",
            "address",
            "visit",
        ),
    ),
    _r(
        "threat",
        0.8,
        r"\b(?:wants?|needs?|deserves?)\s+(?:dragging\s+out\s+and\s+)?(?:shooting|hanging|stringing\s+up|a\s+(?:good\s+|proper\s+|real\s+)?(?:kicking|beating|hiding|slap)|beating|putting\s+down)\b"
        r"|\bshow(?:ed)?\s+(?:her|him|them|you)\s+what\s+real\s+pain\b"
        r"|\b(?:should|must|needs?\s+to|ought\s+to)\s+be\s+(?:\w+\s+){0,4}put\s+down\b|\b(?:should|must|ought\s+to)\s+be\s+(?:strung\s+up|hanged|hung|lynched|shot)\b"
        r"|\bare\s+(?:\w+\s+)?(?:vermin|cockroaches|subhumans?)\b|\bare\s+diseased\s+\w+|\bround\s+(?:them|the\s+lot|em)\s+(?:all\s+)?up\b"
        r"|\bsend\s+(?:them|every\s+one\s+of\s+them|the\s+lot|all\s+of\s+them)\s+(?:all\s+)?back\b"
        r"|\b(?:aren't|are\s+not)\s+(?:even\s+)?(?:people|human)\b|\ban\s+infestation\b|\bbelong\s+in\s+(?:a\s+)?cages?\b|\bsink\s+(?:the\s+lot|them|the\s+boats?|it)\b"
        r"|\bdefective\s+stock\b|\ba\s+plague\s+on\b"
        r"|\blike\s+the\s+(?:vermin|rats|cockroaches|parasites|animals)\s+(?:they|you)\s+are\b",
        "incitement to violence",
        gate=(
            "shoot",
            "hang",
            "hung",
            "string",
            "strung",
            "lynch",
            "shot",
            "kick",
            "beat",
            "hiding",
            "slap",
            "putting",
            "pain",
            "put down",
            "vermin",
            "rats",
            "cockroach",
            "parasite",
            "animal",
            "subhuman",
            "diseased",
            "round",
            "send",
            "people",
            "human",
            "infestation",
            "cage",
            "sink",
            "defective",
            "plague",
        ),
    ),
    _r(
        "threat",
        0.85,
        r"\b(?:i'll|i\s+will|i'm\s+going\s+to|i'm\s+gonna|gonna|we'll|we\s+will)\s+(?:\w+\s+){0,3}?(?:break|smash|kill|hurt|stab|shoot|beat|batter|punch|kick|strangle|burn|destroy|cut|knife|deck)\s+(?:every\s+bone\s+in\s+)?(?:you|your|him|his|her|them|their)\b"
        r"|\b(?:i'll|i\s+will|we'll|we\s+will)\s+give\s+(?:you|him|her|them)\s+(?:a\s+)?(?:\w+\s+){0,2}(?:headache|beating|kicking|slap|hiding)\b"
        r"|\b(?:i'll|i\s+will|i'd|i\s+would|we'll)\s+(?:\w+\s+){0,2}?(?:put\s+(?:him|her|you|them)\s+in\s+(?:hospital|the\s+ground|a\s+wheelchair)|knock\s+(?:his|her|your|their)\s+(?:teeth|block|head))\b"
        r"|\b(?:be\s+waiting\s+for\s+(?:him|her|you|them)\s+(?:in|outside|after)\b[^.!?\n]{0,60}\b(?:won't|wouldn't|will\s+not)\s+(?:be\s+)?walk(?:ing)?\s+(?:back|out|away))"
        r"|\bput\s+(?:him|her|you|them)\s+through\s+(?:a|the|his|her|your|their)\s+(?:own\s+)?(?:\w+\s+)?(?:window|wall|door|windscreen)\b"
        r"|\bshould\s+be\s+careful\s+walking\s+home\b|\bit\s+won't\s+just\s+be\s+(?:his|her|their|your)\s+\w+\b",
        "threatens violence",
        gate=(
            "break",
            "smash",
            "kill",
            "hurt",
            "stab",
            "shoot",
            "beat",
            "batter",
            "punch",
            "kick",
            "strangle",
            "burn",
            "destroy",
            "cut",
            "knife",
            "deck",
            "headache",
            "slap",
            "hiding",
            "hospital",
            "ground",
            "wheelchair",
            "knock",
            "waiting for",
            "through",
            "walking home",
            "won't just",
        ),
    ),
    _r(
        "threat",
        0.8,
        r"\b(?:dragged|taken|taking)\s+out\b[^.!?\n]{0,50}\b(?:beaten|shot|hanged|hung|kicked|strung\s+up)\b"
        r"|\bwhen\s+(?:i'm|we're|i\s+am|we\s+are)\s+done\s+with\s+(?:you|him|her|them)\b"
        r"|\b(?:i|we)\s+know\s+where\s+(?:your|his|her|their)\s+(?:office|house|home|flat|kids|surgery|clinic|car)\b"
        r"|\bput\s+a\s+bullet\s+(?:in|through)\b|\bwouldn't\s+walk\s+out\s+of\s+(?:it|there)\b|\bcut\s+deeper\b",
        "veiled threat",
        gate=(
            "dragged out",
            "taken out",
            "taking out",
            "done with",
            "know where",
            "bullet",
            "walk out",
            "deeper",
        ),
    ),
    _r(
        "threat",
        0.9,
        r"\b(?:end|off|unalive|top)\s+(?:yourself|urself|yourselves)\b|\b(?:favour|favor|just|go\s+and|go\s+on\s+and)\s+(?:and\s+)?finish\s+the\s+job\b"
        r"|\bwalk\s+(?:yourself|urself)\s+off\s+(?:the\s+nearest|a|the)\s+(?:cliff|bridge|pier|roof)\b",
        "tells someone to harm themselves",
        gate=("yourself", "urself", "yourselves", "finish the job"),
    ),
    _r(
        "threat",
        0.85,
        r"\b(?:go\s+on\s+(?:then\s*,?\s*)?|just\s+|why\s+don't\s+you\s+(?:just\s+)?)(?:starve|drown|hang|cut|burn|overdose)\s+(?:yourself|urself|yourselves)\b",
        "tells someone to harm themselves",
        gate=("yourself", "urself", "yourselves"),
    ),
]


ATTACK += [
    _r(
        "attack",
        0.75,
        r"\b(?:can|could)\s+(?:kindly\s+|just\s+|all\s+)?(?:get\s+stuffed|do\s+one|jog\s+on|sod\s+off|naff\s+off)\b"
        r"|\brun\s+along\b|\bleave\s+(?:it|the\s+\w+(?:\s+\w+)?)\s+to\s+the\s+grown[\s-]?ups\b|\bthe\s+grown[\s-]?ups\s+are\s+talking\b"
        r"|\b(?:sweetie|sweetheart|honey|darling|princess|hun)\b[^.!?\n]{0,40}\byou\s+(?:don't|do\s+not|clearly\s+don't|obviously\s+don't)\s+(?:understand|know|get)\b"
        r"|\bi\s+don't\s+think\s+you\s+understand\b[^.!?\n]{0,40}[,.]?\s*(?:sweetie|sweetheart|honey|darling|princess|hun)\b|\bstop\s+playing\s+the\s+victim\b|\bplaying\s+the\s+victim\s+card\b|(?<!to\s)\b(?:man|toughen)\s+up\b(?!\s+(?:to|for))"
        r"|\bstop\s+(?:whining|whinging|moaning|fishing\s+for\s+sympathy)\b|\bspare\s+us\b"
        r"|\b(?:selfish|lazy|useless|ignorant|entitled|pathetic|ungrateful|greedy|thick|vile|spineless)\s+lot\b|\bthe\s+lot\s+of\s+them\b(?=[^.!?\n]{0,3}[.!]|\s*$)"
        r"|\bcrawl\s+back\s+under\s+(?:your|a|the)\s+rock\b|\bhave\s+a\s+word\s+with\s+yourself\b|\bget\s+(?:down\s+)?off\s+your\s+high\s+horse\b",
        "dismisses or belittles a person",
        gate=(
            "stuffed",
            "do one",
            "jog",
            "sod",
            "naff",
            "run along",
            "grown",
            "you don't",
            "you do not",
            "you clearly",
            "you obviously",
            "think you understand",
            "victim",
            "man up",
            "toughen",
            "stop wh",
            "stop mo",
            "stop fi",
            "spare us",
            " lot",
            "crawl back",
            "word with yourself",
            "high horse",
        ),
    ),
]
