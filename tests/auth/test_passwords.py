"""Password rules from NCSC guidance: long, not common, not personal; hashed with argon2id."""

import pytest

from qaf.auth.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short pass", "Password must be 12 characters or more"),
        ("123qweasdzxc", "Password is too easy to guess: try three random words"),
        ("password1234", "Password is too easy to guess: try three random words"),
        ("!!sunshine2026!!", "Password is too easy to guess: try three random words"),
        ("aaaaaaaaaaaaaaaa", "Password is too easy to guess: try three random words"),
        ("priya says hello there", "Password must not contain your name or email address"),
        ("my pworker address", "Password must not contain your name or email address"),
        ("x" * 257, "Password must be 256 characters or fewer"),
        ("kettle orchard lantern", None),
        ("Tr0ub4dor&3 but longer", None),
    ],
)
def test_password_rules(password, problem):
    assert password_problem(password, email="pworker@example.gov.uk", name="Priya Worker") == problem


def test_passwords_are_hashed_with_argon2id_and_verified():
    hashed = hash_password("kettle orchard lantern")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "kettle orchard lantern")
    assert not verify_password(hashed, "kettle orchard lanterns")
    assert not verify_password(None, "kettle orchard lantern")
    assert not verify_password("not a hash", "kettle orchard lantern")


def test_the_common_password_list_is_shipped_with_the_project():
    from qaf.auth.passwords import _common_passwords

    assert len(_common_passwords()) > 25000
