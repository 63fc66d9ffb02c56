"""Registry address lists and failover of the Python registry client: parsing, a refused first
address, and a replica stopped under a connected client (real `churn serve registry` processes)."""

import os
import re
import signal
import socket
import subprocess
import tempfile
import unittest

from churn_wire import AddressError, RegistryUnreachable, parse_addresses
from churn_wire.registry import RegistryClient

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
CHURN_BIN = os.environ.get("CHURN_BIN", os.path.join(ROOT, ".build", "debug", "churn"))


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AddressParsingTest(unittest.TestCase):
    def test_good_lists(self):
        self.assertEqual(parse_addresses("a:7400"), [("a", 7400)])
        self.assertEqual(parse_addresses("reg-1.example:7400, 10.0.0.5:7401,[::1]:7402"),
                         [("reg-1.example", 7400), ("10.0.0.5", 7401), ("::1", 7402)])
        self.assertEqual(parse_addresses(["a:1", ("b", 2)]), [("a", 1), ("b", 2)])

    def test_bad_entries_are_named(self):
        cases = {
            "a:1,x,b:2": "registry address 'x' (entry 2 of 3) is not HOST:PORT",
            "a:1,": "registry address '' (entry 2 of 2) is not HOST:PORT",
            "a:70000": "registry address 'a:70000' (entry 1 of 1) is not HOST:PORT",
            "a:0": "registry address 'a:0' (entry 1 of 1) is not HOST:PORT",
            "::1:7400": "registry address '::1:7400' (entry 1 of 1) is not HOST:PORT",
            "b:2,[::1:7400": "registry address '[::1:7400' (entry 2 of 2) is not HOST:PORT",
            "a:1,b:2,A:1": "registry address 'A:1' (entry 3 of 3) repeats entry 1",
            "": "registry address list is empty: give HOST:PORT[,HOST:PORT…]",
            " , ": "registry address list is empty: give HOST:PORT[,HOST:PORT…]",
        }
        for text, message in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(AddressError) as caught:
                    parse_addresses(text)
                self.assertEqual(str(caught.exception), message)

    def test_every_refusal_is_named(self):
        first, second = closed_port(), closed_port()
        with self.assertRaises(RegistryUnreachable) as caught:
            RegistryClient(f"127.0.0.1:{first},127.0.0.1:{second}", timeout=2)
        self.assertEqual([address for address, _ in caught.exception.attempts],
                         [("127.0.0.1", first), ("127.0.0.1", second)])
        self.assertIn(f"127.0.0.1:{first} (", str(caught.exception))
        self.assertIn(f"127.0.0.1:{second} (", str(caught.exception))


class RegistryFailoverTest(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(CHURN_BIN):
            self.skipTest(f"churn binary not found at {CHURN_BIN}")
        self.tmp = tempfile.TemporaryDirectory()
        self.processes = []

    def start_registry(self, name: str) -> int:
        process = subprocess.Popen(
            [CHURN_BIN, "serve", "registry", "--listen", "127.0.0.1:0", "--data-dir", os.path.join(self.tmp.name, name),
             "--log-level", "error"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.processes.append(process)
        line = process.stdout.readline()
        match = re.search(r"listening on (\S+):(\d+)", line)
        if not match:
            process.kill()
            raise RuntimeError(f"registry did not start: {line!r}")
        return int(match.group(2))

    def stop(self, process):
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        process.stdout.close()

    def tearDown(self):
        for process in self.processes:
            if process.poll() is None:
                self.stop(process)
            elif not process.stdout.closed:
                process.stdout.close()
        self.tmp.cleanup()

    def test_refused_first_address_then_the_live_one(self):
        dead, live = closed_port(), self.start_registry("live")
        with RegistryClient(f"127.0.0.1:{dead},127.0.0.1:{live}", client_name="py-failover") as registry:
            self.assertEqual(registry.address, ("127.0.0.1", live))
            self.assertEqual(registry.datasets(), [])

    def test_stopped_replica_fails_over_to_the_next(self):
        first, second = self.start_registry("first"), self.start_registry("second")
        registry = RegistryClient([("127.0.0.1", first), ("127.0.0.1", second)], client_name="py-failover")
        try:
            self.assertEqual(registry.address, ("127.0.0.1", first))
            self.assertEqual(registry.event_log(after=0)["head"], 0)
            self.stop(self.processes[0])
            # A read on the dead connection is sent again on the next replica.
            self.assertEqual(registry.datasets(), [])
            self.assertEqual(registry.address, ("127.0.0.1", second))
        finally:
            registry.close()

    def test_an_unkeyed_write_is_not_sent_again(self):
        first, second = self.start_registry("first"), self.start_registry("second")
        registry = RegistryClient(f"127.0.0.1:{first},127.0.0.1:{second}", client_name="py-failover", keyed=False)
        try:
            self.stop(self.processes[0])
            with self.assertRaises(OSError):
                registry.set_alias("churn", "production", 1)
            self.assertEqual(registry.address, ("127.0.0.1", first))
            registry.reconnect()
            self.assertEqual(registry.address, ("127.0.0.1", second))
            # Nothing reached the second replica: its log is empty.
            self.assertEqual(registry.event_log(after=0)["head"], 0)
        finally:
            registry.close()


if __name__ == "__main__":
    unittest.main()
