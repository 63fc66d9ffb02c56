"""Frame and message codec of the Churn wire protocol v1 (see Protocols/wire.md).

Standard library only. Every decoder validates lengths against the remaining bytes and the
field's bound before slicing, and raises WireDecodeError (never IndexError/struct.error).
"""

import struct
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

VERSION = 1
HEADER_SIZE = 8
MAX_FRAME_BEFORE_HELLO = 4096
DEFAULT_MAX_FRAME = 16 * 1024 * 1024
MAX_STRING = 64 * 1024
MAX_CHUNK = 1024 * 1024

KIND_REQUEST, KIND_RESPONSE, KIND_ERROR, KIND_EVENT, KIND_KEYED_REQUEST = 0, 1, 2, 3, 4

OP_NONE = 0x0000
OP_HELLO = 0x0001
OP_PING = 0x0002
OP_STATS = 0x0003
OP_HEALTH = 0x0004
OP_SUBSCRIBE = 0x0010
OP_UNSUBSCRIBE = 0x0011
OP_BLOB_UPLOAD_BEGIN = 0x0020
OP_BLOB_UPLOAD_CHUNK = 0x0021
OP_BLOB_UPLOAD_COMMIT = 0x0022
OP_BLOB_DOWNLOAD = 0x0023

ERROR_NAMES = {
    1: "malformedFrame", 2: "frameTooLarge", 3: "unsupportedVersion", 4: "unknownOpcode",
    5: "unknownKind", 6: "helloRequired", 7: "unauthorized", 8: "forbidden", 9: "tooManyInFlight",
    10: "invalidRequest", 11: "notFound", 12: "conflict", 13: "unavailable", 14: "internal",
    15: "timeout", 16: "checksumMismatch", 17: "limitExceeded",
}


class WireDecodeError(Exception):
    """The bytes are not a valid frame or body."""


@dataclass(frozen=True)
class Frame:
    version: int
    kind: int
    opcode: int
    correlation_id: int
    body: bytes

    def encode(self) -> bytes:
        return struct.pack(">IBBHI", HEADER_SIZE + len(self.body), self.version, self.kind,
                           self.opcode, self.correlation_id) + self.body


def decode_frame(data: bytes, max_frame: int = DEFAULT_MAX_FRAME) -> Tuple[Optional[Frame], int]:
    """Decodes one frame from the start of `data`.

    Returns (frame, bytes consumed), or (None, 0) when more bytes are needed. Raises
    WireDecodeError for a length outside 8..max_frame, as soon as the 4 length bytes are there.
    """
    if len(data) < 4:
        return None, 0
    (length,) = struct.unpack_from(">I", data, 0)
    if length < HEADER_SIZE:
        raise WireDecodeError(f"frame length {length} is below the header size")
    if length > max_frame:
        raise WireDecodeError(f"frame length {length} exceeds the limit {max_frame}")
    if len(data) < 4 + length:
        return None, 0
    version, kind, opcode, cid = struct.unpack_from(">BBHI", data, 4)
    return Frame(version, kind, opcode, cid, bytes(data[12:4 + length])), 4 + length


class Reader:
    """Reads wire.md §1 primitives from a body with bounds checks."""

    def __init__(self, body: bytes):
        self.body = body
        self.pos = 0

    def remaining(self) -> int:
        return len(self.body) - self.pos

    def _take(self, n: int, name: str) -> bytes:
        if n > self.remaining():
            raise WireDecodeError(f"'{name}' needs {n} bytes, {self.remaining()} remain")
        out = self.body[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self, name): return self._take(1, name)[0]
    def u16(self, name): return struct.unpack(">H", self._take(2, name))[0]
    def u32(self, name): return struct.unpack(">I", self._take(4, name))[0]
    def u64(self, name): return struct.unpack(">Q", self._take(8, name))[0]
    def f32(self, name): return struct.unpack(">f", self._take(4, name))[0]
    def f64(self, name): return struct.unpack(">d", self._take(8, name))[0]

    def boolean(self, name):
        b = self.u8(name)
        if b > 1:
            raise WireDecodeError(f"'{name}' has invalid boolean {b}")
        return b == 1

    def length(self, name, limit, item_size=1):
        n = self.u32(name)
        if n > limit:
            raise WireDecodeError(f"length {n} of '{name}' exceeds its bound {limit}")
        if n * item_size > self.remaining():
            raise WireDecodeError(f"'{name}' needs {n * item_size} bytes, {self.remaining()} remain")
        return n

    def string(self, name, limit=MAX_STRING):
        raw = self._take(self.length(name, limit), name)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise WireDecodeError(f"'{name}' is not valid UTF-8") from error

    def blob(self, name, limit):
        return bytes(self._take(self.length(name, limit), name))

    def fixed(self, name, n):
        return bytes(self._take(n, name))

    def optional(self, name, read):
        return read() if self.boolean(name) else None

    def finish(self):
        if self.remaining():
            raise WireDecodeError(f"{self.remaining()} unexpected bytes after the last field")


def w_u8(v): return struct.pack(">B", v)
def w_u16(v): return struct.pack(">H", v)
def w_u32(v): return struct.pack(">I", v)
def w_u64(v): return struct.pack(">Q", v)
def w_bool(v): return b"\x01" if v else b"\x00"


def w_string(s: str) -> bytes:
    raw = s.encode("utf-8")
    return w_u32(len(raw)) + raw


def w_bytes(b: bytes) -> bytes:
    return w_u32(len(b)) + b


def w_optional(v, write) -> bytes:
    return b"\x00" if v is None else b"\x01" + write(v)


# ---------------------------------------------------------------- messages (wire.md §3, §5–§7)

@dataclass
class HelloRequest:
    client_name: str
    versions: List[int] = field(default_factory=lambda: [1])
    token: Optional[str] = None
    OPCODE = OP_HELLO

    def encode(self):
        return (w_string(self.client_name) + w_u32(len(self.versions)) + bytes(self.versions)
                + w_optional(self.token, w_string))

    @classmethod
    def decode(cls, r: Reader):
        name = r.string("clientName", 256)
        n = r.length("versions", 16)
        versions = [r.u8("versions[]") for _ in range(n)]
        if not versions:
            raise WireDecodeError("'versions' is empty")
        return cls(name, versions, r.optional("token", lambda: r.string("token", 4096)))


@dataclass
class HelloResponse:
    role: str
    version: int
    server_version: str
    max_frame_length: int
    max_in_flight: int
    max_rows: int
    authorized: bool

    def encode(self):
        return (w_string(self.role) + w_u8(self.version) + w_string(self.server_version)
                + w_u32(self.max_frame_length) + w_u32(self.max_in_flight) + w_u32(self.max_rows)
                + w_bool(self.authorized))

    @classmethod
    def decode(cls, r: Reader):
        return cls(r.string("role", 256), r.u8("version"), r.string("serverVersion", 256),
                   r.u32("maxFrameLength"), r.u32("maxInFlight"), r.u32("maxRows"),
                   r.boolean("authorized"))


@dataclass
class PingRequest:
    payload: int = 0
    OPCODE = OP_PING

    def encode(self): return w_u64(self.payload)

    @classmethod
    def decode(cls, r): return cls(r.u64("payload"))


@dataclass
class PingResponse:
    payload: int

    def encode(self): return w_u64(self.payload)

    @classmethod
    def decode(cls, r): return cls(r.u64("payload"))


@dataclass
class StatsRequest:
    OPCODE = OP_STATS

    def encode(self): return b""

    @classmethod
    def decode(cls, r): return cls()


@dataclass
class StatsResponse:
    role: str
    uptime_millis: int
    connections_open: int
    connections_total: int
    requests_total: int
    errors_total: int
    bytes_in: int
    bytes_out: int
    requests_by_opcode: List[Tuple[int, int]]
    errors_by_code: List[Tuple[int, int]]

    def encode(self):
        out = w_string(self.role) + w_u64(self.uptime_millis) + w_u32(self.connections_open)
        for v in (self.connections_total, self.requests_total, self.errors_total, self.bytes_in,
                  self.bytes_out):
            out += w_u64(v)
        out += w_u32(len(self.requests_by_opcode))
        out += b"".join(w_u16(o) + w_u64(c) for o, c in self.requests_by_opcode)
        out += w_u32(len(self.errors_by_code))
        out += b"".join(w_u16(o) + w_u64(c) for o, c in self.errors_by_code)
        return out

    @classmethod
    def decode(cls, r):
        head = [r.string("role", 256), r.u64("uptimeMillis"), r.u32("connectionsOpen")]
        head += [r.u64(n) for n in ("connectionsTotal", "requestsTotal", "errorsTotal", "bytesIn",
                                    "bytesOut")]
        n = r.length("requestsByOpcode", 1024, 10)
        by_op = [(r.u16("opcode"), r.u64("count")) for _ in range(n)]
        n = r.length("errorsByCode", 1024, 10)
        by_code = [(r.u16("code"), r.u64("count")) for _ in range(n)]
        return cls(*head, by_op, by_code)


@dataclass
class HealthRequest:
    OPCODE = OP_HEALTH

    def encode(self): return b""

    @classmethod
    def decode(cls, r): return cls()


@dataclass
class HealthResponse:
    status: int  # 0 serving, 1 degraded, 2 draining
    detail: str = ""

    def encode(self): return w_u8(self.status) + w_string(self.detail)

    @classmethod
    def decode(cls, r):
        status = r.u8("status")
        if status > 2:
            raise WireDecodeError(f"'status' has invalid value {status}")
        return cls(status, r.string("detail"))


@dataclass
class SubscribeRequest:
    topics: List[str]
    from_sequence: Optional[int] = None
    OPCODE = OP_SUBSCRIBE

    def encode(self):
        return (w_u32(len(self.topics)) + b"".join(w_string(t) for t in self.topics)
                + w_optional(self.from_sequence, w_u64))

    @classmethod
    def decode(cls, r):
        n = r.length("topics", 64, 4)
        topics = [r.string("topics[]", 256) for _ in range(n)]
        if not topics:
            raise WireDecodeError("'topics' is empty")
        return cls(topics, r.optional("fromSequence", lambda: r.u64("fromSequence")))


@dataclass
class SubscribeResponse:
    head_sequence: int

    def encode(self): return w_u64(self.head_sequence)

    @classmethod
    def decode(cls, r): return cls(r.u64("headSequence"))


@dataclass
class UnsubscribeRequest:
    subscription_id: int
    OPCODE = OP_UNSUBSCRIBE

    def encode(self): return w_u32(self.subscription_id)

    @classmethod
    def decode(cls, r): return cls(r.u32("subscriptionID"))


@dataclass
class UnsubscribeResponse:
    def encode(self): return b""

    @classmethod
    def decode(cls, r): return cls()


@dataclass
class Event:
    sequence: int
    topic: str
    payload: bytes

    def encode(self): return w_u64(self.sequence) + w_string(self.topic) + w_bytes(self.payload)

    @classmethod
    def decode(cls, r):
        return cls(r.u64("sequence"), r.string("topic", 256), r.blob("payload", 0xFFFFFFFF))


@dataclass
class ErrorBody:
    code: int
    message: str
    field: Optional[str] = None

    def encode(self):
        return w_u16(self.code) + w_string(self.message) + w_optional(self.field, w_string)

    @classmethod
    def decode(cls, r):
        return cls(r.u16("code"), r.string("message"), r.optional("field", lambda: r.string("field")))


@dataclass
class BlobUploadBeginRequest:
    name: str
    size: int
    digest: bytes  # 32 bytes
    OPCODE = OP_BLOB_UPLOAD_BEGIN

    def encode(self): return w_string(self.name) + w_u64(self.size) + self.digest

    @classmethod
    def decode(cls, r): return cls(r.string("name", 1024), r.u64("size"), r.fixed("digest", 32))


@dataclass
class BlobUploadBeginResponse:
    upload_id: int
    max_chunk_length: int

    def encode(self): return w_u64(self.upload_id) + w_u32(self.max_chunk_length)

    @classmethod
    def decode(cls, r): return cls(r.u64("uploadID"), r.u32("maxChunkLength"))


@dataclass
class BlobUploadChunkRequest:
    upload_id: int
    offset: int
    data: bytes
    OPCODE = OP_BLOB_UPLOAD_CHUNK

    def encode(self): return w_u64(self.upload_id) + w_u64(self.offset) + w_bytes(self.data)

    @classmethod
    def decode(cls, r): return cls(r.u64("uploadID"), r.u64("offset"), r.blob("data", MAX_CHUNK))


@dataclass
class BlobUploadChunkResponse:
    received: int

    def encode(self): return w_u64(self.received)

    @classmethod
    def decode(cls, r): return cls(r.u64("received"))


@dataclass
class BlobUploadCommitRequest:
    upload_id: int
    OPCODE = OP_BLOB_UPLOAD_COMMIT

    def encode(self): return w_u64(self.upload_id)

    @classmethod
    def decode(cls, r): return cls(r.u64("uploadID"))


@dataclass
class BlobUploadCommitResponse:
    digest: bytes
    size: int

    def encode(self): return self.digest + w_u64(self.size)

    @classmethod
    def decode(cls, r): return cls(r.fixed("digest", 32), r.u64("size"))


@dataclass
class BlobDownloadRequest:
    digest: bytes
    offset: int
    max_length: int
    OPCODE = OP_BLOB_DOWNLOAD

    def encode(self): return self.digest + w_u64(self.offset) + w_u32(self.max_length)

    @classmethod
    def decode(cls, r):
        out = cls(r.fixed("digest", 32), r.u64("offset"), r.u32("maxLength"))
        if not 1 <= out.max_length <= MAX_CHUNK:
            raise WireDecodeError(f"'maxLength' {out.max_length} is outside 1..{MAX_CHUNK}")
        return out


@dataclass
class BlobDownloadResponse:
    total_size: int
    offset: int
    data: bytes

    def encode(self): return w_u64(self.total_size) + w_u64(self.offset) + w_bytes(self.data)

    @classmethod
    def decode(cls, r): return cls(r.u64("totalSize"), r.u64("offset"), r.blob("data", MAX_CHUNK))


RESPONSE_TYPES = {
    OP_HELLO: HelloResponse, OP_PING: PingResponse, OP_STATS: StatsResponse,
    OP_HEALTH: HealthResponse, OP_SUBSCRIBE: SubscribeResponse, OP_UNSUBSCRIBE: UnsubscribeResponse,
    OP_BLOB_UPLOAD_BEGIN: BlobUploadBeginResponse, OP_BLOB_UPLOAD_CHUNK: BlobUploadChunkResponse,
    OP_BLOB_UPLOAD_COMMIT: BlobUploadCommitResponse, OP_BLOB_DOWNLOAD: BlobDownloadResponse,
}


def decode_body(message_type, body: bytes):
    """Decodes a whole body as `message_type`, rejecting trailing bytes."""
    r = Reader(body)
    try:
        out = message_type.decode(r)
    except struct.error as error:  # pragma: no cover - lengths are checked first
        raise WireDecodeError(str(error)) from error
    r.finish()
    return out
