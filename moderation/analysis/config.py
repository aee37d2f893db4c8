"""The tone engine's settings. Which flags exist, their urgency and the score each reads
come from moderation/policy.py (the one home for flag policy); the thresholds live here."""

from __future__ import annotations

from ..policy import ENGINE_FLAGS, ORDER, POLICY, Flag, Tag

MODEL_VERSION = "tone-2.5"

#: queue urgency per engine flag (1 = most urgent)
FLAG_URGENCY = {f.value: POLICY[f].urgency for f in ENGINE_FLAGS}

#: score axis behind each engine flag
FLAG_AXIS = {f.value: POLICY[f].axis for f in ENGINE_FLAGS}

#: 0..1 score thresholds per flag (the four flag heads are calibrated on health comments).
#: Override per call with ``analyze(..., thresholds=...)``.
DEFAULT_THRESHOLDS = {Flag.CRISIS.value: 0.2, Flag.THREAT.value: 0.3, Flag.DISTRESS.value: 0.6,
                      Flag.HOSTILE.value: 0.5}

#: every score the engine gives: the four flag axes, then the kinds of toxicity
SCORE_KEYS = ("distress", "crisis", "hostility", "threat", "insult", "identity_attack",
              "profanity", "severe_toxicity")
TAGS = tuple(t.value for t in Tag)

#: a comment whose analysis failed is queued with this flag, just below crisis
UNSCORED = Flag.UNSCORED.value
#: queue urgency of every flag an item can carry (the engine's flags and ``unscored``)
QUEUE_URGENCY = {f.value: POLICY[f].urgency for f in ORDER}
