"""One home for flag policy (moderation/policy.py): every list of flags, order, deadline,
label, colour and support rule reads from it, so a new flag cannot be half added."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from moderation import policy
from moderation.policy import ENGINE_FLAGS, ORDER, POLICY, SUPPORT_FLAGS, Flag

ROOT = Path(__file__).resolve().parents[1] / "moderation"
NAMES = {f.value for f in Flag}


@pytest.mark.parametrize("flag", list(Flag))
def test_every_flag_has_its_whole_policy(flag):
    p = POLICY[flag]
    assert p.label and p.colour.startswith("#") and p.deadline > 0
    assert p.escalation_deadline > 0 and p.urgency >= 1
    assert (p.axis is None) == (p.perspective is None)  # an engine reading has an attribute


def test_order_is_most_urgent_first_with_crisis_on_top():
    assert ORDER[0] is Flag.CRISIS
    assert [POLICY[f].urgency for f in ORDER] == sorted(POLICY[f].urgency for f in ORDER)
    assert policy.most_urgent_first(["hostile", "distress", "crisis"]) == [
        "crisis", "distress", "hostile"]
    # ties (threat and unscored share urgency 2) in declaration order, whatever comes first
    assert policy.most_urgent_first(["unscored", "hostile", "threat", "hostile"]) == [
        "threat", "unscored", "hostile"]


def test_the_engine_reads_its_flags_from_the_policy():
    from moderation.analysis import config

    assert set(config.FLAG_URGENCY) == set(config.DEFAULT_THRESHOLDS) == set(
        policy.values(ENGINE_FLAGS))
    assert set(config.FLAG_AXIS.values()) <= set(config.SCORE_KEYS)
    assert config.QUEUE_URGENCY == {f.value: POLICY[f].urgency for f in Flag}
    assert config.UNSCORED == Flag.UNSCORED


def test_every_list_of_flags_is_the_policys(app):
    from flask import current_app

    from moderation.api.openapi import SPEC
    from moderation.cli import export_command
    from moderation.dashboard import FLAG_LABELS
    from moderation.dashboard.charts import FLAG_COLOURS
    from moderation.services import alerts, queue, stats

    every = policy.values()
    assert queue.FLAGS == stats.STAT_FLAGS == alerts.ALERTABLE == every
    assert set(FLAG_LABELS) == set(FLAG_COLOURS) == set(every)
    assert set(current_app.config["RESPONSE_DEADLINES"]) == set(every)
    assert set(current_app.config["ESCALATION_DEADLINES"]) == set(every)
    [flag_option] = [p for p in export_command.params if p.name == "flag"]
    assert tuple(flag_option.type.choices) == every
    ingest = SPEC["components"]["schemas"]["IngestResponse"]
    assert ingest["properties"]["comments"]["items"]["properties"]["flags"]["items"][
        "enum"] == list(every)


def test_support_and_perspective_follow_the_policy():
    from moderation.dashboard.items import SUPPORT_FLAGS as ITEM_SUPPORT
    from moderation.resources.matcher import SUPPORT_FLAGS as MATCHER_SUPPORT
    from moderation.resources.replies import DRAFT_FLAGS
    from moderation.services.perspective import ATTRIBUTES

    support = set(policy.values(SUPPORT_FLAGS))
    assert set(MATCHER_SUPPORT) == set(DRAFT_FLAGS) == ITEM_SUPPORT == support == {
        "crisis", "distress"}
    for flag in ENGINE_FLAGS:
        attribute = ATTRIBUTES[POLICY[flag].perspective]
        assert attribute.score == POLICY[flag].axis


def _flag_lists(path: Path) -> list[int]:
    """Lines that assign a literal list of flags: a tuple, list or set naming two or more
    flags, or a dict keyed by two or more flags with plain values (an urgency, a deadline, a
    label). Per-flag structures (a draft's parts, a label scale) are not lists of flags."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Dict):
            if not all(isinstance(v, ast.Constant) for v in value.values):
                continue
            items = value.keys
        elif isinstance(value, (ast.Tuple, ast.List, ast.Set)):
            items = value.elts
        else:
            continue
        strings = [n.value for n in items if isinstance(n, ast.Constant)
                   and isinstance(n.value, str)]
        # a list of other things that shares a name or two with the flags (score axes) is not
        # a list of flags
        if len(set(strings) & NAMES) >= 2 and set(strings) <= NAMES:
            found.append(node.lineno)
    return found


def test_no_module_lists_the_flags_again():
    """Outside policy.py, no module spells out a list of flags (the tone engine's score axes
    share some names with flags and are its own business, as are label scales)."""
    skip = {ROOT / "policy.py"}
    offenders = {}
    for path in ROOT.rglob("*.py"):
        if path in skip or "analysis" in path.relative_to(ROOT).parts:
            continue
        lines = _flag_lists(path)
        if lines:
            offenders[str(path.relative_to(ROOT))] = lines
    assert offenders == {}
