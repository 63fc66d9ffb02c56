"""A blocking reference client of the Churn wire protocol v1 (standard library only)."""

import hashlib
import socket
from collections import deque
from typing import Optional

from . import codec, predictor
from .codec import Frame


class WireServerError(Exception):
    """The server answered with an error frame."""

    def __init__(self, code: int, message: str, field: Optional[str] = None):
        self.code = code
        self.name = codec.ERROR_NAMES.get(code, f"error({code})")
        self.message = message
        self.field = field
        suffix = f" [field {field}]" if field else ""
        super().__init__(f"{self.name}({code}): {message}{suffix}")


class WireProtocolError(Exception):
    """The server sent something this client cannot accept."""


class Client:
    """One connection: Hello on connect, then requests matched by correlation id.

    Requests are answered in order of `call`, but `send`/`receive` allow pipelining: send several
    requests, then collect their responses in any order.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 7409, client_name: str = "churn-python",
                 token: Optional[str] = None, timeout: float = 10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = bytearray()
        self.next_id = 1
        self.events = deque()
        self.version = 1
        try:
            self.hello = self.call(codec.HelloRequest(client_name, [codec.VERSION], token))
        except BaseException:
            self.sock.close()
            raise
        self.version = self.hello.version

    # ------------------------------------------------------------------ low level
    def send(self, request, key: Optional[bytes] = None) -> int:
        """Sends a request message; returns its correlation id. With a 16-byte idempotency `key` it
        goes as a keyed request (kind 4, wire.md §2.4): the key, then the request's body."""
        cid = self.next_id
        self.next_id = (self.next_id + 1) & 0xFFFFFFFF or 1
        version = 1 if request.OPCODE == codec.OP_HELLO else self.version
        if key is None:
            frame = Frame(version, codec.KIND_REQUEST, request.OPCODE, cid, request.encode())
        else:
            if len(key) != 16:
                raise ValueError(f"an idempotency key is 16 bytes, not {len(key)}")
            frame = Frame(version, codec.KIND_KEYED_REQUEST, request.OPCODE, cid, bytes(key) + request.encode())
        self.sock.sendall(frame.encode())
        return cid

    def read_frame(self) -> Frame:
        """Reads the next frame (blocking up to the socket timeout)."""
        while True:
            frame, used = codec.decode_frame(bytes(self.buffer), codec.DEFAULT_MAX_FRAME + 65536)
            if frame is not None:
                del self.buffer[:used]
                return frame
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by the server")
            self.buffer += chunk

    def receive(self, cid: int, opcode: int):
        """Reads until the answer to `cid` arrives; events met on the way are queued."""
        while True:
            frame = self.read_frame()
            if frame.kind == codec.KIND_EVENT:
                self.events.append((frame.correlation_id, codec.decode_body(codec.Event, frame.body)))
                continue
            if frame.kind == codec.KIND_ERROR:
                err = codec.decode_body(codec.ErrorBody, frame.body)
                if frame.correlation_id in (cid, 0):
                    raise WireServerError(err.code, err.message, err.field)
                continue
            if frame.kind != codec.KIND_RESPONSE:
                raise WireProtocolError(f"unexpected frame kind {frame.kind}")
            if frame.correlation_id != cid:
                continue  # an answer to a request sent earlier and not waited for
            if frame.opcode != opcode:
                raise WireProtocolError(f"response opcode {frame.opcode:#06x} for {opcode:#06x}")
            return codec.decode_body(codec.RESPONSE_TYPES[opcode], frame.body)

    def call(self, request, key: Optional[bytes] = None):
        """Sends a request (keyed when `key` is given) and returns its decoded response (raises
        WireServerError)."""
        return self.receive(self.send(request, key), request.OPCODE)

    # ------------------------------------------------------------------ operations
    def ping(self, payload: int = 0) -> int:
        return self.call(codec.PingRequest(payload)).payload

    def stats(self) -> codec.StatsResponse:
        return self.call(codec.StatsRequest())

    def health(self) -> codec.HealthResponse:
        return self.call(codec.HealthRequest())

    def subscribe(self, topics, from_sequence: Optional[int] = None):
        """Returns (subscription id, head sequence)."""
        cid = self.send(codec.SubscribeRequest(list(topics), from_sequence))
        return cid, self.receive(cid, codec.OP_SUBSCRIBE).head_sequence

    def next_event(self):
        """Returns (subscription id, Event), reading from the socket if none is queued."""
        while not self.events:
            frame = self.read_frame()
            if frame.kind == codec.KIND_EVENT:
                self.events.append((frame.correlation_id, codec.decode_body(codec.Event, frame.body)))
        return self.events.popleft()

    def upload_blob(self, name: str, data: bytes) -> bytes:
        """Uploads `data` in chunks; returns its SHA-256 as confirmed by the server."""
        digest = hashlib.sha256(data).digest()
        begin = self.call(codec.BlobUploadBeginRequest(name, len(data), digest))
        step = min(begin.max_chunk_length, codec.MAX_CHUNK)
        for offset in range(0, len(data), step):
            self.call(codec.BlobUploadChunkRequest(begin.upload_id, offset, data[offset:offset + step]))
        done = self.call(codec.BlobUploadCommitRequest(begin.upload_id))
        if done.digest != digest or done.size != len(data):
            raise WireProtocolError("server confirmed a different blob")
        return done.digest

    def download_blob(self, digest: bytes, chunk: int = codec.MAX_CHUNK) -> bytes:
        """Downloads a blob by ranged reads and verifies its SHA-256."""
        out = bytearray()
        while True:
            part = self.call(codec.BlobDownloadRequest(digest, len(out), chunk))
            out += part.data
            if len(out) >= part.total_size or not part.data:
                break
        if hashlib.sha256(out).digest() != digest:
            raise WireProtocolError("downloaded blob does not match its SHA-256")
        return bytes(out)

    # ------------------------------------------------------------------ predictor (wire.md §13)
    def predict(self, rows=None, columns=None, explain: int = 0, unseen: str = "model") -> predictor.PredictResponse:
        """Scores `rows` (a dict, or a list of dicts of column -> number/str/bool/None) or ready-made
        `columns` (predictor.PredictColumn). `unseen`: "model", "zeros" or "error"."""
        if columns is None:
            if rows is None:
                raise ValueError("give rows or columns")
            columns = predictor.columns_from_rows([rows] if isinstance(rows, dict) else list(rows))
        if unseen not in predictor.UNSEEN_NAMES:
            raise ValueError(f"unseen must be one of {sorted(predictor.UNSEEN_NAMES)}")
        return self.call(predictor.PredictRequest(list(columns), explain, predictor.UNSEEN_NAMES[unseen]))

    def model_info(self) -> predictor.ModelInfoResponse:
        return self.call(predictor.ModelInfoRequest())

    def reload_model(self) -> predictor.PredictorReloadResponse:
        return self.call(predictor.PredictorReloadRequest())

    def drift(self) -> predictor.PredictorDriftResponse:
        return self.call(predictor.PredictorDriftRequest())

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
