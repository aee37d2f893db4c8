"""The safe-messaging check in Spanish, French, German, Portuguese, Italian and Dutch: the same
kinds of problem as in English (methods, no helpline, promises, blame, sensational words,
"committed suicide"), with exact spans, and no false alarm on the shipped drafts."""

import pytest

from moderation.resources import check_reply, has_helpline, language_codes

HELPLINE = {
    "es": " Si necesitas hablar, llama al 024.",
    "fr": " Si vous avez besoin de parler, appelez le 3114.",
    "de": " Wenn Sie reden möchten: Telefon 0800 111 0 111.",
    "pt": " Se precisar de conversar, ligue 188.",
    "it": " Se hai bisogno di parlare, chiama il 02 2327 2327.",
    "nl": " Wil je praten? Bel 113 Zelfmoordpreventie op 0800-0113.",
}


def spans(text, code, language):
    return [text[p.start:p.end] for p in check_reply(text, language=language) if p.code == code]


# (language, text, code, expected offending words): one or more per problem kind and language
CASES = [
    # Spanish
    ("es", "No tomes esas pastillas.", "method_mention", ["pastillas"]),
    ("es", "Una sobredosis de paracetamol es peligrosa.", "method_mention",
     ["sobredosis", "paracetamol"]),
    ("es", "Aléjate del puente.", "method_mention", ["puente"]),
    ("es", "Deja la cuerda.", "method_mention", ["cuerda"]),
    ("es", "Su tío cometió suicidio.", "committed_suicide", ["cometió suicidio"]),
    ("es", "Te prometo que todo va a estar bien.", "unkeepable_promise",
     ["Te prometo", "todo va a estar bien"]),
    ("es", "Siempre estaré aquí.", "unkeepable_promise", ["Siempre estaré aquí"]),
    ("es", "Eso es muy egoísta.", "blame", ["egoísta"]),
    ("es", "Fue un intento fallido.", "sensational", ["intento fallido"]),
    # French
    ("fr", "Ne prenez pas ces cachets.", "method_mention", ["cachets"]),
    ("fr", "Il s'est jeté du pont.", "method_mention", ["pont"]),
    ("fr", "Une corde, une arme à feu.", "method_mention", ["corde", "arme à feu"]),
    ("fr", "Il a commis un suicide.", "committed_suicide", ["commis un suicide"]),
    ("fr", "Je vous promets que tout ira bien.", "unkeepable_promise",
     ["Je vous promets", "tout ira bien"]),
    ("fr", "Nous serons toujours là pour vous.", "unkeepable_promise",
     ["Nous serons toujours là"]),
    ("fr", "C'est votre faute.", "blame", ["votre faute"]),
    ("fr", "une épidémie de suicides", "sensational", ["épidémie de suicides"]),
    # German
    ("de", "Nehmen Sie keine Tabletten.", "method_mention", ["Tabletten"]),
    ("de", "Er stand auf der Brücke.", "method_mention", ["Brücke"]),
    ("de", "Das Messer und die Waffe.", "method_mention", ["Messer", "Waffe"]),
    ("de", "Er hat Selbstmord begangen.", "committed_suicide", ["Selbstmord"]),
    ("de", "Ich verspreche, alles wird gut.", "unkeepable_promise",
     ["Ich verspreche", "alles wird gut"]),
    ("de", "Wir sind immer für Sie da.", "unkeepable_promise", ["Wir sind immer für Sie da"]),
    ("de", "Reiß dich zusammen.", "blame", ["Reiß dich zusammen"]),
    ("de", "ein gescheiterter Suizidversuch", "sensational", ["gescheiterter Suizidversuch"]),
    # Portuguese
    ("pt", "Não tome esses comprimidos.", "method_mention", ["comprimidos"]),
    ("pt", "Longe da ponte e dos trilhos.", "method_mention", ["ponte", "trilhos"]),
    ("pt", "Ele cometeu suicídio.", "committed_suicide", ["cometeu suicídio"]),
    ("pt", "Eu prometo, vai ficar tudo bem.", "unkeepable_promise",
     ["Eu prometo", "vai ficar tudo bem"]),
    ("pt", "Isso é covardia.", "blame", ["covardia"]),
    ("pt", "uma tentativa fracassada", "sensational", ["tentativa fracassada"]),
    # Italian
    ("it", "Non prendere quelle pillole.", "method_mention", ["pillole"]),
    ("it", "Lontano dal ponte e dai binari.", "method_mention", ["ponte", "binari"]),
    ("it", "Ha commesso suicidio.", "committed_suicide", ["commesso suicidio"]),
    ("it", "Ti prometto che andrà tutto bene.", "unkeepable_promise",
     ["Ti prometto", "andrà tutto bene"]),
    ("it", "Ci sarò sempre.", "unkeepable_promise", ["Ci sarò sempre"]),
    ("it", "È colpa tua.", "blame", ["È colpa tua"]),
    ("it", "un tentativo fallito", "sensational", ["tentativo fallito"]),
    # Dutch
    ("nl", "Neem die pillen niet.", "method_mention", ["pillen"]),
    ("nl", "Weg van de brug en het spoorlijn.", "method_mention", ["brug", "spoorlijn"]),
    ("nl", "Het touw en het mes.", "method_mention", ["touw", "mes"]),
    ("nl", "Hij heeft zelfmoord gepleegd.", "committed_suicide", ["zelfmoord gepleegd"]),
    ("nl", "Ik beloof je, alles komt goed.", "unkeepable_promise",
     ["Ik beloof", "alles komt goed"]),
    ("nl", "Ik ben er altijd voor je.", "unkeepable_promise", ["Ik ben er altijd voor je"]),
    ("nl", "Dat is egoïstisch.", "blame", ["egoïstisch"]),
    ("nl", "een mislukte zelfmoordpoging", "sensational", ["mislukte zelfmoordpoging"]),
]


@pytest.mark.parametrize("language, text, code, expected", CASES)
def test_each_language_catches_the_same_kinds_of_problem(language, text, code, expected):
    text += HELPLINE[language]
    assert spans(text, code, language) == expected
    # ...and so does the check over every language (a reply of unknown language)
    assert spans(text, code, language_codes()) == expected


@pytest.mark.parametrize("language", sorted(HELPLINE))
def test_each_language_needs_a_helpline(language):
    [problem] = check_reply("Lo siento. Je suis désolé. Es tut mir leid.", language=language)
    assert problem.code == "missing_helpline"
    assert has_helpline(HELPLINE[language], language=language)


@pytest.mark.parametrize(
    "language, text",
    [
        ("es", "Llama al 717 003 717 cuando quieras."),
        ("fr", "Composez le 09 72 39 40 50."),
        ("de", "Rufen Sie die Nummer 030 20179131 an."),
        ("pt", "Ligue para o 213 544 545."),
        ("it", "Chiama il numero 800 80 30 28."),
        ("nl", "Bel het nummer 0900-1450."),
    ],
)
def test_a_number_after_a_cue_word_of_the_language_is_a_helpline(language, text):
    assert has_helpline(text, language=language)


@pytest.mark.parametrize(
    "language, text",
    [
        ("es", "Las cosas pueden mejorar con apoyo, y pedir ayuda está bien."),
        ("fr", "Les choses peuvent s'améliorer avec du soutien."),
        ("de", "Mit Unterstützung kann es besser werden, und Hilfe zu holen ist gut."),
        ("pt", "As coisas podem melhorar com o apoio certo."),
        ("it", "Le linee sono sempre attive e le cose possono migliorare."),
        ("nl", "Met de juiste steun kan het beter worden, en hulp zoeken is goed."),
    ],
)
def test_honest_hope_is_not_a_promise(language, text):
    codes = [p.code for p in check_reply(text + HELPLINE[language], language=language)]
    assert codes == []


def test_english_text_is_not_flagged_by_the_other_languages_lists():
    text = ("Thank you for the gift of your story. Hang in there, and learn the ropes. "
            "Please call Samaritans on 116 123, they are there to listen.")
    assert check_reply(text, language=language_codes()) == []


def test_german_gift_is_poison_but_english_gift_is_not():
    assert spans("Das Gift." + HELPLINE["de"], "method_mention", "de") == ["Gift"]
    assert spans("What a gift." + HELPLINE["de"], "method_mention", "de") == []


def test_an_unknown_language_is_checked_in_english():
    text = "Don't take the pills." + " Call 116 123."
    assert [p.code for p in check_reply(text, language="nl")] == ["method_mention"]
