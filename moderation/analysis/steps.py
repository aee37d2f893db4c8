"""Policy steps between detection and flags, each named, short and tested on its own.

Detection (the learned core and the safety-net rules) says how likely each axis is; these
steps say what that means for this comment: a rule that matched inside a quotation or a joke
counts less, a worry about a relative is still crisis but is marked as about someone else,
criticism of an article is tagged as feedback, swearing at nobody is tagged profanity.
All weights live in :class:`Weights`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .safety import Hit


@dataclass(frozen=True)
class Weights:
    quote_discount: float = 0.2  # a rule inside quotation marks counts this much
    joke_discount: float = 0.2  # a crisis rule next to "lol", "haha", "😂" counts this much
    rule_floor_other: float = 0.55  # a rule about someone else still reaches this at least
    criticism_max_hostility: float = 0.9  # criticism is tagged below this hostility
    profanity_tag: float = 0.6  # profanity head at or above this -> tag
    evidence_words: int = 3  # words shown for a learned flag
    evidence_min_share: float = 0.08  # a word must explain at least this share of the logit
    professional_factor: float = 0.5  # crisis/distress model scores in a professional's voice
    recovery_factor: float = 0.6  # crisis model score in a story of recovery, past tense
    joke_model_factor: float = 0.6  # crisis model score when the comment laughs
    coping_factor: float = 0.75  # distress and crisis model scores when the writer is coping
    aimed_crisis_cap: float = 0.15  # crisis/distress model scores when a reader is told to die
    no_target_factor: float = 0.6  # hostility and threat when nobody is addressed or named
    no_target_insult: float = 0.6  # ... unless the insult head is at least this sure


WEIGHTS = Weights()

# "double quotes", or 'single quotes' whose inner apostrophes are followed by a letter (can't)
_QUOTED = re.compile(
    r"\"[^\"\n]{1,400}\"|(?<![\w])'(?=\S)(?:[^'\n]|'(?=\w)){1,400}?(?<=\S)'(?!\w)"
)
_JOKE = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|jk|kidding)\b|[\U0001F602\U0001F923\U0001F606]"
)
SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def dequote(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text with its quotations cut out: what the writer says in their own words."""
    out, last = [], 0
    for a, b in ranges:
        out.append(text[last:a])
        out.append('"..."')
        last = b
    out.append(text[last:])
    return "".join(out)


def quotes_from(text: str, ranges: list[tuple[int, int]], source: str) -> bool:
    """Whether a quotation in ``text`` repeats words of ``source`` (the parent comment)."""
    source = source.lower()
    return any(len(text[a + 1 : b - 1].strip()) >= 8 and text[a + 1 : b - 1].lower() in source
               for a, b in ranges)


def own_words(full: float, dequoted: float) -> float:
    """Quoted or reported words ('he called her a "..."', 'so-called "tips"') are not the
    writer's own distress or attack: distress, hostility and threat take the lower of the two
    model readings. Crisis keeps the full reading (a relative's quoted words may be the
    warning sign), and the rules still see quotations, at a discount."""
    return min(full, dequoted)


def in_quote(hit: Hit, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= hit.start and hit.end <= b for a, b in ranges)


def sentence_of(text: str, pos: int) -> tuple[int, int]:
    for m in SENTENCE.finditer(text):
        if m.start() <= pos < m.end():
            return m.span()
    return (0, len(text))


def joking(text: str, hit: Hit) -> bool:
    """'I want to die lol': the same sentence (or the next few characters) laughs."""
    a, b = sentence_of(text, hit.start)
    return bool(_JOKE.search(text, a, min(len(text), b + 12)))


def rule_strength(text: str, hit: Hit, ranges: list[tuple[int, int]], w: Weights = WEIGHTS):
    """How much one rule hit counts for the writer of ``text``."""
    s = hit.rule.strength
    if in_quote(hit, ranges):
        s *= w.quote_discount
    if hit.rule.axis == "crisis" and joking(text, hit):
        s *= w.joke_discount
    return s


def combine(model: float, rules: list[float]) -> float:
    """An axis score: the model's, raised to the strongest rule that fired."""
    return max([model, *rules])


_PROFESSIONAL = re.compile(
    r"(?:^|[.!?] )(?:(?:clinical |consultant |mental health |psychiatric |specialist |ms |"
    r"community |district |palliative )?(?:psychologist|psychiatrist|nurse|doctor|gp|"
    r"pharmacist|therapist|counsellor|counselor|clinician|physio|physiotherapist|social worker|"
    r"paramedic|researcher|neurologist|oncologist|midwife|occupational therapist) here\b|"
    r"(?:as|speaking as) an? (?:clinical |mental health |psychiatric |specialist )?(?:psychologist|"
    r"psychiatrist|nurse|doctor|gp|pharmacist|therapist|counsellor|counselor|clinician|"
    r"researcher|social worker|paramedic)\b)",
    re.IGNORECASE,
)
_RECOVERY = re.compile(
    r"\b(?:used to (?:say|think|feel|want)|years ago|back then|at the time|these days|"
    r"(?:gave|given|got) me my life back|got my life back|on the mend|in recovery|"
    r"it (?:does|did|will|can) get (?:better|easier|softer)|(?:i'm|i am|we're) (?:doing )?"
    r"(?:much |so much )?(?:better|well) now|(?:clean|sober|well|clear) for \w+ (?:years|months)|"
    r"\w+ (?:years|months) (?:clean|sober|clear|well))\b",
    re.IGNORECASE,
)


#: the voice and coping steps read a comment as a whole; in a longer text (a thread of posts)
#: a hopeful phrase somewhere says nothing about a warning sign elsewhere
VOICE_MAX_CHARS = 2500


def voice(text: str, model: dict[str, float], hits: list[Hit], w: Weights = WEIGHTS) -> None:
    """Who is speaking, and when: a professional writing about suicide as a topic, a story of
    recovery told in the past tense, a comment that laughs ("I'd kill for a coffee 😂") lower
    the crisis (and, for professionals, distress) model scores. A crisis rule in the writer's
    own present words is never lowered: these steps touch the model's reading only."""
    if len(text) > VOICE_MAX_CHARS:
        return
    if _PROFESSIONAL.search(text):
        model["crisis"] *= w.professional_factor
        model["distress"] *= w.professional_factor
    if _RECOVERY.search(text):
        model["crisis"] *= w.recovery_factor
    if _JOKE.search(text):
        model["crisis"] *= w.joke_model_factor


_COPING = re.compile(
    r"\b(?:trying to (?:keep|stay|focus|take|get)|going to (?:sit|talk|try|ask|book|call|rest)|"
    r"booked|found (?:a|some|an)|(?:we|i) (?:found|managed|got through)|one day at a time|"
    r"getting there|doing (?:ok|okay|well|better|alright)|(?:it|that|this) (?:helps|helped)|"
    r"grateful|thankful|hopeful|hoping|on the up|could be worse|ah well|oh well|"
    r"(?:i|we)(?:'ll| will) (?:get through|manage|be fine|be ok|be okay)|"
    r"(?:but|though|still) (?:i'm|im|i am|we're|we are) (?:ok|okay|fine|coping|managing|good|"
    r"alright)|statistics aren't destiny|small wins?|silver lining)\b",
    re.IGNORECASE,
)


def coping(text: str, model: dict[str, float], hits: list[Hit], w: Weights = WEIGHTS) -> None:
    """'Sad, worried, but coping' is mild distress, which is not flagged (label scale): a
    comment that turns to coping, help or hope lowers the distress and crisis model scores,
    never a crisis rule's."""
    if (len(text) <= VOICE_MAX_CHARS and _COPING.search(text)
            and not any(h.rule.axis == "crisis" for h in hits)):
        model["distress"] *= w.coping_factor
        model["crisis"] *= w.coping_factor


def aimed_at_reader(score: float, hits: list[Hit], w: Weights = WEIGHTS) -> float:
    """'Go kill yourself', 'I'll hurt you': violent words aimed at someone else say nothing of
    the writer's risk or distress (the crisis and distress model scores are capped when a
    threat rule fires), unless a crisis rule speaks of the writer too."""
    told = any(h.rule.axis == "threat" for h in hits)
    own = any(h.rule.axis == "crisis" for h in hits)
    return min(score, w.aimed_crisis_cap) if told and not own else score


def self_directed(threat: float, hits: list[Hit], w: Weights = WEIGHTS) -> float:
    """'I want to kill myself': violent words turned on oneself are crisis, not a threat to
    anyone, unless a threat rule fires too."""
    own = any(h.rule.axis == "crisis" and h.rule.about == "self" for h in hits)
    told = any(h.rule.axis == "threat" for h in hits)
    return min(threat, w.aimed_crisis_cap) if own and not told else threat


PERSON = re.compile(
    r"\b(?:you|your|yours|yourself|ya|u|ur|he|she|him|her|his|they|them|their|people|folks|"
    r"guys|everyone|anyone|author|writer|editor|journalist|doctor|doctors|dr|nurse|nurses|"
    r"moderators?|mods?|readers?|commenters?|posters?|idiots?|morons?|woman|men|women|"
    r"person|someone|anybody|somebody|whoever|mate|lady|sir|madam|troll|trolls)\b|@\w",
    re.IGNORECASE,
)


def no_target(text: str, hostility: float, threat: float, insult: float,
              w: Weights = WEIGHTS) -> tuple[float, float]:
    """Swearing at nobody ("this f***ing disease") is profanity, not an attack on a person."""
    if insult >= w.no_target_insult or PERSON.search(text):
        return hostility, threat
    return hostility * w.no_target_factor, threat * w.no_target_factor


def threat_is_hostile(hostility: float, threat: float) -> float:
    """A threat aimed at a person is hostility at its worst (the label scale's hostility 3):
    the hostility score is never below the threat score, so a threat keeps its hostile flag
    however the toxicity head reads its wording."""
    return max(hostility, threat)


_ARTICLE = re.compile(
    r"\b(?:article|piece|post|blog|write-?up|author|writer|editor|journalist|headline|study|"
    r"research|advice|tips?|guide|section|list|column|content|site|website|information|info|"
    r"this|it)\b",
    re.IGNORECASE,
)
_NEGATIVE_FEEDBACK = re.compile(
    r"\b(?:disappointing|disappointed|useless|pointless|rubbish|nonsense|waste|wrong|misleading|"
    r"lazy|poor|terrible|awful|shallow|patronising|patronizing|condescending|inaccurate|"
    r"outdated|out of date|one-sided|biased|unhelpful|brutal|depressing|boring|clickbait|"
    r"what was the point|not helpful|no help|missed the point|doesn't help|didn't help|"
    r"fluff|generic|naive|disgrace|not impressed)\b",
    re.IGNORECASE,
)


def criticism(text: str, hostility: float, w: Weights = WEIGHTS) -> tuple[int, int] | None:
    """Negative feedback on the article or the service (not flagged): the span that says so."""
    if hostility >= w.criticism_max_hostility:
        return None
    m = _NEGATIVE_FEEDBACK.search(text)
    if m and _ARTICLE.search(text):
        return m.span()
    return None


_WORD = re.compile(r"[^\W_]+(?:['*][^\W_]+)*|[\U0001F300-\U0001FAFF]")


# words too common to explain a flag by themselves, never offered as evidence
FUNCTION_WORDS = frozenset(
    "a an the and or but so to of in on at for with from by as is are was were be been am i me my "
    "mine we us our it its it's this that these those there here have has had do does did i'm im "
    "i've ive i'd i'll just very really not no yes if then than when what who how why all any "
    "some one can could would should will about into out up down over again too also now".split()
)


def words(text: str) -> list[tuple[int, int]]:
    """Spans of the words that may be evidence (function words left out)."""
    return [m.span() for m in _WORD.finditer(text) if m.group().lower() not in FUNCTION_WORDS]
