"""The Python Pool (churn_wire.pool, the counterpart of Swift's WirePool) and keyed writes
(wire.md §2.4), against real `churn` processes (CHURN_BIN, default .build/debug/churn):

- key derivation, byte for byte as Swift's `IdempotencyKey.derived`;
- address lists from the environment, and host names expanding to every address they resolve to,
  resolved again periodically;
- three `churn serve predictor --model-file` replicas under 8 threads of Predicts, one killed with
  SIGKILL mid-run (0 failed calls) and restarted on its port (back in rotation), and one whose Health
  turns degraded (out of rotation until it serves again);
- a registry behind a proxy that forwards each request but drops the answer to a chosen write and
  closes the connection, as a crash between commit and reply would: the pool sends the write again
  with the same key and it is applied once; a write sent without a key is not sent again.
"""

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import unittest

from churn_wire import IdempotencyKeys, derive_key, new_key
from churn_wire.codec import KIND_KEYED_REQUEST, KIND_REQUEST, decode_frame
from churn_wire.keys import KEYED_WRITES
from churn_wire.pool import Pool
from churn_wire.registry import OP_ALIAS_SET, OP_MODEL_PUBLISH_INLINE, RegistryPool

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
CHURN_BIN = os.environ.get("CHURN_BIN", os.path.join(ROOT, ".build", "debug", "churn"))
ROW = {"CreditScore": 619, "Geography": "France", "Gender": "Female", "Age": 42, "Tenure": 2, "Balance": 0.0,
       "NumOfProducts": 1, "HasCrCard": 1, "IsActiveMember": 1, "EstimatedSalary": 101348.88}

_shared = {}


def churn(*args, timeout=180):
    out = subprocess.run([CHURN_BIN, *args], capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"churn {' '.join(args)} failed: {out.stderr}")
    return out.stdout


def bundle_path() -> str:
    """A small model bundle trained once for the whole module."""
    if "bundle" not in _shared:
        directory = tempfile.mkdtemp(prefix="py-pool-")
        _shared["directory"] = directory
        csv = os.path.join(directory, "bank.csv")
        churn("synth", "--rows", "300", "--seed", "3", "--out", csv)
        churn("train", csv, "--out", os.path.join(directory, "model.bundle"), "--epochs", "1", "--seed", "1")
        _shared["bundle"] = os.path.join(directory, "model.bundle")
    return _shared["bundle"]


def tearDownModule():
    if "directory" in _shared:
        shutil.rmtree(_shared["directory"], ignore_errors=True)


def wait_until(predicate, seconds=10.0, step=0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


class Server:
    """`churn serve ROLE` on 127.0.0.1:PORT (0: any free one)."""

    def __init__(self, role, *args, port=0):
        self.process = subprocess.Popen(
            [CHURN_BIN, "serve", role, "--listen", f"127.0.0.1:{port}", "--log-level", "error", *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (\S+):(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"{role} did not start: {line!r}")
        self.port = int(match.group(2))
        self.address = f"127.0.0.1:{self.port}"

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.process.stdout.closed:
            self.process.stdout.close()


class AnswerDroppingProxy:
    """Forwards TCP connections to `upstream`, recording every request frame (kind, opcode, key).
    The answers named by `drop` — (opcode, n): the n-th answer with that opcode, counted over all
    connections — are not forwarded: the proxy closes both connections instead, after the server
    has applied the request. With `close_after_drop`, it then stops accepting connections."""

    def __init__(self, upstream_port, drop=(), close_after_drop=False):
        self.upstream_port = upstream_port
        self.drop = set(drop)
        self.close_after_drop = close_after_drop
        self.requests = []      # (kind, opcode, key or None)
        self.dropped = []       # (opcode, n)
        self.answers = {}
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        self.sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def keyed(self, opcode):
        with self.lock:
            return [(kind, key) for kind, op, key in self.requests if op == opcode]

    def _accept(self):
        while True:
            try:
                downstream, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                downstream.close()
                continue
            with self.lock:
                self.sockets += [downstream, upstream]
            threading.Thread(target=self._pump, args=(downstream, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, downstream, False), daemon=True).start()

    def _pump(self, source, target, requests):
        buffer = b""
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                while True:
                    frame, used = decode_frame(buffer, 64 * 1024 * 1024)
                    if frame is None:
                        break
                    raw, buffer = buffer[:used], buffer[used:]
                    if requests:
                        key = frame.body[:16] if frame.kind == KIND_KEYED_REQUEST else None
                        with self.lock:
                            self.requests.append((frame.kind, frame.opcode, key))
                    else:
                        with self.lock:
                            n = self.answers[frame.opcode] = self.answers.get(frame.opcode, 0) + 1
                            drop = (frame.opcode, n) in self.drop
                            if drop:
                                self.dropped.append((frame.opcode, n))
                        if drop:
                            for sock in (source, target):
                                try:
                                    sock.shutdown(socket.SHUT_RDWR)
                                except OSError:
                                    pass
                            if self.close_after_drop:
                                self.listener.close()
                            return
                    target.sendall(raw)
        except OSError:
            pass
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.close()
                except OSError:
                    pass


class KeyTests(unittest.TestCase):
    def test_derivation_matches_swift(self):
        # IdempotencyKey.derived(i): high half kept, low half ^ (i &* 0x9E3779B97F4A7C15).
        base = bytes(range(16))
        self.assertEqual(derive_key(base, 0), base)
        self.assertEqual(derive_key(base, 1).hex(), "0001020304050607" "963e73b27347721a")
        self.assertEqual(derive_key(base, 2).hex(), "0001020304050607" "3467f979f299f625")
        keys = IdempotencyKeys(base)
        self.assertEqual([keys.next() for _ in range(3)], [derive_key(base, i) for i in range(3)])
        again = keys.restarted()
        self.assertEqual(again.next(), base)
        self.assertEqual(len(new_key()), 16)
        self.assertNotEqual(new_key(), new_key())

    def test_keyed_writes_are_swifts(self):
        # Opcode.keyedWrites: push, publish (chunked and inline), delete, alias set and remove,
        # SubmitJob, CancelJob.
        self.assertEqual(KEYED_WRITES, {0x0100, 0x0110, 0x011C, 0x0114, 0x0115, 0x0116, 0x0200, 0x0203})


class AddressTests(unittest.TestCase):
    def test_environment_and_defaults(self):
        pool = Pool(role="predictor", environ={"CHURN_PREDICTOR": "10.0.0.1:7402, 10.0.0.2:7402"})
        self.assertEqual([r["address"] for r in pool.replicas()], [("10.0.0.1", 7402), ("10.0.0.2", 7402)])
        pool = Pool(environ={"CHURN_REGISTRY": "10.0.0.9:7400"})
        self.assertEqual([r["address"] for r in pool.replicas()], [("10.0.0.9", 7400)])
        pool = Pool(role="predictor", environ={})
        self.assertEqual([r["address"] for r in pool.replicas()], [("127.0.0.1", 7402)])
        with self.assertRaisesRegex(ValueError, "predictor address 'x' \\(entry 2 of 2\\) is not HOST:PORT"):
            Pool("a:1,x", role="predictor")

    def test_a_name_stands_for_every_address_and_is_resolved_again(self):
        answers = {"replicas.test": ["10.0.0.1", "10.0.0.2"]}

        def resolver(host, port, family=0, kind=0):
            if host not in answers:
                raise socket.gaierror(socket.EAI_NONAME, "unknown")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]

        pool = Pool("replicas.test:7402,10.0.0.7:7402", role="predictor", resolver=resolver,
                    resolve_interval=0.1, probe_interval=0.05)
        try:
            addresses = lambda: [r["address"] for r in pool.replicas()]
            self.assertEqual(addresses(), [("10.0.0.1", 7402), ("10.0.0.2", 7402), ("10.0.0.7", 7402)])
            self.assertEqual(pool.replicas()[0]["label"], "replicas.test:7402 (10.0.0.1)")
            answers["replicas.test"] = ["10.0.0.2", "10.0.0.3"]
            pool._start_monitor()  # the monitor resolves again every resolve_interval
            self.assertTrue(wait_until(lambda: addresses() == [("10.0.0.2", 7402), ("10.0.0.3", 7402), ("10.0.0.7", 7402)], 5))
            # A resolver failure keeps the addresses the name had.
            del answers["replicas.test"]
            pool.resolve()
            self.assertEqual(addresses(), [("10.0.0.2", 7402), ("10.0.0.3", 7402), ("10.0.0.7", 7402)])
        finally:
            pool.close()
        # A name that never resolved stays as the bare name (connecting names the error).
        pool = Pool("nowhere.test:7402", role="predictor", resolver=resolver)
        self.assertEqual([r["address"] for r in pool.replicas()], [("nowhere.test", 7402)])

    def test_localhost_resolves_through_getaddrinfo(self):
        pool = Pool("localhost:7402", role="predictor")
        self.assertIn(("127.0.0.1", 7402), [r["address"] for r in pool.replicas()])


class PredictorPoolTests(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(CHURN_BIN):
            self.skipTest(f"churn binary not found at {CHURN_BIN}")
        self.directory = tempfile.mkdtemp(prefix="py-pool-predictors-")
        self.model = os.path.join(self.directory, "model.bundle")
        shutil.copyfile(bundle_path(), self.model)
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.stop(signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)

    def predictor(self, port=0):
        server = Server("predictor", "--model-file", self.model, "--model-name", "churn", port=port)
        self.servers.append(server)
        return server

    def test_sigkill_of_a_replica_under_load_fails_no_call(self):
        servers = [self.predictor() for _ in range(3)]
        victim = servers[1]
        pool = Pool(",".join(s.address for s in servers), role="predictor", client_name="py-pool-test")
        ok, failures, stop = [0], [], threading.Event()
        lock = threading.Lock()

        def worker():
            while not stop.is_set():
                try:
                    answer = pool.predict(ROW)
                    assert len(answer.probabilities) == 1
                    with lock:
                        ok[0] += 1
                except Exception as error:  # every failure counts
                    with lock:
                        failures.append(repr(error))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        try:
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            before = {r["address"][1]: r["calls"] for r in pool.replicas()}
            victim.process.send_signal(signal.SIGKILL)
            victim.process.wait()
            killed_at = time.monotonic()
            out = wait_until(lambda: not pool.replicas()[1]["in_rotation"], 2)
            left = time.monotonic() - killed_at
            time.sleep(1.0)
            during = ok[0]
            time.sleep(0.5)
            self.assertGreater(ok[0], during, "calls stopped while a replica was down")
            restarted = self.predictor(port=victim.port)
            back = wait_until(lambda: pool.replicas()[1]["in_rotation"], 3)
            time.sleep(0.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
            replicas = pool.replicas()
            pool.close()
        self.assertEqual(failures, [])
        self.assertGreater(ok[0], 100)
        # Power of two choices spread the calls: every replica answered some before the kill.
        self.assertTrue(all(before[s.port] > 0 for s in servers), before)
        self.assertTrue(out, f"the killed replica stayed in rotation: {replicas}")
        self.assertLess(left, 2.0)
        self.assertTrue(back, f"the restarted replica did not come back: {replicas}")
        self.assertEqual(restarted.port, victim.port)
        self.assertGreater(replicas[1]["calls"], before[victim.port], "the restarted replica got no calls")

    def test_a_replica_whose_health_is_not_serving_leaves_the_rotation(self):
        servers = [self.predictor() for _ in range(2)]
        pool = Pool(",".join(s.address for s in servers), role="predictor")
        try:
            pool.predict(ROW)
            # A damaged bundle, reloaded on SIGHUP, is refused: replica 0 still answers, but its
            # Health is degraded, so the pool takes it out of rotation.
            with open(self.model, "rb") as f:
                good = f.read()
            damaged = bytearray(good)
            damaged[len(damaged) // 2] ^= 0xFF
            with open(self.model + ".tmp", "wb") as f:
                f.write(bytes(damaged))
            os.replace(self.model + ".tmp", self.model)
            servers[0].process.send_signal(signal.SIGHUP)
            self.assertTrue(wait_until(lambda: not pool.replicas()[0]["in_rotation"], 5), pool.replicas())
            self.assertIn("degraded", pool.replicas()[0]["reason"])
            calls = pool.replicas()[0]["calls"]
            for _ in range(20):
                pool.predict(ROW)
            self.assertEqual(pool.replicas()[0]["calls"], calls, "a degraded replica was given calls")
            # A good bundle again: serving, back in rotation.
            with open(self.model + ".tmp", "wb") as f:
                f.write(good)
            os.replace(self.model + ".tmp", self.model)
            servers[0].process.send_signal(signal.SIGHUP)
            self.assertTrue(wait_until(lambda: pool.replicas()[0]["in_rotation"], 5), pool.replicas())
        finally:
            pool.close()


class KeyedWriteTests(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(CHURN_BIN):
            self.skipTest(f"churn binary not found at {CHURN_BIN}")
        self.directory = tempfile.mkdtemp(prefix="py-pool-registry-")
        self.registry = Server("registry", "--data-dir", os.path.join(self.directory, "data"))
        with open(bundle_path(), "rb") as f:
            self.bundle = f.read()
        self.proxies = []
        self.pools = []

    def tearDown(self):
        for pool in self.pools:
            pool.close()
        for proxy in self.proxies:
            proxy.close()
        self.registry.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def proxy(self, **kwargs):
        proxy = AnswerDroppingProxy(self.registry.port, **kwargs)
        self.proxies.append(proxy)
        return proxy

    def pool(self, addresses, **kwargs):
        pool = RegistryPool(addresses, client_name="py-keyed", **kwargs)
        self.pools.append(pool)
        return pool

    def direct(self):
        return self.pool(self.registry.address)

    def test_a_publish_whose_answer_was_lost_is_applied_once(self):
        proxy = self.proxy(drop=[(OP_MODEL_PUBLISH_INLINE, 1)])
        version = self.pool(proxy.address).publish_model("churn", self.bundle)
        self.assertEqual(proxy.dropped, [(OP_MODEL_PUBLISH_INLINE, 1)])
        sent = proxy.keyed(OP_MODEL_PUBLISH_INLINE)
        self.assertEqual(len(sent), 2, "the publish was not sent again")
        self.assertEqual({kind for kind, _ in sent}, {KIND_KEYED_REQUEST})
        self.assertEqual(sent[0][1], sent[1][1], "the retry did not repeat the key")
        self.assertEqual(version["version"], 1)
        self.assertEqual([v["version"] for v in self.direct().models("churn")["versions"]], [1])

    def test_an_alias_move_whose_answer_was_lost_is_applied_once(self):
        self.direct().publish_model("churn", self.bundle)
        proxy = self.proxy(drop=[(OP_ALIAS_SET, 1)])
        change = self.pool(proxy.address).set_alias("churn", "production", 1)
        self.assertEqual(len(proxy.keyed(OP_ALIAS_SET)), 2)
        history = self.direct().alias_history("churn", "production")
        self.assertEqual(len(history), 1, history)
        self.assertEqual(change, history[0])  # the recorded answer, not a second move

    def test_the_retry_goes_to_another_replica_with_the_same_key(self):
        # Two addresses of one registry: the proxy drops one alias-set answer and then accepts no
        # more connections, so the retry must go to the other address. 20 moves: the pool picks
        # the proxy for one of them (each time with probability 1/2 until it has).
        self.direct().publish_model("churn", self.bundle)
        self.direct().publish_model("churn", self.bundle)
        proxy = self.proxy(drop=[(OP_ALIAS_SET, 1)], close_after_drop=True)
        pool = self.pool(f"{proxy.address},{self.registry.address}")
        moves = [1 + i % 2 for i in range(20)]
        for version in moves:
            pool.set_alias("churn", "production", version)
        self.assertEqual(proxy.dropped, [(OP_ALIAS_SET, 1)])
        self.assertFalse(pool.replicas()[0]["in_rotation"])
        history = self.direct().alias_history("churn", "production")
        self.assertEqual(len(history), 20, "an alias move was lost or applied twice")
        self.assertEqual(self.direct().model("churn@production")["version"]["version"], moves[-1])

    def test_every_write_of_a_call_repeats_its_derived_key(self):
        self.direct().publish_model("churn", self.bundle)
        proxy = self.proxy(drop=[(OP_ALIAS_SET, 2)])
        pool = self.pool(proxy.address)

        def two_moves(client, keys):
            from churn_wire.registry import _json_on
            first = _json_on(client, OP_ALIAS_SET, {"name": "churn", "alias": "staging", "version": 1, "who": ""}, keys)
            second = _json_on(client, OP_ALIAS_SET, {"name": "churn", "alias": "canary", "version": 1, "who": ""}, keys)
            return first, second

        keys = IdempotencyKeys()
        pool.run(two_moves, keys=keys)
        sent = [key for _, key in proxy.keyed(OP_ALIAS_SET)]
        self.assertEqual(sent, [keys.base, derive_key(keys.base, 1)] * 2)
        self.assertEqual(len(self.direct().alias_history("churn", "staging")), 1)
        self.assertEqual(len(self.direct().alias_history("churn", "canary")), 1)

    def test_an_unkeyed_write_is_not_sent_again(self):
        self.direct().publish_model("churn", self.bundle)
        proxy = self.proxy(drop=[(OP_ALIAS_SET, 1)])
        pool = self.pool(proxy.address, keyed=False)
        with self.assertRaises(ConnectionError):
            pool.set_alias("churn", "production", 1)
        self.assertEqual(proxy.keyed(OP_ALIAS_SET), [(KIND_REQUEST, None)], "the unkeyed write was sent again")
        # It was applied (the answer was lost after the commit): the caller has to find out.
        self.assertEqual(len(self.direct().alias_history("churn", "production")), 1)

    def test_reads_are_sent_again(self):
        self.direct().publish_model("churn", self.bundle)
        proxy = self.proxy(drop=[(0x0112, 1)])  # ModelList
        versions = self.pool(proxy.address).models("churn")["versions"]
        self.assertEqual([v["version"] for v in versions], [1])
        self.assertEqual(len([op for _, op, _ in proxy.requests if op == 0x0112]), 2)


if __name__ == "__main__":
    unittest.main()
