"""The one place where flag policy defaults live."""

from __future__ import annotations

MODEL_VERSION = "tone-1.1"

#: queue urgency per flag (1 = most urgent)
FLAG_URGENCY = {"crisis": 1, "threat": 2, "distress": 3, "hostile": 4}

#: score axis behind each flag
FLAG_AXIS = {"crisis": "crisis", "threat": "threat", "distress": "distress", "hostile": "hostility"}

#: 0..1 score thresholds per flag. Override per call with ``analyze(..., thresholds=...)``.
DEFAULT_THRESHOLDS = {"crisis": 0.5, "threat": 0.5, "distress": 0.5, "hostile": 0.5}

SCORE_KEYS = ("distress", "crisis", "hostility", "threat")
TAGS = ("criticism", "profanity")
