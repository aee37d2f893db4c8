"""Hand-labelled comment batches written for this project by authors who never saw the engine
(moderation/analysis/batches/). Each was first scored blind; the misses were then fixed with
general cues, so these are regression checks now, not estimates (docs/analysis.md has the
first-run figures)."""

import pytest

from moderation.analysis import analyze
from moderation.analysis.evaluate import BATCHES, load_batch, wanted_flags


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_every_crisis_comment_reaches_a_human(name):
    rows = load_batch(name)
    crisis = [r for r in rows if r["distress"] == 3]
    assert len(crisis) >= 20
    missed = [r["id"] for r in crisis if "crisis" not in analyze(r["text"]).flags]
    assert missed == []


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_batch_agreement(name):
    rows = load_batch(name)
    wrong = []
    for r in rows:
        got = set(analyze(r["text"]).flags)
        want = wanted_flags(r)
        if bool(got & {"distress", "crisis"}) != bool(want & {"distress", "crisis"}) or bool(
            got & {"hostile", "threat"}
        ) != bool(want & {"hostile", "threat"}):
            wrong.append(r["id"])
    assert len(wrong) <= 0.1 * len(rows), wrong
    calm = [r for r in rows if r["distress"] <= 1 and r["hostility"] <= 1]
    assert not [r["id"] for r in calm if "crisis" in analyze(r["text"]).flags]


def test_heldout_batches_are_never_trained_on():
    """The held-out batches (moderation/analysis/heldout/) estimate unseen wording; train.py reads
    only BATCHES, so none of their comments may appear there."""
    from moderation.analysis.evaluate import HELDOUT

    assert HELDOUT and set(HELDOUT).isdisjoint(BATCHES)
    trained = {r["text"] for name in BATCHES for r in load_batch(name)}
    for name in HELDOUT:
        rows = load_batch(name)
        assert len(rows) >= 100 and not trained & {r["text"] for r in rows}
