"""How many responses an open link takes: per address, and per link, over an hour and a day.

Checked by hand on the storing path only (the blueprint is exempt from Flask-Limiter's
per-request checks), so showing a form, and a post with mistakes in it, cost nothing. The
counters live where Flask-Limiter keeps its own (RATELIMIT_STORAGE_URI: memory, or Redis
shared by every worker). If that storage fails the answer is taken: losing a family's
answers is worse than a burst a QA administrator can void.
"""

import ipaddress
from functools import cache

from flask import current_app, request
from limits import RateLimitItem, parse_many

from qaf.extensions import limiter


@cache
def _limits(text: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(text))


@cache
def _networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def _exempt(address: str) -> bool:
    """Addresses the council shares among many people (its own offices), checked per link only."""
    networks = _networks(current_app.config["PUBLIC_LIMIT_EXEMPT_NETWORKS"])
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def within_limits(link: str) -> bool:
    """Count one response from this address through ``link``; False if either has had its share."""
    if not limiter.enabled:
        return True
    address = request.remote_addr or "unknown"
    checks = [(item, "public-link", link) for item in _limits(current_app.config["PUBLIC_LIMIT_PER_LINK"])]
    if not _exempt(address):
        checks += [
            (item, "public-address", address) for item in _limits(current_app.config["PUBLIC_LIMIT_PER_ADDRESS"])
        ]
    try:
        strategy = limiter.limiter
        if not all(strategy.test(item, *keys) for item, *keys in checks):
            return False
        for item, *keys in checks:
            strategy.hit(item, *keys)
    except Exception:  # noqa: BLE001  (any storage failure: Redis down, timed out, refused)
        current_app.logger.warning("Rate limit storage failed; the response was taken unchecked", exc_info=True)
    return True
