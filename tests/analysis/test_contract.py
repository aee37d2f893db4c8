from moderation.analysis import (DEFAULT_THRESHOLDS, FLAG_URGENCY, MODEL_VERSION, Analysis, Span,
                                 analyze, analyze_many)


def test_contract_shape():
    a = analyze("hello")
    assert isinstance(a, Analysis)
    assert set(a.scores) == {"distress", "crisis", "hostility", "threat"}
    assert set(DEFAULT_THRESHOLDS) == set(FLAG_URGENCY) == {"crisis", "threat", "distress", "hostile"}
    assert a.model_version == MODEL_VERSION
    d = a.to_dict()
    assert set(d) == {"flags", "tags", "scores", "evidence", "model_version", "language", "confidence"}
    assert analyze_many(["a", "b"]) == [analyze("a"), analyze("b")]
    assert Span(0, 1, "crisis", "x").end == 1
