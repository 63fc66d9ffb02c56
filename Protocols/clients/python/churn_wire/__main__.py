"""Tiny CLI: python3 -m churn_wire {ping,hello,stats,health,upload,download} --addr HOST:PORT"""

import argparse
import os
import sys
import time

from .client import Client, WireServerError


def parse_addr(text):
    host, _, port = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="churn_wire", description="Churn wire protocol client")
    parser.add_argument("command", choices=["ping", "hello", "stats", "health", "upload", "download"])
    parser.add_argument("args", nargs="*", help="upload: FILE; download: SHA256HEX OUTFILE")
    parser.add_argument("--addr", default="127.0.0.1:7409")
    parser.add_argument("--token", default=os.environ.get("CHURN_TOKEN"))
    parser.add_argument("--count", type=int, default=1, help="pings to send")
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
    except WireServerError as error:
        print(f"server error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"connection failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
