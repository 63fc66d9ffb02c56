"""The predictor messages (churn_wire.predictor) against Protocols/vectors/predictor (both directions)."""

import os
import random
import unittest

from churn_wire import codec, predictor as p

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "vectors", "predictor")
REQ, RESP = codec.KIND_REQUEST, codec.KIND_RESPONSE

# name -> (kind, opcode, correlation id, message); values restated from each file's comment line.
CASES = {
    "predict-request": (REQ, 0x0300, 20, p.PredictRequest(
        [p.PredictColumn.numbers("Age", [42, None]), p.PredictColumn.texts("Geography", ["France", None])],
        explain=3, unseen=p.UNSEEN_ZEROS)),
    "predict-response": (RESP, 0x0300, 20, p.PredictResponse(
        "churn", "3f2a9c1b7e00", 0.5, [0.25, 0.75], [False, True], ["Age", "Geography"],
        [[(0, 0.125), (1, -0.0625)], [(1, 0.5)]], [p.PredictWarning(1, "Geography", "Mars", "is an unseen category")])),
    "model-info-request": (REQ, 0x0301, 21, p.ModelInfoRequest()),
    "model-info-response": (RESP, 0x0301, 21, p.ModelInfoResponse(
        "churn", "3f2a9c1b7e00", "3f2a" + "0" * 60, 2, 1764079200000, "model.safetensors", 0.5, "Exited", "1",
        p.UNSEEN_ZEROS,
        [p.ModelInfoField("CreditScore", p.KIND_NUMERIC, p.NUMBER, [], None, 652.0, 350.0, 850.0),
         p.ModelInfoField("Gender", p.KIND_BINARY, p.TEXT, ["Female", "Male"], "Male"),
         p.ModelInfoField("Geography", p.KIND_CATEGORICAL, p.TEXT, ["France", "Germany", "Spain"], "France")],
        [("roc_auc", 0.875)], [("created", "2025-11-25T14:00:00Z")])),
    "predictor-reload-request": (REQ, 0x0302, 22, p.PredictorReloadRequest()),
    "predictor-reload-response": (RESP, 0x0302, 22, p.PredictorReloadResponse(True, "churn", "0b5e77d1c2aa", 3)),
    "predictor-drift-request": (REQ, 0x0303, 23, p.PredictorDriftRequest()),
    "predictor-drift-response": (RESP, 0x0303, 23, p.PredictorDriftResponse(
        "churn", "7", 5000, 500, [p.DriftEntry("Age", 0.375, p.DRIFT_ALERT), p.DriftEntry("Geography", 0.03125,
                                                                                            p.DRIFT_STABLE)],
        p.DriftEntry("score", None, p.DRIFT_STABLE))),
}


def load(name):
    with open(os.path.join(VECTORS, name + ".hex"), encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return bytes.fromhex("".join(lines).replace(" ", "").replace("\n", ""))


class PredictorVectorTests(unittest.TestCase):
    def test_every_file_is_covered(self):
        names = {n[:-4] for n in os.listdir(VECTORS) if n.endswith(".hex")}
        self.assertEqual(names, set(CASES))

    def test_encode_matches_vectors(self):
        for name, (kind, opcode, cid, message) in CASES.items():
            with self.subTest(name):
                self.assertEqual(message.OPCODE if kind == REQ else opcode, opcode)
                self.assertEqual(codec.Frame(1, kind, opcode, cid, message.encode()).encode(), load(name))

    def test_decode_matches_vectors(self):
        for name, (kind, opcode, cid, message) in CASES.items():
            with self.subTest(name):
                data = load(name)
                frame, used = codec.decode_frame(data)
                self.assertEqual(used, len(data))
                self.assertEqual((frame.kind, frame.opcode, frame.correlation_id), (kind, opcode, cid))
                self.assertEqual(codec.decode_body(type(message), frame.body), message)

    def test_response_types_registered(self):
        self.assertIs(codec.RESPONSE_TYPES[p.OP_PREDICT], p.PredictResponse)
        self.assertIs(codec.RESPONSE_TYPES[p.OP_MODEL_INFO], p.ModelInfoResponse)

    def test_rows_pairs_factor_names(self):
        response = CASES["predict-response"][3]
        self.assertEqual(response.rows()[0]["factors"], [("Age", 0.125), ("Geography", -0.0625)])
        self.assertEqual(response.rows()[1]["label"], True)

    def test_columns_from_rows_types_columns(self):
        columns = p.columns_from_rows([{"Age": 42, "Geography": "France", "Active": True},
                                       {"Age": None, "Geography": "Spain", "Active": False}])
        self.assertEqual([(c.name, c.type) for c in columns], [("Age", p.NUMBER), ("Geography", p.TEXT), ("Active", p.TEXT)])
        self.assertEqual(columns[0].values, [42.0, None])
        self.assertEqual(columns[2].values, ["true", "false"])

    def test_bad_type_and_truncation_rejected(self):
        body = bytearray(load("predict-request")[12:])
        body[2 + 1 + 4 + 4 + 3] = 7  # first column type: after explain, unseen, count, name length, "Age"
        with self.assertRaises(codec.WireDecodeError):
            codec.decode_body(p.PredictRequest, bytes(body))
        whole = load("predict-response")[12:]
        for cut in range(len(whole)):
            with self.assertRaises(codec.WireDecodeError):
                codec.decode_body(p.PredictResponse, whole[:cut])

    def test_random_bodies_only_raise_decode_errors(self):
        rng = random.Random(7)
        seeds = [load(n)[12:] for n in CASES]
        for _ in range(3000):
            body = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 4)):
                if body:
                    body[rng.randrange(len(body))] = rng.randrange(256)
            for t in (p.PredictRequest, p.PredictResponse, p.ModelInfoResponse, p.PredictorReloadResponse):
                try:
                    codec.decode_body(t, bytes(body))
                except codec.WireDecodeError:
                    pass


if __name__ == "__main__":
    unittest.main()
