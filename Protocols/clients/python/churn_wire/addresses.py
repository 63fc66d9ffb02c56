"""Registry address lists: `a:7400,b:7400` (host names, IPv4, or [IPv6] literals), as the Swift
clients take them in `--registry` and `CHURN_REGISTRY`.

    parse_addresses("a:7400, [::1]:7400")  ->  [("a", 7400), ("::1", 7400)]
"""

import re
from typing import Iterable, List, Tuple, Union

Address = Tuple[str, int]

_HOST = re.compile(r"^[A-Za-z0-9._-]+$")
_IPV6 = re.compile(r"^[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*$")


class AddressError(ValueError):
    """A registry address list that cannot be used; the message names the bad entry."""


def parse_address(text: str) -> Address:
    """One `HOST:PORT` entry as (host, port); raises ValueError when malformed."""
    host, sep, port_text = text.rpartition(":")
    if not sep or not port_text.isdigit() or not port_text.isascii() or not 1 <= int(port_text) <= 65535:
        raise ValueError(text)
    if host.startswith("["):
        if not host.endswith("]") or not _IPV6.match(host[1:-1]):
            raise ValueError(text)
        host = host[1:-1]
    elif not _HOST.match(host):
        raise ValueError(text)
    return host, int(port_text)


def format_address(address: Address) -> str:
    """`host:port`, with brackets around an IPv6 literal."""
    host, port = address
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def parse_addresses(value: Union[str, Iterable[Union[str, Address]]], role: str = "registry") -> List[Address]:
    """A comma-separated string, or a list of "HOST:PORT" strings and (host, port) pairs, as an
    ordered list of (host, port): non-empty, without duplicates (host names compared
    case-insensitively). Raises AddressError naming the bad entry and its position (and `role`:
    "registry address 'x' (entry 2 of 3) is not HOST:PORT")."""
    entries = [entry.strip() for entry in value.split(",")] if isinstance(value, str) else list(value)
    if not entries or all(entry == "" for entry in entries):
        raise AddressError(f"{role} address list is empty: give HOST:PORT[,HOST:PORT…]")
    addresses: List[Address] = []
    seen = {}
    for index, entry in enumerate(entries, start=1):
        try:
            address = parse_address(entry) if isinstance(entry, str) else (str(entry[0]), int(entry[1]))
        except (ValueError, TypeError, IndexError):
            raise AddressError(f"{role} address '{entry}' (entry {index} of {len(entries)}) is not HOST:PORT") from None
        key = (address[0].lower(), address[1])
        if key in seen:
            raise AddressError(
                f"{role} address '{format_address(address)}' (entry {index} of {len(entries)}) repeats entry {seen[key]}")
        seen[key] = index
        addresses.append(address)
    return addresses


class RegistryUnreachable(ConnectionError):
    """No address of a list accepted a connection; `attempts` holds (address, error) for each, and
    `role` names the role whose replicas were tried (`registry`, `predictor`, `trainer`)."""

    def __init__(self, attempts, role: str = "registry"):
        self.attempts = attempts
        self.role = role
        tried = ", ".join(f"{format_address(address)} ({error})" for address, error in attempts)
        super().__init__(f"no {role} answered: {tried}")
