"""Small helpers for the admin pages' forms."""


def optional_id(value: str | None) -> int | None:
    return int(value) if value else None
