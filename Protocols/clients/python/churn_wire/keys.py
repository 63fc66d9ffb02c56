"""Idempotency keys of keyed requests (wire.md §2.4).

A keyed write carries a 16-byte key chosen by the client; the server applies it at most once per key
and answers a repeat with the first answer. A logical call that makes several keyed writes gives them
the keys of one `IdempotencyKeys` sequence: the first write the base key, the next `derive_key(base,
1)`, and so on; a retry of the call restarts the sequence (`restarted()`), so every write is sent
again with the key it had the first time. The derivation is the Swift one (`IdempotencyKey.derived`):
the first 8 bytes are kept, the last 8 (a big-endian u64) are XORed with index × 0x9E3779B97F4A7C15
(mod 2^64), so index 0 is the base key itself.
"""

import os
import threading

from . import codec

KEY_SIZE = 16
_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15

# The writes a client sends keyed (Swift: `Opcode.keyedWrites`): dataset register (push), model
# publish (chunked and inline), model delete, alias set and remove, SubmitJob and CancelJob.
OP_DATASET_REGISTER = 0x0100
OP_MODEL_PUBLISH = 0x0110
OP_MODEL_DELETE = 0x0114
OP_ALIAS_SET = 0x0115
OP_ALIAS_REMOVE = 0x0116
OP_MODEL_PUBLISH_INLINE = 0x011C
OP_SUBMIT_JOB = 0x0200
OP_CANCEL_JOB = 0x0203
KEYED_WRITES = frozenset({
    OP_DATASET_REGISTER, OP_MODEL_PUBLISH, OP_MODEL_PUBLISH_INLINE, OP_MODEL_DELETE, OP_ALIAS_SET,
    OP_ALIAS_REMOVE, OP_SUBMIT_JOB, OP_CANCEL_JOB,
})

# Every opcode that changes state (wire.md §4, §12, §13.4, §14). The others are reads: a pool sends
# them again on another replica when their connection fails.
WRITES = KEYED_WRITES | frozenset({
    codec.OP_BLOB_UPLOAD_BEGIN, codec.OP_BLOB_UPLOAD_CHUNK, codec.OP_BLOB_UPLOAD_COMMIT,
    0x0118,  # GC
    0x0119,  # DeploymentReport
    0x0302,  # PredictorReload
})


def new_key() -> bytes:
    """A fresh key: 128 random bits from the operating system."""
    return os.urandom(KEY_SIZE)


def derive_key(base: bytes, index: int) -> bytes:
    """The `index`-th key derived from `base` (index 0 is `base` itself), byte for byte as Swift's
    `IdempotencyKey.derived(_:)`."""
    if len(base) != KEY_SIZE:
        raise ValueError(f"an idempotency key is {KEY_SIZE} bytes, not {len(base)}")
    low = int.from_bytes(base[8:], "big") ^ ((index * _GOLDEN) & _MASK64)
    return base[:8] + low.to_bytes(8, "big")


class IdempotencyKeys:
    """The keys of one logical call's keyed writes, in order (Swift: `IdempotencyKeys`)."""

    def __init__(self, base: bytes = None):
        self.base = new_key() if base is None else bytes(base)
        if len(self.base) != KEY_SIZE:
            raise ValueError(f"an idempotency key is {KEY_SIZE} bytes, not {len(self.base)}")
        self._issued = 0
        self._lock = threading.Lock()

    def next(self) -> bytes:
        """The next write's key: the base key, then the base key derived with 1, 2, …"""
        with self._lock:
            index = self._issued
            self._issued += 1
        return derive_key(self.base, index)

    def restarted(self) -> "IdempotencyKeys":
        """The same sequence from its start, for a retry of the call."""
        return IdempotencyKeys(self.base)
