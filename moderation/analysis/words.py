# ruff: noqa: E501  (a table of patterns / word lists / cases: one entry per line reads best)
"""Word classes used by the rules, as sets (token lookups are far cheaper than regex alternations).

Words are lowercase tokens as produced by engine._TOKEN (apostrophes normalised to ')."""

from __future__ import annotations

import re


def _s(text: str) -> frozenset:
    return frozenset(text.split())


YOU = _s(
    "you u ur you're youre your yours yourself yourselves ya y'all yall you've you'd you'll youve"
)
AUTHOR = _s(
    "author authors writer editor editors journalist journalists reporter reporters columnist journo "
    "journos"
)
PEOPLE = _s(
    "woman women man men guy guys girl lady people person commenter commenters reader readers idiots "
    "he she they him her them he's she's they're they've he'd she'd they'd he'll she'll they'll hes shes husband wife doctor nurse politician politicians liberal liberals "
    "conservative conservatives trump mp mps everyone everybody anyone folks someone somebody "
    # groups and public figures are people too: an insult aimed at them is hostility, not feedback
    "republicans democrats dems libs leftists lefties voters americans canadians muslims christians "
    "jews gays immigrants feminists boomers millennials president senator senators minister ministers "
    "governor mayor premier congressman congresswoman officials bureaucrats commenter's poster posters "
    "commentator commentators nurses girls boys parents carers teenagers"
)
WEAK_PEOPLE = _s(
    "he she they him her them he's she's they're they've he'd she'd they'd he'll she'll they'll hes shes "
    "someone somebody"
)
THINGS_AFTER_YOUR = _s(
    "article piece post blog headline site magazine column coverage content writing advice tip tips "
    "source sources study resources box stats figures data link info own new latest last opinion"
)
CONTENT = _s(
    "article articles piece post blog headline title study studies research evidence site website magazine "
    "paper column coverage content writing framing advice tip tips section stats statistics figures data "
    "editorial journalism reporting list listicle listicles video policy system service resource resources "
    "box nhs insurance insurer pharma drug drugs treatment trial clinic government decision story stories "
    "claim claims information info read page paragraph author's writer's guide campaign charity "
    "organisation organization app helpline medication meds steroids therapy care hospital surgery "
    "appointment process waiting"
)
THING = CONTENT | _s(
    "this that it disease illness condition ms cancer pain fatigue symptom symptoms diagnosis relapse "
    "flare weather day week life heat cold body leg legs brain fog bug virus covid chemo"
)
ILLNESS = _s(
    "disease illness condition ms cancer pain fatigue symptom symptoms diagnosis relapse flare "
    "weather heat virus covid chemo"
)
ILLNESS_OR_CONTENT = _s(
    "disease illness condition ms cancer pain fatigue symptom symptoms diagnosis relapse flare "
    "weather heat virus covid chemo article piece post headline study site advice tip tips system "
    "policy treatment drug government"
)
INSULT_NOUN = _s(
    "idiot idiots moron morons clown clowns fool fools troll trolls liar liars fraud frauds shill shills "
    "jerk jerks crank cranks loser losers snowflake snowflakes imbecile imbeciles cretin cretins halfwit "
    "halfwits dimwit dimwits bitch bitches bastard bastards asshole assholes arsehole arseholes dickhead "
    "dickheads dick dicks prick pricks twat twats cunt cunts scumbag scumbags scum hypocrite hypocrites "
    "quack quacks charlatan charlatans sheeple retard retards dumbass dumbasses tosser tossers wanker "
    "wankers numpty numpties muppet muppets pig pigs disgrace joke nutjob nutjobs nutter nutters lunatic "
    "lunatics degenerate degenerates trash garbage rubbish hack hacks 🤡 jackass jackasses asshat "
    "asshats douche douchebag douchebags dipshit dipshits shithead shitheads windbag windbags "
    "buffoon buffoons nitwit nitwits dullard dullards slut sluts whore whores traitor traitors "
    "cow cows airhead airheads lightweight lightweights whinger whingers moaner moaners snob snobs "
    "bellend bellends attention-seeker "
    "attention-seekers"
)
CENSORED_INSULT = re.compile(r"b\*+h?|b\*+ch|a\*+hole|a\*+holes|c\*+t|c\*+ts|tw\*+t|d\*+k|p\*+k")
INSULT_ADJ = _s(
    "stupid dumb thick clueless pathetic gullible smug heartless brainless ignorant idiotic moronic useless "
    "worthless disgusting bitter delusional dense spineless selfish lazy evil vile embarrassing ridiculous "
    "arrogant condescending cruel dishonest corrupt crooked nasty vapid insufferable manipulative vain "
    "spoilt spoiled overpaid"
)
NOT_INSULT_ALONE = _s("garbage rubbish trash joke disgrace")  # about things as often as people
OWNED = _s("his her my their our own the this that its your")  # "his own joke" is a thing
PROFANITY = _s(
    "fuck fucks fucked fucker fuckers fucking fuckin fck fcking feck feckin shit shits shitty shite "
    "shitting crap crappy damn damned damnit dammit bloody bugger buggered bollocks piss pissed pissing "
    "arse ass hell bastard christ wtf ffs omfg suck sucks"
)
CENSORED_PROFANITY = re.compile(r"f[\*#@!]+k?\w*|sh\*+t\w*|s\*+t|f\*+|\*{3,}")
CRIT_STRONG = _s(
    "pointless rubbish garbage trash drivel nonsense clickbait click-bait misleading inaccurate one-sided "
    "biased sloppy outdated oversimplified over-simplified simplistic irresponsible propaganda naive "
    "patronising patronizing condescending tone-deaf shallow superficial fluff scaremongering "
    "fearmongering fear-mongering sensationalist cherry-picked cherrypicked cherry-picking advertorial"
)
CRIT_STRONG_PHRASES = re.compile(
    r"\b(?:out\s+of\s+date|poorly\s+(?:written|researched|sourced)|badly\s+(?:written|researched|sourced)|"
    r"waste\s+of\s+(?:time|space)|not\s+supported\s+by|glosses?\s+(?:right\s+)?over|stop\s+publishing|"
    r"used\s+to\s+be\s+good|what\s+was\s+the\s+point|what's\s+the\s+point\s+of\s+(?:this|it)|no\s+mention\s+of|"
    r"not\s+one\s+mention|common\s+sense|lazy\s+(?:framing|writing|journalism|article|piece)|fake\s+news|"
    r"sponsored\s+content)\b",
    re.I,
)
CRIT_STRONG_GATE = (
    "date",
    "poorly",
    "badly",
    "waste",
    "supported",
    "gloss",
    "publishing",
    "used to",
    "point",
    "mention",
    "common",
    "lazy",
    "fake",
    "sponsored",
)
CRIT_WEAK = _s(
    "brutal useless worthless wrong bad awful terrible poor depressing disappointing disappointed dangerous "
    "dangerously ridiculous joke disgrace disgraceful rotten infuriating unhelpful lazy insulting wrecked "
    "failed broken mess shambles scandal outrageous unacceptable"
)
CRIT_WEAK_PHRASES = re.compile(r"\bnot\s+impressed\b|\bdid\s+nothing\b", re.I)
CRISIS_WEAK = _s(
    "suicide suicidal die dying dead death pills overdose goodbye worthless burden hopeless pointless "
    "rope bridge"
)
CRISIS_WEAK_PHRASES = re.compile(
    r"\b(?:end\s+it|no\s+way\s+out|give\s+up|giving\s+up|can't\s+go\s+on|"
    r"tired\s+of\s+living|nothing\s+left)\b",
    re.I,
)
FIRST_PERSON = _s("i i'm im i've ive me my myself i'd i'll")
CLINICAL = _s(
    "nurse psychologist psychiatrist clinician clinicians doctor gp therapist counsellor counselor study "
    "studies research evidence trial patients risk statistics stats rate rates screening leaflet side "
    "effect effects review prevalence"
)
HYPERBOLE = _s("literally lol lmao jk joking groaned joked teenager teenagers 😂 🤣 🙄")
HYPERBOLE_RX = re.compile(r"\bhaha+\b", re.I)
# someone else has died: goodbyes, their things given away and affairs settled are about them
BEREAVEMENT = re.compile(
    r"\b(?:funeral|passed\s+away|passed\s+on|hospice|memorial|cremation|ashes|bereave\w*|"
    r"(?:mum|mom|dad|father|mother|husband|wife|partner|son|daughter|brother|sister|nan|gran|grandad|"
    r"friend)\s+(?:died|passed)|since\s+(?:she|he)\s+(?:died|passed)|after\s+(?:she|he)\s+(?:died|passed))\b",
    re.I,
)
# warning signs that describe what people also do after a death
AFTER_A_DEATH = frozenset(
    {
        "giving possessions away",
        "putting affairs in order",
        "saying goodbye",
        "someone has gone silent",
    }
)
# the warning sign that a death nearby makes stronger
REUNION = "wants to be with someone who has died"
# tears of joy or laughter: the model reads "crying" and 😭 as distress
POSITIVE_TEARS = re.compile(
    r"\bhappy\s+(?:tears|crying|cry)\b|\btears\s+of\s+(?:joy|relief|happiness|laughter)\b|"
    r"\b(?:crying|cried|in\s+tears)\s+(?:with|from)\s+(?:joy|relief|happiness|laughter|laughing)\b|"
    r"\b(?:crying|cried)\s+laughing\b",
    re.I,
)
# what an author produces: "pathetic effort", "lazy piece" judge the work, not the person
WORK = _s(
    "effort efforts attempt attempts job piece article articles headline headlines writing work "
    "research reporting journalism coverage advice editing explanation summary take analysis thing "
    "things idea ideas remark remarks statement statements policy policies decision decisions system "
    "imagery image images photo photos picture pictures stock"
)

ANY_PERSON = YOU | AUTHOR | PEOPLE
HOST_VOCAB = INSULT_NOUN | INSULT_ADJ | PROFANITY | frozenset({"screw"})
CRIT_ANY = CRIT_STRONG | CRIT_WEAK
# talk of death that, in a comment already scored as distressed, is enough to ask a human to read it now
DEATH_CUES = _s("die dying dead death suicide suicidal alive overdose goodbye")
