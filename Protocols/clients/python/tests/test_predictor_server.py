"""The Python client against a real `churn serve predictor` process (CHURN_BIN, default .build/debug/churn):
predictions equal `churn predict MODEL` offline bit for bit, typed errors, hot swap on SIGHUP and
PredictorReload, refusal of a corrupted bundle."""

import json
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import unittest

from churn_wire import Client, WireServerError, predictor as p

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
CHURN_BIN = os.environ.get("CHURN_BIN", os.path.join(ROOT, ".build", "debug", "churn"))
REAL_DATA = os.path.join(ROOT, "..", "shared", "datasets", "Churn_Modelling.csv")
ROW = {"CreditScore": 619, "Geography": "France", "Gender": "Female", "Age": 42, "Tenure": 2, "Balance": 0.0,
       "NumOfProducts": 1, "HasCrCard": 1, "IsActiveMember": 1, "EstimatedSalary": 101348.88}


def churn(*args, timeout=120):
    out = subprocess.run([CHURN_BIN, *args], capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"churn {' '.join(args)} failed: {out.stderr}")
    return out.stdout


def f32(x):
    return struct.pack(">f", x)


def replace_atomically(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


class PredictorProcess:
    """`churn serve predictor` on a free loopback port; SIGTERM on stop."""

    def __init__(self, model_file, *extra):
        self.process = subprocess.Popen(
            [CHURN_BIN, "serve", "predictor", "--listen", "127.0.0.1:0", "--model-file", model_file,
             "--model-name", "churn", "--log-level", "error", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (\S+):(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"predictor did not start: {line!r} {self.process.stderr.read()}")
        self.host, self.port = match.group(1), int(match.group(2))

    def client(self):
        return Client(self.host, self.port, client_name="py-predictor-test")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        return code


class PredictorServerTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CHURN_BIN):
            raise unittest.SkipTest(f"churn binary not found at {CHURN_BIN}")
        cls.directory = tempfile.mkdtemp(prefix="py-predictor-")
        if os.path.exists(REAL_DATA):
            cls.data = REAL_DATA
        else:
            cls.data = os.path.join(cls.directory, "synthetic.csv")
            churn("synth", "--rows", "3000", "--seed", "5", "--out", cls.data)
        cls.model_a = os.path.join(cls.directory, "a.safetensors")
        cls.model_b = os.path.join(cls.directory, "b.safetensors")
        churn("train", cls.data, "--out", cls.model_a, "--epochs", "3", "--seed", "1")
        churn("train", cls.data, "--out", cls.model_b, "--epochs", "3", "--seed", "2")
        cls.served = os.path.join(cls.directory, "served.safetensors")
        shutil.copyfile(cls.model_a, cls.served)
        cls.server = PredictorProcess(cls.served)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.directory, ignore_errors=True)
        assert code == 0, f"predictor exited with {code}"

    def test_hello_health_and_model_info(self):
        with self.server.client() as c:
            self.assertEqual(c.hello.role, "predictor")
            health = c.health()
            self.assertEqual(health.status, 0, health.detail)
            info = c.model_info()
            self.assertEqual(info.model, "churn")
            self.assertEqual(len(info.sha256), 64)
            self.assertEqual(info.version, info.sha256[:12])
            self.assertEqual(info.target, "Exited")
            geography = next(f for f in info.fields if f.name == "Geography")
            self.assertEqual((geography.kind, geography.value_type), (p.KIND_CATEGORICAL, p.TEXT))
            self.assertEqual(geography.categories, ["France", "Germany", "Spain"])

    def test_whole_dataset_equals_offline_bit_for_bit(self):
        offline = json.loads(churn("predict", self.served, "--input", self.data, "--json"))
        with self.server.client() as c:
            response = c.predict(columns=p.columns_from_csv(self.data))
        self.assertEqual(len(response.probabilities), len(offline["predictions"]))
        # Offline JSON prints each Float in shortest round-trip form: compare the f32 bits.
        self.assertEqual([f32(x) for x in response.probabilities],
                         [f32(row["probability"]) for row in offline["predictions"]])
        self.assertEqual([int(x) for x in response.labels], [row["label"] for row in offline["predictions"]])

    def test_single_row_with_explanations_equals_offline(self):
        offline = json.loads(churn("predict", self.served, "--row", json.dumps(ROW), "--explain", "3", "--json"))
        with self.server.client() as c:
            response = c.predict(ROW, explain=3)
        row = response.rows()[0]
        self.assertEqual(f32(row["probability"]), f32(offline["predictions"][0]["probability"]))
        self.assertEqual([name for name, _ in row["factors"]],
                         [f["column"] for f in offline["predictions"][0]["factors"]])
        for (_, got), expected in zip(row["factors"], offline["predictions"][0]["factors"]):
            self.assertEqual(got, expected["contribution"])

    def test_churn_predict_over_the_wire_prints_the_same_json(self):
        offline = json.loads(churn("predict", self.served, "--input", self.data, "--json"))
        remote = json.loads(churn("predict", "--predictor", f"{self.server.host}:{self.server.port}",
                                  "--input", self.data, "--json"))
        self.assertEqual(remote["predictions"], offline["predictions"])
        self.assertEqual(len(remote["models"]), 1)
        self.assertTrue(remote["models"][0].startswith("churn "))

    def test_typed_errors(self):
        with self.server.client() as c:
            missing = dict(ROW)
            del missing["Age"]
            with self.assertRaises(WireServerError) as caught:
                c.predict(missing)
            self.assertEqual((caught.exception.name, caught.exception.field), ("invalidRequest", "Age"))
            with self.assertRaises(WireServerError) as caught:
                c.predict([ROW, dict(ROW, Age="forty")])
            self.assertEqual((caught.exception.name, caught.exception.field), ("invalidRequest", "Age[1]"))
            with self.assertRaises(WireServerError) as caught:
                c.predict(dict(ROW, Geography="Mars"), unseen="error")
            self.assertEqual((caught.exception.name, caught.exception.field), ("invalidRequest", "Geography[0]"))
            warned = c.predict(dict(ROW, Geography="Mars"), unseen="zeros")
            self.assertEqual([(w.row, w.column, w.value) for w in warned.warnings], [(0, "Geography", "Mars")])
            too_many = [p.PredictColumn.numbers("Age", [40.0] * (c.hello.max_rows + 1))]
            with self.assertRaises(WireServerError) as caught:
                c.predict(columns=too_many)
            self.assertEqual((caught.exception.name, caught.exception.field), ("limitExceeded", "Age"))
            self.assertEqual(c.ping(9), 9)

    def test_python_cli_predict(self):
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "Protocols", "clients", "python"))
        out = subprocess.run(
            ["python3", "-m", "churn_wire", "predict", "--addr", f"{self.server.host}:{self.server.port}",
             "--row", json.dumps(ROW), "--explain", "2", "--json"], capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        document = json.loads(out.stdout)
        self.assertEqual(len(document["predictions"]), 1)
        self.assertEqual(len(document["predictions"][0]["factors"]), 2)

    def test_zz_hot_swap_sighup_reload_and_refusal(self):
        """Runs last (zz): changes the served file."""
        with self.server.client() as c:
            before = c.model_info()
            first = c.predict(ROW)
            # A corrupted bundle (one byte flipped) arrives and SIGHUP asks for a reload: refused.
            with open(self.model_b, "rb") as f:
                good_b = f.read()
            broken = bytearray(good_b)
            broken[-1] ^= 0x01
            replace_atomically(self.served, bytes(broken))
            self.server.process.send_signal(signal.SIGHUP)
            health = wait_for(lambda: c.health(), lambda h: h.status == 1)
            self.assertIn("refused", health.detail)
            self.assertIn("checksum", health.detail)
            still = c.predict(ROW)
            self.assertEqual((still.version, f32(still.probabilities[0])), (before.version, f32(first.probabilities[0])))
            # PredictorReload reports the refusal as checksumMismatch.
            with self.assertRaises(WireServerError) as caught:
                c.reload_model()
            self.assertEqual(caught.exception.name, "checksumMismatch")
            # The good bundle B: SIGHUP swaps it in.
            replace_atomically(self.served, good_b)
            self.server.process.send_signal(signal.SIGHUP)
            info = wait_for(lambda: c.model_info(), lambda i: i.generation == before.generation + 1)
            self.assertNotEqual(info.version, before.version)
            self.assertEqual(c.health().status, 0)
            offline = json.loads(churn("predict", self.model_b, "--row", json.dumps(ROW), "--json"))
            after = c.predict(ROW)
            self.assertEqual(after.version, info.version)
            self.assertEqual(f32(after.probabilities[0]), f32(offline["predictions"][0]["probability"]))
            # Back to A through the PredictorReload opcode.
            shutil.copyfile(self.model_a, self.served + ".new")
            os.replace(self.served + ".new", self.served)
            reloaded = c.reload_model()
            self.assertTrue(reloaded.changed)
            self.assertEqual((reloaded.version, reloaded.generation), (before.version, before.generation + 2))
            self.assertFalse(c.reload_model().changed)


def wait_for(get, ok, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if ok(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


if __name__ == "__main__":
    unittest.main()
