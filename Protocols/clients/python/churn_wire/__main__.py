"""Tiny CLI: python3 -m churn_wire {ping,hello,stats,health,upload,download,predict,model-info,reload}
--addr HOST:PORT"""

import argparse
import json
import os
import sys
import time

from . import predictor
from .client import Client, WireServerError


def parse_addr(text):
    host, _, port = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="churn_wire", description="Churn wire protocol client")
    parser.add_argument("command", choices=["ping", "hello", "stats", "health", "upload", "download", "predict",
                                            "model-info", "reload"])
    parser.add_argument("args", nargs="*", help="upload: FILE; download: SHA256HEX OUTFILE")
    parser.add_argument("--addr", default="127.0.0.1:7409")
    parser.add_argument("--token", default=os.environ.get("CHURN_TOKEN"))
    parser.add_argument("--count", type=int, default=1, help="pings to send")
    parser.add_argument("--row", help="predict: one customer as a JSON object")
    parser.add_argument("--input", help="predict: a CSV file of customers")
    parser.add_argument("--explain", type=int, default=0, help="predict: top-k factors per row")
    parser.add_argument("--unseen", choices=sorted(predictor.UNSEEN_NAMES), default="model")
    parser.add_argument("--json", action="store_true", help="predict: print JSON")
    options = parser.parse_args(argv)
    host, port = parse_addr(options.addr)
    try:
        with Client(host, port, token=options.token) as client:
            if options.command == "ping":
                for i in range(options.count):
                    start = time.perf_counter()
                    client.ping(i)
                    print(f"pong {i} from {client.hello.role} in {(time.perf_counter() - start) * 1e6:.0f} us")
            elif options.command == "hello":
                print(client.hello)
            elif options.command == "stats":
                print(client.stats())
            elif options.command == "health":
                print(client.health())
            elif options.command == "upload":
                with open(options.args[0], "rb") as f:
                    print(client.upload_blob(os.path.basename(options.args[0]), f.read()).hex())
            elif options.command == "download":
                data = client.download_blob(bytes.fromhex(options.args[0]))
                with open(options.args[1], "wb") as f:
                    f.write(data)
                print(f"{len(data)} bytes")
            elif options.command == "predict":
                if (options.row is None) == (options.input is None):
                    parser.error("predict needs exactly one of --row or --input")
                if options.row is not None:
                    columns = predictor.columns_from_rows([json.loads(options.row)])
                else:
                    columns = predictor.columns_from_csv(options.input)
                response = client.predict(columns=columns, explain=options.explain, unseen=options.unseen)
                rows = response.rows()
                if options.json:
                    print(json.dumps({"model": response.model, "version": response.version,
                                      "threshold": response.threshold, "predictions": rows,
                                      "warnings": [vars(w) for w in response.warnings]}, indent=2))
                else:
                    for i, row in enumerate(rows):
                        prefix = "" if len(rows) == 1 else f"row {i}: "
                        verdict = "churn" if row["label"] else "stay"
                        print(f"{prefix}probability {row['probability']:.4f}  ->  {verdict}")
                        for column, value in row.get("factors", []):
                            print(f"    {value:+.4f}  {column}")
                    for w in response.warnings:
                        print(f"warning: {w}", file=sys.stderr)
                    print(f"answered by {response.model} {response.version}", file=sys.stderr)
            elif options.command == "model-info":
                print(client.model_info())
            elif options.command == "reload":
                print(client.reload_model())
    except WireServerError as error:
        print(f"server error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"connection failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
