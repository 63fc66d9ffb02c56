"""The Python client against a real `churn serve base` process (CHURN_BIN, default .build/debug/churn)."""

import hashlib
import os
import re
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest

from churn_wire import Client, WireServerError, codec

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
CHURN_BIN = os.environ.get("CHURN_BIN", os.path.join(ROOT, ".build", "debug", "churn"))


class ChurnServer:
    """Starts `churn serve base` on a free loopback port; stops it with SIGTERM."""

    def __init__(self, *extra):
        if not os.path.exists(CHURN_BIN):
            raise RuntimeError(f"churn binary not found at {CHURN_BIN} (set CHURN_BIN or build first)")
        self.process = subprocess.Popen(
            [CHURN_BIN, "serve", "base", "--listen", "127.0.0.1:0", "--log-level", "error", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (\S+):(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.process.stderr.read()}")
        self.host, self.port = match.group(1), int(match.group(2))

    def stop(self):
        """SIGTERM; returns (exit code, seconds taken)."""
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        return code, time.monotonic() - start


def raw_frames_until_close(port, data, timeout=5.0):
    """Sends raw bytes, returns every frame received until the server closes."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(data)
    buffer, frames = b"", []
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buffer += chunk
        while True:
            frame, used = codec.decode_frame(buffer)
            if frame is None:
                break
            frames.append(frame)
            buffer = buffer[used:]
    sock.close()
    return frames


class BaseServerTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ChurnServer()

    @classmethod
    def tearDownClass(cls):
        code, seconds = cls.server.stop()
        assert code == 0, f"server exited with {code}"
        assert seconds < 3.0, f"shutdown took {seconds:.2f}s"

    def client(self, **kw):
        return Client(self.server.host, self.server.port, **kw)

    def test_hello_ping_health(self):
        with self.client(client_name="py-test") as c:
            self.assertEqual(c.hello.role, "base")
            self.assertEqual(c.hello.version, 1)
            self.assertTrue(c.hello.authorized)
            self.assertEqual(c.hello.max_frame_length, 16 * 1024 * 1024)
            self.assertEqual(c.ping(0xDEADBEEF), 0xDEADBEEF)
            self.assertEqual(c.health().status, 0)

    def test_stats_count_this_connections_pings(self):
        with self.client() as c:
            before = dict(c.stats().requests_by_opcode).get(codec.OP_PING, 0)
            for i in range(25):
                c.ping(i)
            after = dict(c.stats().requests_by_opcode).get(codec.OP_PING, 0)
            self.assertEqual(after - before, 25)

    def test_pipelined_pings(self):
        with self.client() as c:
            ids = [c.send(codec.PingRequest(1000 + i)) for i in range(50)]
            answers = {cid: c.receive(cid, codec.OP_PING).payload for cid in ids}
            self.assertEqual([answers[cid] for cid in ids], [1000 + i for i in range(50)])

    def test_blob_round_trip_multi_chunk(self):
        data = bytes((i * 7 + 3) % 251 for i in range(2 * 1024 * 1024 + 12345))
        with self.client() as c:
            digest = c.upload_blob("test.bin", data)
            self.assertEqual(digest, hashlib.sha256(data).digest())
            self.assertEqual(c.download_blob(digest, chunk=300_000), data)

    def test_blob_checksum_mismatch(self):
        with self.client() as c:
            begin = c.call(codec.BlobUploadBeginRequest("x", 3, hashlib.sha256(b"abc").digest()))
            c.call(codec.BlobUploadChunkRequest(begin.upload_id, 0, b"abd"))
            with self.assertRaises(WireServerError) as caught:
                c.call(codec.BlobUploadCommitRequest(begin.upload_id))
            self.assertEqual(caught.exception.name, "checksumMismatch")
            self.assertEqual(c.ping(3), 3)  # connection stays

    def test_subscribe_and_unsubscribe(self):
        with self.client() as c:
            sid, head = c.subscribe(["*"], from_sequence=1)
            self.assertEqual(head, 0)  # the base role publishes nothing
            c.call(codec.UnsubscribeRequest(sid))
            with self.assertRaises(WireServerError) as caught:
                c.call(codec.UnsubscribeRequest(sid))
            self.assertEqual(caught.exception.name, "notFound")

    def test_frame_before_hello_closes(self):
        frames = raw_frames_until_close(self.server.port, codec.Frame(1, 0, codec.OP_PING, 9, bytes(8)).encode())
        self.assertEqual(len(frames), 1)
        err = codec.decode_body(codec.ErrorBody, frames[0].body)
        self.assertEqual((frames[0].correlation_id, codec.ERROR_NAMES[err.code]), (9, "helloRequired"))
        with self.client() as c:
            self.assertEqual(c.ping(1), 1)

    def test_hostile_lengths_close_only_that_connection(self):
        for length, name in ((0, "malformedFrame"), (7, "malformedFrame"), (4097, "frameTooLarge"),
                             (0xFFFFFFFF, "frameTooLarge")):
            with self.subTest(length):
                frames = raw_frames_until_close(self.server.port, struct.pack(">I", length) + bytes(16))
                err = codec.decode_body(codec.ErrorBody, frames[-1].body)
                self.assertEqual(codec.ERROR_NAMES[err.code], name)
                with self.client() as c:
                    self.assertEqual(c.ping(2), 2)

    def test_unknown_opcode_keeps_connection(self):
        with self.client() as c:
            c.sock.sendall(codec.Frame(1, 0, 0x0399, 77, b"").encode())
            frame = c.read_frame()
            self.assertEqual((frame.kind, frame.correlation_id), (codec.KIND_ERROR, 77))
            self.assertEqual(codec.decode_body(codec.ErrorBody, frame.body).code, 4)
            self.assertEqual(c.ping(5), 5)


class TokenTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.token_file = tempfile.NamedTemporaryFile("w", delete=False)
        cls.token_file.write("py-secret\n")
        cls.token_file.close()
        cls.server = ChurnServer("--token-file", cls.token_file.name)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        os.unlink(cls.token_file.name)

    def test_without_token_reads_only(self):
        with Client(self.server.host, self.server.port) as c:
            self.assertFalse(c.hello.authorized)
            self.assertEqual(c.ping(1), 1)
            with self.assertRaises(WireServerError) as caught:
                c.upload_blob("x", b"data")
            self.assertEqual(caught.exception.name, "unauthorized")

    def test_wrong_token_refused(self):
        with self.assertRaises(WireServerError) as caught:
            Client(self.server.host, self.server.port, token="nope")
        self.assertEqual(caught.exception.name, "unauthorized")

    def test_right_token_writes(self):
        with Client(self.server.host, self.server.port, token="py-secret") as c:
            self.assertTrue(c.hello.authorized)
            self.assertEqual(c.upload_blob("x", b"data"), hashlib.sha256(b"data").digest())


class MetricsTests(unittest.TestCase):
    def test_prometheus_endpoint_counts_pings(self):
        import urllib.request
        server = ChurnServer("--metrics", "127.0.0.1:0")
        try:
            line = server.process.stdout.readline()
            match = re.search(r"metrics on (http://\S+)", line)
            self.assertIsNotNone(match, line)
            with Client(server.host, server.port) as c:
                for i in range(3):
                    c.ping(i)
                c.stats()
            text = urllib.request.urlopen(match.group(1), timeout=5).read().decode()
            self.assertRegex(text, r'wire_requests_total\{opcode="ping"\} 3\b')
            self.assertRegex(text, r'wire_requests_total\{opcode="hello"\} 1\b')
            self.assertIn("wire_connections_total", text)
        finally:
            server.stop()


class CliTests(unittest.TestCase):
    def test_ping_command(self):
        server = ChurnServer()
        try:
            env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "Protocols", "clients", "python"))
            out = subprocess.run(
                ["python3", "-m", "churn_wire", "ping", "--addr", f"{server.host}:{server.port}", "--count", "3"],
                capture_output=True, text=True, env=env, timeout=30)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(len(re.findall(r"^pong \d+ from base", out.stdout, re.M)), 3)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
