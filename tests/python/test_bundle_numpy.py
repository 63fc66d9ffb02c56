"""Independent check of Protocols/bundle.md: a model written by `churn train` is opened with
Python's `safetensors` and re-implemented in numpy from the spec alone; its probabilities must match
`churn predict` to float32 precision."""
import csv
import json
import os
import subprocess
import tempfile
import unittest

import numpy as np
from safetensors import safe_open

CHURN = os.environ.get("CHURN_BIN", ".build/debug/churn")


def encode(pipeline, row):
    features = []
    for enc in pipeline["encoders"]:
        raw = row.get(enc["column"], "")
        missing = raw.strip() in ("", "NA", "N/A", "NaN", "nan", "null", "None")
        if enc["role"] == "numeric":
            features.append(enc["numeric_fill"] if missing else float(raw))
            continue
        value = enc["fill"] if missing else raw
        if enc["numeric_source"]:
            index = next((i for i, level in enumerate(enc["levels"]) if float(level) == float(value)), None)
        else:
            index = enc["levels"].index(value) if value in enc["levels"] else None
        if enc["role"] == "binary":
            features.append(float(index if index is not None else enc["levels"].index(enc["fill"])))
        else:
            features.extend(1.0 if i == index else 0.0 for i in range(len(enc["levels"])))
    return features


def predict(path, rows):
    with safe_open(path, framework="np") as f:
        meta = f.metadata()
        tensors = {name: f.get_tensor(name) for name in f.keys()}
    assert meta["format"] == "churn.model" and meta["format_version"] == "1"
    pipeline = json.loads(meta["pipeline"])
    sizes = json.loads(meta["network"])["layer_sizes"]
    x = np.array([encode(pipeline, r) for r in rows], dtype=np.float64)
    x = (x - tensors["preprocessing.mean"]) / tensors["preprocessing.scale"]
    for layer in range(len(sizes) - 1):
        x = x @ tensors[f"network.layer{layer}.weight"] + tensors[f"network.layer{layer}.bias"]
        x = np.maximum(x, 0) if layer < len(sizes) - 2 else 1 / (1 + np.exp(-x))
    return x[:, 0], float(meta["threshold"])


class BundleInNumpyTest(unittest.TestCase):
    def test_numpy_reimplementation_matches_churn_predict(self):
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "customers.csv")
            model = os.path.join(tmp, "model.churn")
            subprocess.run([CHURN, "synth", "--rows", "3000", "--seed", "5", "--out", data], check=True, capture_output=True)
            subprocess.run([CHURN, "train", data, "--out", model, "--epochs", "5", "--json"], check=True, capture_output=True)
            out = subprocess.run([CHURN, "predict", model, "--input", data, "--json"], check=True, capture_output=True, text=True)
            churn = [p["probability"] for p in json.loads(out.stdout)["predictions"]]
            with open(data, newline="") as handle:
                rows = list(csv.DictReader(handle))
            ours, threshold = predict(model, rows)
            self.assertEqual(len(churn), len(rows))
            np.testing.assert_allclose(np.array(churn), ours, rtol=1e-4, atol=1e-5)
            self.assertEqual(threshold, 0.5)


if __name__ == "__main__":
    unittest.main()
