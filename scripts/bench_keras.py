#!/usr/bin/env python3
"""The peer measurement for `churn bench train`: the reference recipe in Keras (TensorFlow CPU) on the
same rows — the first N rows of a CSV, preprocessed like Churn's defaults (id columns dropped, binary
columns label-encoded, categoricals one-hot, everything standard-scaled), Dense(6, relu) → Dense(6,
relu) → Dense(1, sigmoid), Adam(0.001), binary cross-entropy, batch 32, 100 epochs. Times model.fit only.

usage: scripts/bench_keras.py DATA.csv [--rows 8000] [--epochs 100] [--runs 1]
"""
import argparse
import csv
import json
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402


def load(path, rows):
    with open(path, newline="") as handle:
        records = list(csv.DictReader(handle))[:rows]
    ids = {"RowNumber", "CustomerId", "Surname"}
    target = "Exited"
    columns = [c for c in records[0] if c not in ids and c != target]
    features = []
    for column in columns:
        values = [r[column] for r in records]
        try:
            numbers = [float(v) for v in values]
            features.append(np.array(numbers))
        except ValueError:
            levels = sorted(set(values))
            if len(levels) == 2:
                features.append(np.array([levels.index(v) for v in values], dtype=float))
            else:
                for level in levels:
                    features.append(np.array([1.0 if v == level else 0.0 for v in values]))
    x = np.stack(features, axis=1)
    x = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1)
    y = np.array([float(r[target]) for r in records])
    return x.astype(np.float32), y.astype(np.float32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--rows", type=int, default=8000)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    import tensorflow as tf

    x, y = load(args.data, args.rows)
    seconds = []
    for run in range(args.runs):
        tf.keras.utils.set_random_seed(run)
        model = tf.keras.Sequential([
            tf.keras.Input(shape=(x.shape[1],)),
            tf.keras.layers.Dense(6, activation="relu"),
            tf.keras.layers.Dense(6, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.001), loss="binary_crossentropy")
        start = time.perf_counter()
        model.fit(x, y, batch_size=32, epochs=args.epochs, verbose=0)
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"peer": f"keras {tf.__version__}", "rows": len(y), "epochs": args.epochs, "runs": args.runs,
                      "train_seconds_median": statistics.median(seconds), "train_seconds_min": min(seconds)}))


if __name__ == "__main__":
    main()
