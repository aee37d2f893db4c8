"""Hand-labelled health-comment batches shipped with the package.

``batches/`` trains the core (so these are regression checks that the shipped artefact is the
one trained on them, not estimates); ``heldout/`` is never trained on (evaluate reports it)."""

import pytest

from moderation.analysis import analyze_many
from moderation.analysis.evaluate import BATCHES, HELDOUT, load_batch, wanted_flags


@pytest.fixture(scope="module")
def scored():
    rows = [r for name in BATCHES for r in load_batch(name)]
    return rows, analyze_many([r["text"] for r in rows], explain=False)


def test_crisis_comments_in_the_training_batches_reach_a_human(scored):
    rows, out = scored
    crisis = [a for r, a in zip(rows, out) if r["distress"] == 3]
    assert len(crisis) >= 100
    reached = sum(bool({"crisis", "distress"} & set(a.flags)) for a in crisis)
    assert reached / len(crisis) >= 0.95
    assert sum("crisis" in a.flags for a in crisis) / len(crisis) >= 0.85


def test_batch_agreement(scored):
    rows, out = scored
    wrong = 0
    for r, a in zip(rows, out):
        got, want = set(a.flags), wanted_flags(r)
        wrong += bool(got & {"distress", "crisis"}) != bool(want & {"distress", "crisis"})
        wrong += bool(got & {"hostile", "threat"}) != bool(want & {"hostile", "threat"})
    assert wrong <= 0.15 * len(rows)
    calm = [a for r, a in zip(rows, out) if r["distress"] <= 1 and r["hostility"] <= 1]
    assert sum("crisis" in a.flags for a in calm) <= 0.03 * len(calm)


def test_heldout_batches_are_never_trained_on():
    """train_core reads only BATCHES: no held-out comment may appear there."""
    assert HELDOUT and set(HELDOUT).isdisjoint(BATCHES)
    trained = {r["text"] for name in BATCHES for r in load_batch(name)}
    for name in HELDOUT:
        rows = load_batch(name)
        assert len(rows) >= 100 and not trained & {r["text"] for r in rows}
