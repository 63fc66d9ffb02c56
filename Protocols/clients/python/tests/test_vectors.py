"""The Python codec against the golden frames in Protocols/vectors (both directions)."""

import os
import random
import struct
import unittest

from churn_wire import codec

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "vectors")
ABC = bytes.fromhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

REQ, RESP, ERR, EVT = codec.KIND_REQUEST, codec.KIND_RESPONSE, codec.KIND_ERROR, codec.KIND_EVENT

# name -> (kind, opcode, correlation id, message); values restated from each file's comment line.
CASES = {
    "hello-request": (REQ, 0x0001, 1, codec.HelloRequest("py", [1], "s3cret")),
    "hello-response": (RESP, 0x0001, 1, codec.HelloResponse("base", 1, "0.1.0", 16777216, 128, 100000, True)),
    "ping-request": (REQ, 0x0002, 7, codec.PingRequest(0x0102030405060708)),
    "ping-response": (RESP, 0x0002, 7, codec.PingResponse(0x0102030405060708)),
    "stats-request": (REQ, 0x0003, 2, codec.StatsRequest()),
    "stats-response": (RESP, 0x0003, 2, codec.StatsResponse("base", 1500, 2, 3, 10, 1, 200, 300,
                                                            [(1, 3), (2, 7)], [(6, 1)])),
    "health-request": (REQ, 0x0004, 3, codec.HealthRequest()),
    "health-response": (RESP, 0x0004, 3, codec.HealthResponse(0, "ok")),
    "subscribe-request": (REQ, 0x0010, 4, codec.SubscribeRequest(["datasets", "models"], 42)),
    "subscribe-response": (RESP, 0x0010, 4, codec.SubscribeResponse(41)),
    "event": (EVT, 0x0010, 4, codec.Event(42, "models", bytes.fromhex("deadbeef"))),
    "unsubscribe-request": (REQ, 0x0011, 5, codec.UnsubscribeRequest(4)),
    "unsubscribe-response": (RESP, 0x0011, 5, codec.UnsubscribeResponse()),
    "error": (ERR, 0x0002, 9, codec.ErrorBody(10, "bad payload", "payload")),
    "error-connection": (ERR, 0x0000, 0, codec.ErrorBody(2, "too big", None)),
    "blob-upload-begin-request": (REQ, 0x0020, 10, codec.BlobUploadBeginRequest("data.csv", 3, ABC)),
    "blob-upload-begin-response": (RESP, 0x0020, 10, codec.BlobUploadBeginResponse(1, 1048576)),
    "blob-upload-chunk-request": (REQ, 0x0021, 11, codec.BlobUploadChunkRequest(1, 0, b"abc")),
    "blob-upload-chunk-response": (RESP, 0x0021, 11, codec.BlobUploadChunkResponse(3)),
    "blob-upload-commit-request": (REQ, 0x0022, 12, codec.BlobUploadCommitRequest(1)),
    "blob-upload-commit-response": (RESP, 0x0022, 12, codec.BlobUploadCommitResponse(ABC, 3)),
    "blob-download-request": (REQ, 0x0023, 13, codec.BlobDownloadRequest(ABC, 1, 2)),
    "blob-download-response": (RESP, 0x0023, 13, codec.BlobDownloadResponse(3, 1, b"bc")),
}


def load(name):
    with open(os.path.join(VECTORS, name + ".hex"), encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return bytes.fromhex("".join(lines).replace(" ", "").replace("\n", ""))


class VectorTests(unittest.TestCase):
    def test_every_file_is_covered(self):
        names = {n[:-4] for n in os.listdir(VECTORS) if n.endswith(".hex")}
        self.assertEqual(names, set(CASES))

    def test_encode_matches_vectors(self):
        for name, (kind, opcode, cid, message) in CASES.items():
            with self.subTest(name):
                frame = codec.Frame(1, kind, opcode, cid, message.encode())
                self.assertEqual(frame.encode(), load(name))

    def test_decode_matches_vectors(self):
        for name, (kind, opcode, cid, message) in CASES.items():
            with self.subTest(name):
                data = load(name)
                frame, used = codec.decode_frame(data)
                self.assertEqual(used, len(data))
                self.assertEqual((frame.version, frame.kind, frame.opcode, frame.correlation_id),
                                 (1, kind, opcode, cid))
                self.assertEqual(codec.decode_body(type(message), frame.body), message)

    def test_sha256_of_abc(self):
        import hashlib
        self.assertEqual(hashlib.sha256(b"abc").digest(), ABC)


class DecoderTests(unittest.TestCase):
    def test_hostile_lengths_rejected_from_prefix(self):
        for length in (0, 7, 0xFFFFFFFF, 4097):
            with self.subTest(length):
                with self.assertRaises(codec.WireDecodeError):
                    codec.decode_frame(struct.pack(">I", length), max_frame=4096)

    def test_truncated_frame_waits(self):
        data = load("ping-request")
        self.assertEqual(codec.decode_frame(data[:-1]), (None, 0))

    def test_trailing_bytes_rejected(self):
        with self.assertRaises(codec.WireDecodeError):
            codec.decode_body(codec.PingRequest, bytes(9))

    def test_random_bytes_never_raise_anything_else(self):
        rng = random.Random(0xC0FFEE)
        types = [v[3].__class__ for v in CASES.values()]
        outcomes = {"frame": 0, "more": 0, "error": 0}
        for _ in range(20000):
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
            try:
                frame, _ = codec.decode_frame(data, max_frame=40)
            except codec.WireDecodeError:
                outcomes["error"] += 1
                continue
            if frame is None:
                outcomes["more"] += 1
                continue
            outcomes["frame"] += 1
            for t in types:
                try:
                    codec.decode_body(t, frame.body)
                except codec.WireDecodeError:
                    pass
        self.assertGreater(outcomes["error"], 1000)
        self.assertGreater(outcomes["more"], 1000)


if __name__ == "__main__":
    unittest.main()
