"""A family's mobile number or email address as a worker types it: checked, and put in the form QAF sends to.

Used by the invitation page (one number or address) and the CSV of invitations (a ``contact``
column holding either); neither is stored beyond the messages that send the link.
"""

import re

from qaf.formspec.fields import EMAIL_PATTERN

# The number as typed, spaces, dashes, dots and brackets aside: 07..., +447..., 447... or 00447...
_UK_MOBILE = re.compile(r"(?:\+44|0044|44|0)(7\d{9})")
_LEFT_OUT = re.compile(r"[\s\-.()]")
CHANNEL_NAMES = {"sms": "text message", "email": "email"}


def uk_mobile_number(typed: str) -> str | None:
    """The number in the form 07700900982, or None if it is not a UK mobile number."""
    found = _UK_MOBILE.fullmatch(_LEFT_OUT.sub("", typed))
    return "0" + found.group(1) if found else None


def email_address(typed: str) -> str | None:
    address = typed.strip()
    return address if EMAIL_PATTERN.fullmatch(address) and len(address) <= 254 else None


def contact(typed: str) -> tuple[str, str] | None:
    """How to reach whoever ``typed`` names: ("sms", number) or ("email", address); None if it is neither."""
    if "@" in typed:
        address = email_address(typed)
        return None if address is None else ("email", address)
    number = uk_mobile_number(typed)
    return None if number is None else ("sms", number)
