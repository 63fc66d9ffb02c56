#!/usr/bin/env python3
"""Open a safetensors file with the reference `safetensors` package and describe it.

Usage: scripts/check_safetensors.py PATH

Prints the metadata keys (and values), then each tensor's name, dtype, shape and first values,
loading the file twice: with `safe_open` (lazy, framework "numpy") and with
`safetensors.numpy.load_file`, and checks that both give the same arrays. Exits non-zero if the
file cannot be opened. Needs `pip install safetensors numpy`.
"""
import sys


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = argv[1]
    try:
        import numpy as np
        from safetensors import safe_open
        from safetensors.numpy import load_file
    except ImportError as error:
        print(f"missing Python package: {error}; run: pip install safetensors numpy", file=sys.stderr)
        return 2

    try:
        with safe_open(path, framework="numpy") as handle:
            metadata = handle.metadata() or {}
            lazy = {name: handle.get_tensor(name) for name in handle.keys()}
        eager = load_file(path)
    except Exception as error:  # the reference reader's own message is the useful part
        print(f"{path}: cannot open: {error}", file=sys.stderr)
        return 1

    print(f"{path}: {len(eager)} tensors, {len(metadata)} metadata keys")
    for key in sorted(metadata):
        value = metadata[key]
        shown = value if len(value) <= 60 else value[:57] + "..."
        print(f"  metadata {key!r}: {shown!r}")
    for name in sorted(eager):
        array = eager[name]
        if name not in lazy or not np.array_equal(lazy[name], array, equal_nan=array.dtype.kind == "f"):
            print(f"{path}: tensor {name!r} differs between safe_open and load_file", file=sys.stderr)
            return 1
        first = array.reshape(-1)[:6].tolist()
        print(f"  tensor {name!r}: dtype {array.dtype}, shape {list(array.shape)}, first values {first}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
