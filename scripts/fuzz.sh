#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the parsers of untrusted bytes (docs/reliability.md):
#   FuzzWireFrames  the wire frame decoder and every message body decoder (fuzz/Sources/FuzzWireFrames)
#   FuzzCSV         the CSV reader and schema inference (fuzz/Sources/FuzzCSV)
# Builds the fuzz package (fuzz/, debug, -sanitize=fuzzer,address) into .build/fuzz, seeds each
# corpus from the protocol's byte vectors (Protocols/vectors) and from data/customers.csv plus
# hand-made malformed CSVs, and runs each target for SECONDS (default 60). Fails on any crash, trap,
# leak or sanitizer report; the crashing input is kept in .build/fuzz/findings/.
#
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
BUILD=".build/fuzz"
SANITIZERS="${FUZZ_SANITIZERS:-fuzzer,address}"
mkdir -p "$BUILD/findings"
start=$(date +%s)
swift build --package-path fuzz --scratch-path "$BUILD/scratch" -c debug \
  -Xswiftc "-sanitize=$SANITIZERS" > "$BUILD/build.log" 2>&1 \
  || { tail -40 "$BUILD/build.log"; echo "fuzz: build failed"; exit 1; }
BIN="$(swift build --package-path fuzz --scratch-path "$BUILD/scratch" -c debug --show-bin-path)"
echo "fuzz: built in $(( $(date +%s) - start )) s"

# Seed corpora (regenerated each run; libFuzzer adds what it finds to the work copies).
FRAMES="$BUILD/corpus/frames"; CSV="$BUILD/corpus/csv"
rm -rf "$FRAMES" "$CSV"; mkdir -p "$FRAMES" "$CSV"
python3 - "$FRAMES" Protocols/vectors/*.hex Protocols/vectors/predictor/*.hex <<'PY'
import os, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    if not os.path.isfile(path):
        continue
    text = "".join(line for line in open(path) if not line.startswith("#"))
    data = bytes.fromhex("".join(text.split()))
    open(os.path.join(out, os.path.basename(path)[:-4] + ".bin"), "wb").write(data)
PY
head -40 data/customers.csv > "$CSV/customers-head.csv"
printf 'a,b,target\n1,"x ""quoted""",yes\n2,,no\r\n3,"multi\nline",yes\n' > "$CSV/quotes.csv"
printf '\xef\xbb\xbfid,score,label\n1,0.5,1\n2,1e3,0\n3,NaN,1\n4,-7,0\n' > "$CSV/bom-numbers.csv"
printf 'x,y\n1,2\n3\n' > "$CSV/ragged.csv"
# Dialects: delimiters, a decimal comma, UTF-16 with and without a byte-order mark, gzip.
printf 'a;b;Exited\n1,5;"x;y";1\n2;z;0\n' > "$CSV/semicolon-decimal-comma.csv"
printf 'a\tb|c\tExited\n1\t2\t1\n' > "$CSV/tab.csv"
printf 'a|b|Exited\n1|2|1\n3|4|0\n' > "$CSV/pipe.csv"
printf 'a;b\r\n1;2\r\n' | iconv -f UTF-8 -t UTF-16 > "$CSV/utf16.csv" 2>/dev/null || true
printf 'a,b\n1,2\n' | iconv -f UTF-8 -t UTF-16LE > "$CSV/utf16le-unmarked.csv" 2>/dev/null || true
head -20 data/customers.csv | gzip -n > "$CSV/customers-head.csv.gz"
printf 'x,"y\n1,2\n' > "$CSV/unclosed.csv"

status=0
for target in FuzzWireFrames FuzzCSV; do
  corpus="$FRAMES"; [ "$target" = FuzzCSV ] && corpus="$CSV"
  log="$BUILD/$target.log"
  if "$BIN/$target" "$corpus" -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$BUILD/findings/$target-" > "$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corpus_size=$(ls "$corpus" | wc -l)
    echo "fuzz: $target ok: ${runs:-?} inputs in $SECONDS_EACH s, coverage ${cov:-?} edges, corpus $corpus_size"
  else
    status=1
    echo "fuzz: $target FAILED (see $log):"
    grep -E 'ERROR|SUMMARY|Fatal|Test unit written' "$log" | head -10
  fi
done
echo "fuzz: finished in $(( $(date +%s) - start )) s"
if [ "$status" -ne 0 ]; then echo "fuzz: 0 passed, 1 failed"; exit 1; fi
