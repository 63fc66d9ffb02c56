"""The Python registry client against a real `churn serve registry` process."""

import hashlib
import os
import re
import signal
import subprocess
import tempfile
import unittest

from churn_wire import WireServerError
from churn_wire.registry import RegistryClient

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
CHURN_BIN = os.environ.get("CHURN_BIN", os.path.join(ROOT, ".build", "debug", "churn"))


class RegistryClientTest(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(CHURN_BIN):
            self.skipTest(f"churn binary not found at {CHURN_BIN}")
        self.tmp = tempfile.TemporaryDirectory()
        self.process = subprocess.Popen(
            [CHURN_BIN, "serve", "registry", "--listen", "127.0.0.1:0", "--data-dir", os.path.join(self.tmp.name, "data"),
             "--gc-grace", "0", "--log-level", "error"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (\S+):(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"registry did not start: {line!r}")
        self.port = int(match.group(2))

    def tearDown(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)
        self.process.stdout.close()
        self.tmp.cleanup()

    def churn(self, *args):
        subprocess.run([CHURN_BIN, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def test_push_publish_search_fetch(self):
        csv = os.path.join(self.tmp.name, "bank.csv")
        bundle = os.path.join(self.tmp.name, "model.bundle")
        self.churn("synth", "--rows", "300", "--seed", "2", "--out", csv)
        self.churn("train", csv, "--out", bundle, "--epochs", "1")
        with open(csv, "rb") as f:
            data = f.read()
        with open(bundle, "rb") as f:
            model = f.read()
        with RegistryClient("127.0.0.1", self.port, client_name="py-test") as registry:
            record = registry.push_dataset("bank", data, description="synthetic")
            self.assertEqual(record["sha256"], hashlib.sha256(data).hexdigest())
            self.assertEqual(record["rows"], 300)
            self.assertEqual(registry.fetch_dataset("bank@" + record["sha256"][:10]), data)

            first = registry.publish_model("churn", model, tags={"team": "risk"})
            second = registry.publish_model("churn", model, alias="production")
            self.assertEqual((first["version"], second["version"]), (1, 2))
            self.assertEqual(registry.model("churn@production")["version"]["version"], 2)
            hits = registry.search('name = "churn" and tags.team = "risk"')
            self.assertEqual([hit["version"] for hit in hits], [1])
            self.assertEqual(registry.fetch_model("churn@1"), model)

            change = registry.set_alias("churn", "staging", 1)
            self.assertEqual((change.get("from"), change["to"], change["who"]), (None, 1, "py-test"))
            with self.assertRaises(WireServerError) as refused:
                registry.delete_model("churn", 1)
            self.assertIn("staging", refused.exception.message)
            with self.assertRaises(WireServerError) as missing:
                registry.model("nosuch@1")
            self.assertEqual(missing.exception.code, 11)  # notFound
            log = registry.event_log(after=0)
            self.assertEqual([event["kind"] for event in log["events"]],
                             ["dataset.pushed", "model.published", "model.published", "alias.moved", "alias.moved"])
            self.assertEqual(log["head"], 5)


if __name__ == "__main__":
    unittest.main()
