#!/usr/bin/env python3
"""Writes Protocols/vectors/predictor/*.hex: byte-exact frames of the predictor opcodes (wire.md §12),
laid out field by field straight from the spec with struct.pack — independently of any message class.
The Swift tests (Tests/PredictorTests) and the Python client tests both check their codecs against them.
"""
import os
import struct

OUT = os.path.join(os.path.dirname(__file__), "..", "Protocols", "vectors", "predictor")


def u8(v): return struct.pack(">B", v)
def u16(v): return struct.pack(">H", v)
def u32(v): return struct.pack(">I", v)
def u64(v): return struct.pack(">Q", v)
def f32(v): return struct.pack(">f", v)
def f64(v): return struct.pack(">d", v)
def string(s): return u32(len(s.encode())) + s.encode()
def some(b): return b"\x01" + b
NONE = b"\x00"
NAN = u64(0x7FF8000000000000)


def write(name, comment, kind, opcode, cid, fields):
    body = b"".join(fields)
    header = u32(8 + len(body)) + u8(1) + u8(kind) + u16(opcode) + u32(cid)
    with open(os.path.join(OUT, name + ".hex"), "w", encoding="utf-8") as f:
        f.write("# " + comment + "\n")
        f.write(header[:4].hex() + " " + header[4:5].hex() + " " + header[5:6].hex() + " " + header[6:8].hex()
                + " " + header[8:].hex() + "  " + "  ".join(x.hex() for x in fields if x) + "\n")


REQ, RESP = 0, 1
write("predict-request",
      'PredictRequest, correlation id 20: explain 3, unseen 1 (zeros), columns [Age number [42, missing], '
      'Geography text ["France", missing]]',
      REQ, 0x0300, 20, [
          u16(3), u8(1), u32(2),
          string("Age"), u8(0), u32(2), f64(42.0), NAN,
          string("Geography"), u8(1), u32(2), some(string("France")), NONE,
      ])
write("predict-response",
      'PredictResponse, correlation id 20: model "churn", version "3f2a9c1b7e00", threshold 0.5, probabilities '
      '[0.25, 0.75], labels [false, true], factorColumns ["Age", "Geography"], factors [[(0, 0.125), (1, -0.0625)], '
      '[(1, 0.5)]], warnings [(1, "Geography", "Mars", "is an unseen category")]',
      RESP, 0x0300, 20, [
          string("churn"), string("3f2a9c1b7e00"), f64(0.5),
          u32(2), f32(0.25), f32(0.75),
          u32(2), u8(0), u8(1),
          u32(2), string("Age"), string("Geography"),
          u32(2), u32(2), u16(0), f64(0.125), u16(1), f64(-0.0625), u32(1), u16(1), f64(0.5),
          u32(1), u32(1), string("Geography"), string("Mars"), string("is an unseen category"),
      ])
write("model-info-request", "ModelInfoRequest, correlation id 21: empty body", REQ, 0x0301, 21, [])
write("model-info-response",
      'ModelInfoResponse, correlation id 21: model "churn", version "3f2a9c1b7e00", sha256 "3f2a" + 60 zeros, '
      'generation 2, loadedAtMillis 1764079200000, source "model.safetensors", threshold 0.5, target "Exited", '
      'positiveLabel "1", unseenPolicy 1 (zeros), fields [CreditScore numeric number fill 652 range 350..850, '
      'Gender binary text ["Female", "Male"] fill "Male", Geography categorical text ["France", "Germany", "Spain"] '
      'fill "France"], metrics [("roc_auc", 0.875)], lineage [("created", "2025-11-25T14:00:00Z")]',
      RESP, 0x0301, 21, [
          string("churn"), string("3f2a9c1b7e00"), string("3f2a" + "0" * 60), u64(2), u64(1764079200000),
          string("model.safetensors"), f64(0.5), string("Exited"), string("1"), u8(1),
          u32(3),
          string("CreditScore"), u8(0), u8(0), u32(0), NONE, some(f64(652.0)), some(f64(350.0)), some(f64(850.0)),
          string("Gender"), u8(1), u8(1), u32(2), string("Female"), string("Male"), some(string("Male")), NONE, NONE, NONE,
          string("Geography"), u8(2), u8(1), u32(3), string("France"), string("Germany"), string("Spain"),
          some(string("France")), NONE, NONE, NONE,
          u32(1), string("roc_auc"), f64(0.875),
          u32(1), string("created"), string("2025-11-25T14:00:00Z"),
      ])
write("predictor-reload-request", "PredictorReloadRequest, correlation id 22: empty body", REQ, 0x0302, 22, [])
write("predictor-reload-response",
      'PredictorReloadResponse, correlation id 22: changed true, model "churn", version "0b5e77d1c2aa", generation 3',
      RESP, 0x0302, 22, [u8(1), string("churn"), string("0b5e77d1c2aa"), u64(3)])
write("predictor-drift-request", "PredictorDriftRequest, correlation id 23: empty body", REQ, 0x0303, 23, [])
write("predictor-drift-response",
      'PredictorDriftResponse, correlation id 23: model "churn", version "7", rows 5000, minimumRows 500, columns '
      '[("Age", 0.375, alert), ("Geography", 0.03125, stable)], score ("score", none: NaN, stable)',
      RESP, 0x0303, 23, [
          string("churn"), string("7"), u64(5000), u64(500),
          u32(2), string("Age"), f64(0.375), u8(2), string("Geography"), f64(0.03125), u8(0),
          string("score"), NAN, u8(0),
      ])
