"""Issue 14, finding 7 (first part): common and weak passwords are refused wherever a
password is set (zxcvbn score 3 or more, the e-mail address counted as known to a guesser)."""
from __future__ import annotations

import pytest

from moderation.errors import Invalid
from moderation.extensions import db
from moderation.services.users import create_user, set_password

WEAK = ["password1234", "qwertyuiop123", "iloveyou2026", "moderation2026",
        "1234567890", "aaaaaaaaaaaa", "nurse.jane@example.org"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused_at_creation(app, password):
    with pytest.raises(Invalid, match="too easy to guess"):
        create_user(db.session, "nurse.jane@example.org", password)


def test_a_weak_new_password_is_refused_and_a_strong_one_taken(app):
    create_user(db.session, "nurse.jane@example.org", "correct horse battery")
    with pytest.raises(Invalid, match="too easy to guess"):
        set_password(db.session, "nurse.jane@example.org", "password1234")
    assert set_password(db.session, "nurse.jane@example.org", "violet kettle orbit 9")


def test_the_cli_refuses_a_weak_password(app, runner):
    result = runner.invoke(args=["users", "create", "nurse.jane@example.org", "--role",
                                 "moderator", "--password", "password1234"])
    assert result.exit_code != 0 and "too easy to guess" in result.output
