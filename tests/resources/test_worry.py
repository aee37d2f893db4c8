"""Drafts for the right person: a worry about someone close to the writer gets a draft for
the worried person; the writer at risk gets one for them. In each of the seven languages,
both drafts pass the safe-messaging check in that language."""

import pytest

from moderation.resources import (
    check_reply,
    draft_reply,
    suggest_resources,
    worry_is_about,
)

# (language, region, a comment about someone else, a comment by the person at risk)
COMMENTS = [
    ("en", "GB", "My husband says he wants to die and I don't know what to do.",
     "I don't want to live anymore, my husband doesn't understand."),
    ("en", "US", "A friend of mine keeps talking about ending it all.",
     "My husband left me and I want to die."),
    ("es", "MX", "Mi esposo dice que quiere morir y no sé qué hacer.",
     "Ya no quiero vivir, estoy cansada de todo."),
    ("es", "ES", "Mi hija me dijo que quiere suicidarse.",
     "Mi hija no me habla y quiero morirme."),
    ("fr", "FR", "Mon mari dit qu'il veut mourir, je ne sais pas quoi faire.",
     "Je ne veux plus vivre."),
    ("de", "DE", "Mein Mann sagt, er will nicht mehr leben.",
     "Ich will nicht mehr leben, mein Mann versteht das nicht."),
    ("pt", "BR", "Meu marido diz que quer morrer.",
     "Não quero mais viver."),
    ("pt", "PT", "Estou preocupada com a minha filha, ela fala em se matar.",
     "Quero morrer, a minha filha não percebe."),
    ("it", "IT", "Mio marito dice che vuole morire.",
     "Non voglio più vivere."),
    ("nl", "NL", "Mijn man zegt dat hij dood wil en ik weet niet wat ik moet doen.",
     "Ik wil niet meer leven, mijn man begrijpt het niet."),
]


@pytest.mark.parametrize("language, region, other, mine", COMMENTS)
def test_who_the_worry_is_about(language, region, other, mine):
    assert worry_is_about(other) == "other"
    assert worry_is_about(mine) == "self"


@pytest.mark.parametrize("language, region, other, mine", COMMENTS)
@pytest.mark.parametrize("flag", ["crisis", "distress"])
def test_third_party_and_self_drafts_pass_the_check_in_their_language(
        language, region, other, mine, flag):
    suggestions = suggest_resources([flag], region, language, ("caregiving",))
    drafts = {}
    for text in (other, mine):
        about = worry_is_about(text)
        drafts[about] = draft_reply([flag], suggestions, topics=("caregiving",), region=region,
                                    language=language, about=about, author_name="Sam")
        assert check_reply(drafts[about], language=language) == [], drafts[about]
    assert drafts["other"] != drafts["self"]
    # the crisis lines are in both
    for s in suggestions:
        if s.resource.is_crisis_line and s.resource.phone:
            assert s.resource.phone in drafts["other"] and s.resource.phone in drafts["self"]


def test_the_third_party_draft_speaks_to_the_worried_person():
    suggestions = suggest_resources(["crisis"], "GB")
    text = draft_reply(["crisis"], suggestions, region="GB", about="other")
    assert "frightening when someone you love" in text
    assert "help them, and you too" in text
    assert "If they are in immediate danger, please call 999 now." in text
    assert "If you are thinking about suicide" not in text
    mine = draft_reply(["crisis"], suggestions, region="GB")
    assert "If you are thinking about suicide" in mine


def test_the_engines_tag_counts_but_the_writer_at_risk_comes_first():
    assert worry_is_about("They said it again today.", tags=("about_other",)) == "other"
    assert worry_is_about("My son says he wants to die, and so do I. I want to die.",
                          tags=("about_other",)) == "self"
    assert worry_is_about(None) == "self"
    assert worry_is_about("", tags=None) == "self"


@pytest.mark.parametrize(
    "text",
    [
        "I'm worried about my health and I can't sleep.",  # no one close is at risk
        "My husband was so kind today.",  # a relation, nothing worrying about them
        "Mi marido me apoya mucho.",
        "Ich habe Angst vor der Zukunft.",
    ],
)
def test_a_relation_alone_does_not_make_it_about_someone_else(text):
    assert worry_is_about(text) == "self"


@pytest.mark.parametrize(
    "text",
    [
        "I'm so worried about my daughter, I don't know how to help her.",
        "Estoy muy preocupada por mi hijo, no sé cómo ayudarlo.",
        "Je suis inquiète pour ma fille, comment l'aider ?",
        "Ich mache mir Sorgen um meine Tochter, wie kann ich ihr helfen?",
        "Sono preoccupata per mia figlia, come posso aiutarla?",
        "Estou preocupada com a minha filha, como posso ajudá-la?",
    ],
)
def test_a_worry_for_someone_close_without_crisis_words(text):
    assert worry_is_about(text) == "other"
