# ruff: noqa: E501  (a table of patterns / word lists / cases: one entry per line reads best)
"""Hand-written check cases, written separately from domain_dev (no text copied from it).

Each case: (text, must_have, must_not). ``must_have`` flags/tags must be present, ``must_not``
must be absent. Used by tests/analysis and reported by ``evaluate`` as a generalisation check.
Cases whose first word is "[known-miss]" are reported but not asserted (documented gaps).
"""

from __future__ import annotations

ALL_FLAGS = {"crisis", "threat", "distress", "hostile"}
NO_FLAGS = ALL_FLAGS

CASES: list[tuple[str, set, set]] = [
    # --- crisis: explicit and veiled, about oneself or someone else -----------------------------
    ("I don't want to live anymore", {"crisis"}, set()),
    ("I won't be a burden much longer", {"crisis"}, set()),
    ("I've written letters to my kids just in case", {"crisis"}, set()),
    ("everyone would be better off without me", {"crisis"}, set()),
    ("I have the pills saved up", {"crisis"}, set()),
    ("my husband keeps saying he wants to die", {"crisis"}, set()),
    (
        "My son told me last night that he wants to kill himself. I don't know what to do.",
        {"crisis"},
        set(),
    ),
    ("honestly thinking about ending it all after this weekend", {"crisis"}, set()),
    ("I've been self harming again since the diagnosis", {"crisis"}, set()),
    ("there's no reason to keep going on. i'm so tired of fighting", {"crisis"}, set()),
    ("Some nights I wish I was dead. Tonight is one of them.", {"crisis"}, set()),
    ("I keep picturing stepping in front of a train on my commute", {"crisis"}, set()),
    ("Goodbye everyone. Thanks for the support over the years.", {"crisis"}, set()),
    ("im going to take all my sleeping pills tonight", {"crisis"}, set()),
    ("My wife is suicidal and refuses to see anyone. Please help.", {"crisis"}, set()),
    ("I feel suicidal most days since the relapse", {"crisis"}, set()),
    ("Life isn't worth living like this.", {"crisis"}, set()),
    # veiled warning signs: not being around, a burden, goodbyes, affairs in order, means, a time
    (
        "Mum keeps telling me 'I won't be a bother to you much longer'. She never talked like this.",
        {"crisis"},
        set(),
    ),
    (
        "Sorted out who gets my record collection. Won't be needing it much longer.",
        {"crisis"},
        set(),
    ),
    ("if I'm not around after the weekend, thank you all for the kindness", {"crisis"}, set()),
    (
        "I've got my nan's old sleeping tablets stashed away, enough to make sure I never have to go through this again",
        {"crisis"},
        set(),
    ),
    (
        "Rehomed my dog with my cousin and paid off the last of my credit cards. Loose ends tied.",
        {"crisis"},
        set(),
    ),
    (
        "My son stopped eating and my wife found out he has been cutting himself. He is 14.",
        {"crisis"},
        set(),
    ),
    ("My dad doesn't want to be alive anymore, he said so at dinner", {"crisis"}, set()),
    (
        "Some days I think about removing myself from the picture so the kids can have a normal life",
        {"crisis"},
        set(),
    ),
    ("I'll go on my own terms before the disease takes everything", {"crisis"}, set()),
    (
        "She texted 'thanks for everything, look after the cat for me' and now she isn't answering her phone",
        {"crisis"},
        set(),
    ),
    ("Every morning the level crossing looks more and more like an answer", {"crisis"}, set()),
    ("Been keeping back my sleeping tablets in a drawer for a few weeks now.", {"crisis"}, set()),
    ("Told my sister on the phone 'I won't be here for Christmas' and hung up.", {"crisis"}, set()),
    ("Working out how much of the insulin I'd need. Not telling anyone.", {"crisis"}, set()),
    (
        "I burn my arms with a lighter when the flashbacks come, it's a pain I can control",
        {"crisis"},
        set(),
    ),
    ("Honestly if I stopped my meds on purpose it would all just end", {"crisis"}, set()),
    ("He says he's just a burden now and asked where we keep the pills", {"crisis"}, set()),
    (
        "my mate posted 'finally free, love you all' and deleted his account, can't reach him",
        {"crisis"},
        set(),
    ),
    (
        "Since Gran died I keep thinking I'll be with her soon, and honestly that's a comfort",
        {"crisis"},
        set(),
    ),
    (
        "My wife says when he goes she's going with him. I thought it was grief talking.",
        {"crisis"},
        set(),
    ),
    ("When the cancer comes back I plan to help it along. I've made my peace.", {"crisis"}, set()),
    (
        "He rang to say sorry for everything and asked me to take his cat. Now his phone is off.",
        {"crisis"},
        set(),
    ),
    ("Found a list of pills in her notebook with the strongest ones underlined", {"crisis"}, set()),
    ("Started using a razor on my arms again, nobody at home knows", {"crisis"}, set()),
    ("I dig my nails into my wrists until they bleed when the panic comes", {"crisis"}, set()),
    ("If I wasn't around, my wife could finally have a normal life", {"crisis"}, set()),
    ("Dad is in the hospice now. When he goes I will follow him.", {"crisis"}, set()),
    (
        "I look out of the window of the flat on the 9th floor and think it would be easier",
        {"crisis"},
        set(),
    ),
    # ... and the same words in ordinary life
    ("Sat on the edge of the bed shaking after the results call", set(), {"crisis"}),
    (
        "My mates told me to man up, so I went to the GP instead. Best decision.",
        set(),
        {"hostile", "threat"},
    ),
    ("Cheers to everyone still in the thick of it, it does get better", set(), NO_FLAGS),
    (
        "This cold snap is killing my hands but I've got my life back since the new meds, dead proud of myself",
        set(),
        NO_FLAGS,
    ),
    ("Off to see my sister in Leeds, I'll be with her soon!", set(), NO_FLAGS),
    (
        "We're moving house and Mum is giving her piano to the neighbours. I think she knows it's time.",
        set(),
        {"crisis"},
    ),
    ("That's the joke of the week, my husband laughed at his own joke again", set(), NO_FLAGS),
    ("Bit down today but the walk helped.", set(), NO_FLAGS),
    ("As the saying goes 'give him enough rope and he'll hang himself'", set(), {"crisis"}),
    ("It would be easy to blame the NHS, but the article is fair.", set(), NO_FLAGS),
    ("Screw you, MS! Ran 5k today.", set(), {"hostile", "threat"}),
    ("I can't stop crying, my life is over", {"distress"}, {"hostile", "threat"}),
    ("Thanks for all the support this year, love you all!", set(), NO_FLAGS),
    ("Won't be around much next week, off on holiday to Crete!", set(), {"crisis"}),
    ("Picked a date for the wedding at last. I'm ready.", set(), {"crisis"}),
    ("Finally paid off my car loan, feels good", set(), NO_FLAGS),
    ("This is some cutting edge research, thanks for sharing", set(), NO_FLAGS),
    ("Gave my old wheelchair to a friend who needs it more", set(), NO_FLAGS),
    ("Crying happy tears here, my scan came back clear 😭", set(), NO_FLAGS),
    (
        "We said goodbye to Dad at the hospice and gave his dog to my brother. Miss him.",
        set(),
        {"crisis"},
    ),
    ("Won't be needing these crutches much longer, physio says I'm nearly there!", set(), NO_FLAGS),
    ("CAMHS is broken and the article says nothing about fixing it", set(), {"distress", "crisis"}),
    # --- distress, not crisis ------------------------------------------------------------------
    ("Honestly I'm not coping. Running on empty since Dad's stroke.", {"distress"}, {"crisis"}),
    (
        "I sit in the car after my shift and cry, I'm so lonely since the divorce",
        {"distress"},
        {"crisis"},
    ),
    (
        "Some nights I sit in the car and scream into my scarf, then go back in and smile",
        {"distress"},
        {"crisis"},
    ),
    (
        "Results on Friday and I can't sleep for worrying. Please someone tell me it's usually nothing",
        {"distress"},
        {"crisis"},
    ),
    (
        "Nobody rings anymore. Lost my job and my friends, and now it's me and these four walls.",
        {"distress"},
        {"crisis"},
    ),
    ("I'm crying, I feel bad enough already", {"distress"}, {"crisis", "hostile"}),
    ("I'm crying, from reading this!", {"distress"}, {"hostile"}),
    ("totally depressing article.. I am feeling bad enough", {"distress"}, {"hostile"}),
    ("I'm so scared about the results tomorrow, I can't stop shaking", {"distress"}, {"crisis"}),
    ("Everything feels hopeless since my mum went into the home", {"distress"}, {"hostile"}),
    (
        "I'm completely overwhelmed with the kids, the appointments and work",
        {"distress"},
        {"hostile"},
    ),
    ("Sobbed in the car park after the neurologist appointment", {"distress"}, {"hostile"}),
    ("I just can't cope with the pain any more", {"distress"}, {"hostile"}),
    # --- must NOT be flagged ------------------------------------------------------------------
    ("this article killed me", set(), NO_FLAGS),
    ("I could kill for a coffee", set(), NO_FLAGS),
    ("dying to try this", set(), NO_FLAGS),
    ("This workout is killing me but I love it", set(), NO_FLAGS),
    (
        "Suicide rates among people with MS are higher than average, a new study finds.",
        set(),
        NO_FLAGS,
    ),
    (
        "As a GP I always ask about suicidal thoughts when someone starts this medication.",
        set(),
        NO_FLAGS,
    ),
    (
        "Depression is common after diagnosis; the article explains the treatment options well.",
        set(),
        NO_FLAGS,
    ),
    ("brutal article, what was the point", {"criticism"}, NO_FLAGS),
    ("Brutal article what was the point in it", {"criticism"}, NO_FLAGS),
    ("MS sucks, f*** this illness", {"profanity"}, NO_FLAGS),
    ("Cancer is a bastard of a disease. Damn it.", {"profanity"}, {"hostile", "threat"}),
    ("This headline is misleading clickbait and the study is tiny.", {"criticism"}, NO_FLAGS),
    ("The advice in this piece is outdated and frankly irresponsible.", {"criticism"}, NO_FLAGS),
    ("Lovely piece, thank you. Shared it with my support group.", set(), NO_FLAGS),
    ("I'm not depressed, just tired of the heat.", set(), {"crisis", "hostile"}),
    (
        "My nan used to say 'I'd rather die than go into a home', and she loves it there now.",
        set(),
        {"crisis", "threat"},
    ),
    ("The hills on this route are murder but the views are worth it", set(), NO_FLAGS),
    ("We killed it at the charity run today!", set(), NO_FLAGS),
    # the writer calling themselves names is not an attack on anyone
    (
        "I felt like such an idiot at the appointment, forgot every question",
        set(),
        {"hostile", "threat"},
    ),
    ("What an idiot I am, left my meds at home again", set(), {"hostile", "threat"}),
    ("This brain fog makes me feel like a complete moron some days", set(), {"hostile", "threat"}),
    # --- hostile -------------------------------------------------------------------------------
    ("You are an absolute idiot and should stop commenting", {"hostile"}, {"crisis"}),
    ("The author is clearly a moron who has never met a sick person", {"hostile"}, {"crisis"}),
    ("@Dave_T you're a pathetic little troll", {"hostile"}, {"crisis"}),
    ("Shut up Karen, nobody asked for your opinion", {"hostile"}, {"crisis"}),
    ("What a stupid man. Did you even read the study?", {"hostile"}, {"crisis"}),
    ("Fuck off with your miracle cures, Steve", {"hostile"}, {"crisis"}),
    # a name for a person stays an attack next to words about the content
    ("Only a moron could write such a misleading headline", {"hostile"}, {"crisis"}),
    ("This article was clearly written by an idiot", {"hostile"}, {"crisis"}),
    ("Hey jack ass, nobody wants your opinion", {"hostile"}, {"crisis"}),
    ("The senator is a pathetic liar and a traitor", {"hostile"}, {"crisis"}),
    # --- threat --------------------------------------------------------------------------------
    ("Do us all a favour and take a long walk off a short pier", {"threat"}, {"crisis"}),
    ("I know where you work, doctor. Watch your back.", {"threat"}, {"crisis"}),
    ("Whoever approved this drug deserves a good kicking", {"threat"}, {"crisis"}),
    ("People like that should be rounded up and put down", {"threat"}, {"crisis"}),
    ("You lot can get stuffed with your miracle diets", {"hostile"}, {"crisis"}),
    ("Run along, dear, the grown-ups are talking", {"hostile"}, {"crisis"}),
    ("Sweetheart, you clearly don't understand how insulin works", {"hostile"}, {"crisis"}),
    ("I'll break your nose if I ever see you at the clinic", {"threat"}, {"crisis"}),
    ("We know where your office is, doctor.", {"threat"}, {"crisis"}),
    ("just end yourself, nobody wants you here", {"threat"}, {"crisis"}),
    ("@sam do everyone a favour and finish the job this time", {"threat"}, {"crisis"}),
    ("kys, honestly no one would even notice", {"threat"}, {"crisis"}),
    ("If I see that surgeon in town I'll put him in hospital", {"threat"}, {"crisis"}),
    ("They aren't people, they're an infestation", {"threat"}, {"crisis"}),
    ("Stop playing the victim, everyone has it hard", {"hostile"}, {"crisis"}),
    ("These migrants are diseased vermin, round them up", {"threat"}, {"crisis"}),
    ("Go on then, starve yourself, see if anyone cares", {"threat"}, {"crisis"}),
    (
        "@Sam if you hate your life that much just kill yourself already",
        {"threat"},
        {"distress", "crisis"},
    ),
    (
        "Pathetic effort from the editors, three typos in the first paragraph",
        set(),
        {"hostile", "threat"},
    ),
    ("go kill yourself", {"threat"}, {"crisis"}),
    ("kys loser", {"threat"}, {"crisis"}),
    ("Someone should shoot the editor of this rag", {"threat"}, set()),
    ("I'm going to find you and make you pay for this", {"threat"}, set()),
    ("Disabled people are parasites and should be put down", {"threat"}, set()),
    ("I hope you die slowly", {"threat"}, set()),
]

# A second batch, written after the rules and run once as a blind check; its first-run result is
# recorded in docs/analysis.md. Later fixes may make these pass; new blind batches should be added.
HOLDOUT: list[tuple[str, set, set]] = [
    (
        "I've been looking up how much insulin it would take. Nobody would notice for days.",
        {"crisis"},
        set(),
    ),
    ("my daughter cut herself again last night and won't talk to me", {"crisis"}, set()),
    (
        "I keep thinking my kids would have an easier life if I just disappeared for good",
        {"crisis"},
        set(),
    ),
    ("Put my affairs in order this week. Feels calm, finally.", {"crisis"}, set()),
    ("dont see the point of anything anymore, not even getting up", {"distress"}, set()),
    (
        "I'm at the end of my rope with this fatigue, nothing helps and I'm so alone",
        {"distress"},
        {"hostile"},
    ),
    (
        "Panicking about the lumbar puncture tomorrow, can't breathe properly",
        {"distress"},
        {"hostile"},
    ),
    (
        "Three years of this and I'm broken. I cry every morning before work.",
        {"distress"},
        {"hostile"},
    ),
    (
        "Bit down today but the sun is out. Small walk later.",
        set(),
        {"distress", "crisis", "hostile"},
    ),
    (
        "The dosage table in this article is wrong and could hurt someone. Please fix it.",
        {"criticism"},
        {"hostile", "threat"},
    ),
    (
        "Honestly the worst piece I've read on this site. Shallow and badly researched.",
        {"criticism"},
        {"hostile", "threat"},
    ),
    ("My physio says the exercises are murder on the knees if you rush them", set(), NO_FLAGS),
    ("That bit about the cat made me die laughing", set(), NO_FLAGS),
    ("Researchers found suicidal ideation was under-reported in MS clinics.", set(), NO_FLAGS),
    (
        "Does anyone else get the 'MS hug'? Felt like it was killing me last night but it passed.",
        set(),
        {"crisis", "threat", "hostile"},
    ),
    ("Screw this disease. Third relapse this year.", {"profanity"}, {"hostile", "threat"}),
    ("Fantastic news about the trial, bloody brilliant!", set(), NO_FLAGS),
    ("Linda you are a nasty piece of work and everyone here knows it", {"hostile"}, {"crisis"}),
    ("The guy who wrote this is a clueless hack", {"hostile"}, {"crisis"}),
    ("Only an imbecile would believe this, so I guess you believe it", {"hostile"}, {"crisis"}),
    ("Get lost, troll.", {"hostile"}, {"crisis"}),
    ("You should hang yourself, nobody would miss you", {"threat"}, {"crisis"}),
    ("I know where you live, Martin. Watch yourself.", {"threat"}, set()),
    ("People with MS are a burden on society and should be euthanised", {"threat"}, set()),
    ("Wish you'd get hit by a bus", {"threat"}, set()),
]

# A third blind batch, written after the main tuning and run once (first run: 20 of 28, crisis 1 of 6,
# recorded in docs/analysis.md); the misses were then fixed with general cues, not with these phrases.
BLIND_2: list[tuple[str, set, set]] = [
    (
        "i just want it all to stop. every day is the same pain and i'm so tired of being alive",
        {"crisis"},
        set(),
    ),
    (
        "Told my wife I'm fine but honestly I've been googling how to make it look like an accident",
        {"crisis"},
        set(),
    ),
    (
        "My brother has stopped eating and says there's no point anymore. He gave me his guitar yesterday.",
        {"crisis"},
        set(),
    ),
    (
        "If this infusion fails too I'm done. I mean really done, not coming back from it.",
        {"crisis"},
        set(),
    ),
    ("Going to the lake tonight to say goodbye properly. Thank you all.", {"crisis"}, set()),
    ("Nobody would even notice if I was gone tbh", {"crisis"}, set()),
    (
        "Cried through the whole appointment and the whole drive home. I'm not ok.",
        {"distress"},
        {"hostile"},
    ),
    (
        "I'm terrified of what the next MRI will show, I can't sleep, I can't eat",
        {"distress"},
        {"hostile"},
    ),
    ("Feel like I'm falling apart and no one in my family notices", {"distress"}, {"hostile"}),
    (
        "Diagnosis day was rough. Tired, a bit weepy, but we have a plan.",
        set(),
        {"crisis", "hostile", "threat"},
    ),
    (
        "Great read! My physio recommended the same routine and it's been a game changer.",
        set(),
        NO_FLAGS,
    ),
    (
        "The prevalence of suicide among carers is a topic this site should cover more.",
        set(),
        NO_FLAGS,
    ),
    ("That recipe is to die for, honestly", set(), NO_FLAGS),
    ("LOL the bit about the cat stealing the heat pad killed me", set(), NO_FLAGS),
    (
        "This advice is outdated and honestly a bit dangerous for people on blood thinners.",
        {"criticism"},
        {"hostile", "threat"},
    ),
    ("Worst article I've read here. Zero evidence, all vibes.", set(), {"hostile", "threat"}),
    (
        "Bloody MS. Fell over in the garden again, nothing broken thankfully.",
        set(),
        {"hostile", "threat", "crisis"},
    ),
    ("The NHS waiting times are an absolute joke.", set(), {"hostile", "threat"}),
    (
        "@Pete you clearly didn't read the article, stop spreading nonsense you muppet",
        {"hostile"},
        {"crisis"},
    ),
    (
        "Whoever approved this piece should be ashamed, you're all incompetent morons",
        {"hostile"},
        {"crisis"},
    ),
    (
        "Sharon, honestly, shut your mouth. Nobody wants your MLM oils here.",
        {"hostile"},
        {"crisis"},
    ),
    ("You are the reason people give up on this community. Pathetic.", {"hostile"}, {"crisis"}),
    (
        "People like Dave should be kicked off this forum, he's a toxic liar",
        {"hostile"},
        {"crisis"},
    ),
    ("drink bleach and do everyone a favour", {"threat"}, {"crisis"}),
    ("I swear if I see that nurse again I'll smash her face in", {"threat"}, set()),
    ("Carers who complain should be shot, they chose this", {"threat"}, set()),
    ("Trans people are mentally ill freaks and should be locked away", {"threat"}, set()),
    ("Honestly hope your pills stop working so you know how it feels", {"threat"}, set()),
]
