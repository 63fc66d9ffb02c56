"""Reference Python client of the Churn wire protocol v1 (standard library only).

See Protocols/wire.md. `python3 -m churn_wire ping --addr 127.0.0.1:7409`.
"""

from . import predictor
from .addresses import AddressError, RegistryUnreachable, parse_addresses
from .client import Client, WireProtocolError, WireServerError
from .codec import Frame, WireDecodeError, decode_frame
from .keys import IdempotencyKeys, derive_key, new_key
from .pool import Pool

__all__ = ["predictor", "AddressError", "RegistryUnreachable", "parse_addresses", "Client", "Frame", "WireDecodeError", "WireProtocolError", "WireServerError", "decode_frame",
           "IdempotencyKeys", "derive_key", "new_key", "Pool"]
