"""The one place where flag policy defaults live."""

from __future__ import annotations

MODEL_VERSION = "tone-2.0"

#: queue urgency per flag (1 = most urgent)
FLAG_URGENCY = {"crisis": 1, "threat": 2, "distress": 3, "hostile": 4}

#: score axis behind each flag
FLAG_AXIS = {"crisis": "crisis", "threat": "threat", "distress": "distress", "hostile": "hostility"}

#: 0..1 score thresholds per flag (the four flag heads are calibrated on health comments).
#: Override per call with ``analyze(..., thresholds=...)``.
DEFAULT_THRESHOLDS = {"crisis": 0.3, "threat": 0.3, "distress": 0.6, "hostile": 0.6}

#: every score the engine gives: the four flag axes, then the kinds of toxicity
SCORE_KEYS = ("distress", "crisis", "hostility", "threat", "insult", "identity_attack",
              "profanity", "severe_toxicity")
TAGS = ("criticism", "profanity", "about_other")

#: a comment whose analysis failed is queued with this flag, just below crisis
UNSCORED = "unscored"
#: queue urgency of every flag an item can carry (the engine's flags and ``unscored``)
QUEUE_URGENCY = {**FLAG_URGENCY, UNSCORED: 2}
