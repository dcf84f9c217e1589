#!/usr/bin/env bash
# Soak test, outside CI: the whole pipeline under a steady load while a
# random role is killed with SIGKILL every 20-60 s.
#
# usage: scripts/soak.sh [--minutes 30] [--rate 50] [--seed 1] [--out DIR]
#
# Roles: the broker (Tansu on its SQLite file), `produce --http`, two
# `enrich` replicas in one group, the JSONL sink and the PostgreSQL sink
# (a fresh database on 127.0.0.1:5432). A client posts --rate articles a
# second (batches of ten) and retries a batch until it is answered 202; the
# ids answered 202 are the input. Each killed role is started again after
# 1-3 s. At the end the killing stops, every role runs, and the script
# waits for every input id in both outputs. The report (report.txt in
# --out, and on stderr) gives ids in and out, repeats, the enrichers' lag,
# every kill, and each role's resident memory over time (rss.tsv). It
# passes only if nothing is missing and each newsflow role's RSS at the
# end is at most 1.2 times its RSS at minute 5 (the largest sample of minutes 4-6
# against that of the last two minutes, since a role just restarted
# starts small; runs under 7 minutes gate on loss only).
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=30
rate=50
seed=1
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

. scripts/tansu.sh
install_tansu
cargo build --release -p newsflow-cli
newsflow=${CARGO_TARGET_DIR:-$PWD/target}/release/newsflow

dir=${out:-$(mktemp -d -t newsflow-soak.XXXXXX)}
mkdir -p "$dir/pids" "$dir/logs" "$dir/broker"
: >"$dir/chaos.log"
RANDOM=$seed

broker_port=$(free_port 19292)
http_port=$(free_port 18180)
enrich_a_port=$(free_port 19400)
enrich_b_port=$(free_port $((enrich_a_port + 1)))
database="newsflow_soak_$$"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $database" postgres
postgres_url="postgres://postgres@127.0.0.1:5432/$database"
export NEWSFLOW_BROKERS=127.0.0.1:$broker_port

roles=(broker produce enrich-a enrich-b sink-jsonl sink-postgres)
start() {
    local role=$1 log="$dir/logs/$1.log"
    case "$role" in
        broker) (cd "$dir/broker" && exec "$tansu" broker \
                    --listener-url "tcp://127.0.0.1:$broker_port" \
                    --advertised-listener-url "tcp://127.0.0.1:$broker_port" \
                    --storage-engine "sqlite://tansu.db") >>"$log" 2>&1 & ;;
        produce) "$newsflow" produce --http "127.0.0.1:$http_port" >>"$log" 2>&1 & ;;
        enrich-a) "$newsflow" enrich --http "127.0.0.1:$enrich_a_port" >>"$log" 2>&1 & ;;
        enrich-b) "$newsflow" enrich --http "127.0.0.1:$enrich_b_port" >>"$log" 2>&1 & ;;
        sink-jsonl) "$newsflow" sink --group soak-jsonl --to "jsonl:$dir/out" >>"$log" 2>&1 & ;;
        sink-postgres) "$newsflow" sink --group soak-postgres --to "$postgres_url" >>"$log" 2>&1 & ;;
    esac
    echo $! >"$dir/pids/$role"
}
pid_of() { cat "$dir/pids/$1"; }

cleanup() {
    [ -n "${client_pid:-}" ] && kill "$client_pid" 2>/dev/null
    # The broker last, so that the others can leave their groups.
    for role in sink-postgres sink-jsonl enrich-b enrich-a produce broker; do
        kill "$(pid_of "$role")" 2>/dev/null || true
        [ "$role" = enrich-a ] && sleep 12
    done
    [ -n "${sampler_pid:-}" ] && kill "$sampler_pid" 2>/dev/null
    wait 2>/dev/null || true
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $database" postgres || true
}
trap cleanup EXIT

start broker
for _ in $(seq 1 100); do port_is_open "$broker_port" && break; sleep 0.2; done
for role in produce enrich-a enrich-b sink-jsonl sink-postgres; do start "$role"; done
for _ in $(seq 1 100); do port_is_open "$http_port" && break; sleep 0.2; done

# Resident memory of every role each 5 s (whichever process is the role's now).
(
    echo -e "second\trole\trss_kb"
    t0=$SECONDS
    while true; do
        for role in "${roles[@]}"; do
            rss=$(awk '/^VmRSS/ {print $2}' "/proc/$(pid_of "$role")/status" 2>/dev/null || true)
            [ -n "$rss" ] && echo -e "$((SECONDS - t0))\t$role\t$rss"
        done
        sleep 5
    done
) >"$dir/rss.tsv" &
sampler_pid=$!

# The client: batches of ten, retried until answered 202.
python3 - "$http_port" "$rate" "$dir/acked.txt" <<'PY' &
import http.client, json, sys, time
port, rate, path = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
out = open(path, "w")
n, interval = 0, 10 / rate
next_at = time.monotonic()
while True:
    batch = []
    for _ in range(10):
        n += 1
        batch.append({"title": f"Soak article {n}",
                      "body": f"Article {n} of the soak test. Ministers met in Lisbon on "
                              "Monday and the central bank kept interest rates unchanged.",
                      "url": f"https://soak.example.org/{n}"})
    body = json.dumps(batch)
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("POST", "/v1/articles", body, {"Content-Type": "application/json"})
            r = c.getresponse()
            answer = r.read()
            c.close()
            if r.status == 202:
                for i in json.loads(answer)["ids"]:
                    out.write(i + "\n")
                out.flush()
                break
        except OSError:
            pass
        time.sleep(0.5)
    next_at += interval
    time.sleep(max(0.0, next_at - time.monotonic()))
PY
client_pid=$!

# Chaos: a random role killed every 20-60 s, started again 1-3 s later.
end=$((SECONDS + minutes * 60))
kills=0
while true; do
    wait_s=$((20 + RANDOM % 41))
    [ $((SECONDS + wait_s)) -ge "$end" ] && break
    sleep "$wait_s"
    role=${roles[$((RANDOM % ${#roles[@]}))]}
    kill -9 "$(pid_of "$role")" 2>/dev/null || true
    kills=$((kills + 1))
    echo "$SECONDS s: kill -9 $role" >>"$dir/chaos.log"
    sleep $((1 + RANDOM % 3))
    start "$role"
done
sleep $((end > SECONDS ? end - SECONDS : 0))
kill "$client_pid"
wait "$client_pid" 2>/dev/null || true
client_pid=""

# Every role running, then wait for every acknowledged id in both outputs.
for role in "${roles[@]}"; do
    kill -0 "$(pid_of "$role")" 2>/dev/null || { echo "$SECONDS s: $role had exited; started" >>"$dir/chaos.log"; start "$role"; }
done
sort -u "$dir/acked.txt" >"$dir/acked.sorted"
acked=$(wc -l <"$dir/acked.sorted")
deadline=$((SECONDS + 900))
while [ "$SECONDS" -lt "$deadline" ]; do
    in_pg=$(psql -h 127.0.0.1 -U postgres -Atc "SELECT count(*) FROM articles" "$database" 2>/dev/null || echo 0)
    in_jsonl=$( (cat "$dir"/out/*.jsonl 2>/dev/null || true) | python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in sys.stdin if l.strip()}))')
    [ "$in_pg" -ge "$acked" ] && [ "$in_jsonl" -ge "$acked" ] && break
    sleep 10
done
psql -h 127.0.0.1 -U postgres -Atc "SELECT id FROM articles" "$database" | sort >"$dir/postgres-ids.txt"
lag=$(for p in "$enrich_a_port" "$enrich_b_port"; do curl -s "http://127.0.0.1:$p/metrics"; done |
    awk '/^newsflow_consumer_lag/ {s += $NF} END {print s + 0}')

python3 - "$dir" "$kills" "$lag" "$minutes" <<'PY' | tee "$dir/report.txt" >&2
import json, pathlib, sys
d, kills, lag, minutes = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
acked = set(d.joinpath("acked.sorted").read_text().split())
rows, seen = 0, set()
for f in sorted(d.joinpath("out").glob("*.jsonl")):
    for line in f.read_text().splitlines():
        if line.strip():
            rows += 1
            seen.add(json.loads(line)["id"])
pg = set(d.joinpath("postgres-ids.txt").read_text().split())
print(f"soak: {minutes} min, {kills} kills (chaos.log)")
print(f"ids acknowledged (202): {len(acked)}")
print(f"JSONL: {rows} rows, {len(seen)} distinct ids, {rows - len(seen)} repeats, {len(acked - seen)} acknowledged ids missing")
print(f"PostgreSQL: {len(pg)} rows, {len(acked - pg)} acknowledged ids missing")
print(f"enrichers' lag at the end: {lag}")
rss = {}
for line in d.joinpath("rss.tsv").read_text().splitlines()[1:]:
    t, role, kb = line.split("\t")
    rss.setdefault(role, []).append((int(t), int(kb)))
ok = not (acked - seen) and not (acked - pg)
# A role killed just before a sample starts small again, so each figure is
# the largest sample of a window: minutes 4-6, and the last two minutes
# of the chaos.
end = minutes * 60
print("role\tRSS at minute 5 (MB)\tRSS at the end (MB)\tmax (MB)\tratio")
for role, samples in sorted(rss.items()):
    at5 = max([k for t, k in samples if 240 <= t <= 360] or [samples[0][1]])
    last = max([k for t, k in samples if end - 120 <= t <= end] or [samples[-1][1]])
    ratio = last / at5
    # The broker is Tansu, which keeps every record in its SQLite file and
    # grows with it: reported, not gated.
    gated = role != "broker" and end >= 420
    ok = ok and (ratio <= 1.2 or not gated)
    note = "\t(Tansu, not gated)" if role == "broker" else ""
    print(f"{role}\t{at5 / 1024:.1f}\t{last / 1024:.1f}\t{max(k for _, k in samples) / 1024:.1f}\t{ratio:.2f}{note}")
if end < 420:
    print("(memory not gated: minute 5 and the last two minutes overlap below 7 minutes)")
print("PASS" if ok else "FAIL")
PY
grep -q "^PASS" "$dir/report.txt"
