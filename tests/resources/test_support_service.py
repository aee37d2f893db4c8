"""Drafts and resources for stored comments, end to end: a signed webhook delivery, the real
tone engine, a real migrated database (SQLite, or PostgreSQL with DATABASE_URL), then the
support service the item page and the suggestions API call."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import Site
from moderation.resources import check_reply
from moderation.services.support import check_reply_text, suggestions_for_comment_id
from tests.helpers import comment, new_site

SPANISH_CRISIS = "Ya no quiero vivir, estoy cansada de todo."


def deliver(client, site, cid, text, **extra) -> int:
    r = site.post(client, comment(cid, text, **extra))
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()["comments"][0]["id"]


def test_a_spanish_crisis_comment_from_mexico_gets_a_spanish_draft_with_mexicos_line(client):
    site = new_site("salud-mx", region="US")
    for cid, extra in (("declared", {"language": "es"}), ("detected", {})):
        comment_id = deliver(client, site, cid, SPANISH_CRISIS, region="MX", **extra)
        result = suggestions_for_comment_id(db.session, comment_id)
        assert "crisis" in result["flags"]
        assert (result["region"], result["language"], result["about"]) == ("MX", "es", "self")
        assert result["resources"][0]["key"] == "linea-de-la-vida"
        draft = result["draft"]
        assert "Línea de la Vida: llama al 800 911 2000" in draft
        assert "llama ahora al 911." in draft
        assert draft.startswith("Hola, gracias por contarnos cómo te sientes.")
        assert check_reply(draft, language="es") == []


def test_a_worried_husband_gets_a_draft_for_him(client, site):
    comment_id = deliver(client, site, "c-worried",
                         "My wife says she wants to die and I don't know what to do.",
                         region="GB")
    result = suggestions_for_comment_id(db.session, comment_id)
    assert result["about"] == "other"
    assert "frightening when someone you love" in result["draft"]
    assert "116 123" in result["draft"]
    assert check_reply(result["draft"]) == []


@pytest.mark.parametrize(("slug", "region", "language", "text", "expected"), [
    ("salud-es", "ES", "es", "Mi esposo dice que quiere morir y no sé qué hacer.",
     ["Da mucho miedo cuando alguien a quien quieres habla así",
      "llama al 024", "Teléfono ANAR",  # paired: both or neither
      "Si esa persona está en peligro inmediato, llama ahora al 112."]),
    ("gezondheid-nl", "NL", "nl",
     "Mijn man zegt dat hij dood wil en ik weet niet wat ik moet doen.",
     ["Het is beangstigend als iemand van wie je houdt zoiets zegt",
      "113 Zelfmoordpreventie: bel 0800-0113", "De Kindertelefoon",
      "Is die persoon in acuut gevaar, bel dan meteen 112."]),
])
def test_a_worry_about_a_husband_gets_a_draft_in_the_comments_language(
        client, slug, region, language, text, expected):
    site = new_site(slug, region=region)
    comment_id = deliver(client, site, "c-husband", text)
    result = suggestions_for_comment_id(db.session, comment_id)
    assert "crisis" in result["flags"]
    assert (result["region"], result["language"], result["about"]) == (region, language, "other")
    draft = result["draft"]
    for fragment in expected:
        assert fragment in draft
    assert check_reply(draft, language=language) == []


def test_an_ms_carer_gets_ms_and_carers_organisations_not_a_dementia_line(client, site):
    comment_id = deliver(client, site, "c-carer",
                         "I look after my wife who has MS and I'm so exhausted, "
                         "I cry every night.", region="GB")
    result = suggestions_for_comment_id(db.session, comment_id)
    assert "distress" in result["flags"] or "crisis" in result["flags"]
    assert result["topics"] == ["multiple_sclerosis", "caregiving"]
    shown = [r["key"] for r in result["resources"]]
    assert "ms-society-uk" in shown and "carers-uk" in shown
    assert "alzheimers-society" not in shown
    assert "Caring for someone you love is hard" in result["draft"]


def test_the_sites_language_when_the_comment_has_none_with_drafts(client):
    site = new_site("gezondheid", region="DE")
    row = db.session.scalar(sa.select(Site).where(Site.slug == "gezondheid"))
    row.default_language = "de"
    db.session.commit()
    comment_id = deliver(client, site, "c-sv", SPANISH_CRISIS, language="sv")  # no Swedish drafts
    result = suggestions_for_comment_id(db.session, comment_id)
    assert result["language"] == "de"
    assert "TelefonSeelsorge: Telefon 0800 111 0 111" in result["draft"]
    assert "Nummer gegen Kummer" in result["draft"]  # paired: both or neither


def test_a_moderators_reply_is_checked_in_every_language_when_none_is_given(app):
    text = "Não tome esses comprimidos. Ligue 188."
    problems = check_reply_text(text)
    start = text.index("comprimidos")
    assert [(p["code"], p["start"], p["end"]) for p in problems] == [
        ("method_mention", start, start + len("comprimidos"))]
    assert check_reply_text("Ruf bitte die TelefonSeelsorge an: 0800 111 0 111.") == []
