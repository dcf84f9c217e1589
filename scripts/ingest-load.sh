#!/usr/bin/env bash
# HTTP ingest under load, outside CI: wrk posts one new article per request
# to `newsflow produce --http` from many connections; then the articles go
# through enrich and the JSONL sink, and every id answered 202 is looked
# for in the output.
#
# usage: scripts/ingest-load.sh [--clients 50] [--seconds 60]
#                               [--queue-messages N] [--out DIR]
#
# --queue-messages caps librdkafka's producer queue
# (queue.buffering.max.messages) so that the queue fills and the endpoint
# must answer 503 with Retry-After. The report (report.txt in --out, and on
# stderr) gives the answers by status, latency, the producer's resident
# memory each second, and the 202 ids missing from the output (must be 0).
# Needs wrk (Debian package `wrk`), Tansu (installed as scripts/test.sh
# does) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=50
seconds=60
queue=""
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --clients) clients="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --queue-messages) queue="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "ingest-load.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "ingest-load.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }

. scripts/tansu.sh
install_tansu
cargo build --release -p newsflow-cli
newsflow=$PWD/target/release/newsflow
[ -n "${CARGO_TARGET_DIR:-}" ] && newsflow=$CARGO_TARGET_DIR/release/newsflow

dir=${out:-$(mktemp -d -t newsflow-load.XXXXXX)}
mkdir -p "$dir"
rm -f "$dir"/ids-*.txt

wait_port() {
    for _ in $(seq 1 150); do
        port_is_open "$1" && return 0
        sleep 0.2
    done
    echo "ingest-load.sh: nothing listens on $1" >&2
    return 1
}

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

broker_port=$(free_port 19192)
mkdir -p "$dir/broker"
(cd "$dir/broker" && exec "$tansu" broker \
    --listener-url "tcp://127.0.0.1:$broker_port" \
    --advertised-listener-url "tcp://127.0.0.1:$broker_port" \
    --storage-engine "sqlite://tansu.db") >"$dir/broker.log" 2>&1 &
pids+=($!)
wait_port "$broker_port"
export NEWSFLOW_BROKERS=127.0.0.1:$broker_port

http_port=$(free_port 18080)
extra=()
[ -n "$queue" ] && extra=(-X "queue.buffering.max.messages=$queue")
"$newsflow" produce --http "127.0.0.1:$http_port" "${extra[@]}" >"$dir/produce.log" 2>&1 &
produce_pid=$!
pids+=("$produce_pid")
wait_port "$http_port"

# The producer's resident memory, once a second, until it exits.
(
    echo -e "second\trss_kb"
    t=0
    while rss=$(awk '/^VmRSS/ {print $2}' "/proc/$produce_pid/status" 2>/dev/null) && [ -n "$rss" ]; do
        echo -e "$t\t$rss"
        t=$((t + 1))
        sleep 1
    done
) >"$dir/rss.tsv" &
pids+=($!)

LOAD_DIR="$dir" wrk -t2 -c"$clients" -d"${seconds}s" --timeout 30s \
    -s scripts/ingest-load.lua "http://127.0.0.1:$http_port" >"$dir/wrk.txt" 2>&1
peak_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$produce_pid/status")
metrics=$(curl -s "http://127.0.0.1:$http_port/metrics" | grep '^newsflow_ingest' || true)
kill "$produce_pid"
wait "$produce_pid" || true

cat "$dir"/ids-*.txt | sort >"$dir/accepted.txt"
accepted=$(wc -l <"$dir/accepted.txt")

# Through the pipeline: every id answered 202 must come out.
"$newsflow" enrich >"$dir/enrich.log" 2>&1 &
pids+=($!)
"$newsflow" sink --to "jsonl:$dir/out" >"$dir/sink.log" 2>&1 &
pids+=($!)
deadline=$((SECONDS + 900))
found=0
while [ "$SECONDS" -lt "$deadline" ]; do
    found=$( (cat "$dir"/out/*.jsonl 2>/dev/null || true) | wc -l)
    [ "$found" -ge "$accepted" ] && break
    sleep 5
done
sleep 5
python3 - "$dir" >"$dir/compare.txt" <<'PY'
import json, pathlib, sys
d = pathlib.Path(sys.argv[1])
accepted = set(d.joinpath("accepted.txt").read_text().split())
seen, rows = set(), 0
for f in sorted(d.joinpath("out").glob("*.jsonl")):
    for line in f.read_text().splitlines():
        if line.strip():
            rows += 1
            seen.add(json.loads(line)["id"])
print(f"ids answered 202: {len(accepted)}")
print(f"output rows: {rows} ({len(seen)} distinct ids, {rows - len(seen)} repeats)")
print(f"ids answered 202 missing from the output: {len(accepted - seen)}")
PY

{
    echo "ingest load: $clients connections for $seconds s${queue:+, producer queue capped at $queue messages}"
    grep -E "Requests/sec|requests in|Socket errors|Non-2xx" "$dir/wrk.txt" || true
    grep -E "^status|^503|^latency" "$dir/wrk.txt" || true
    echo "$metrics"
    awk -F'\t' 'NR > 1 { if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2; last = $2 }
        END { printf "producer RSS: min %.1f MB, max %.1f MB, last %.1f MB\n", min / 1024, max / 1024, last / 1024 }' "$dir/rss.tsv"
    echo "producer peak RSS (VmHWM): $((peak_kb / 1024)) MB"
    cat "$dir/compare.txt"
} | tee "$dir/report.txt" >&2
grep -q "missing from the output: 0$" "$dir/compare.txt"
