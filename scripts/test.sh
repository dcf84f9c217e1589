#!/usr/bin/env bash
# The test command: starts a real Kafka-compatible broker (Tansu on its
# SQLite storage) on a free port with a fresh database, runs the whole test
# suite against it, and stops it. Installs Tansu first if it is missing
# (about 20 minutes on 2 cores; cached under $NEWSFLOW_CACHE afterwards).
#
#   scripts/test.sh                  # everything
#   scripts/test.sh -p newsflow-core # extra arguments go to `cargo test`
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/tansu.sh
install_tansu
port=$(free_port 19092)

broker_dir=$(mktemp -d -t newsflow-tansu.XXXXXX)
(
    cd "$broker_dir"
    exec "$tansu" broker \
        --listener-url "tcp://127.0.0.1:$port" \
        --advertised-listener-url "tcp://127.0.0.1:$port" \
        --storage-engine "sqlite://tansu.db"
) >"$broker_dir/tansu.log" 2>&1 &
broker_pid=$!
stop_broker() {
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
    if [ "${KEEP_BROKER_LOG:-}" = "" ]; then rm -rf "$broker_dir"; else echo "broker log: $broker_dir/tansu.log" >&2; fi
}
trap stop_broker EXIT

for _ in $(seq 1 100); do
    port_is_open "$port" && break
    kill -0 "$broker_pid" 2>/dev/null || { cat "$broker_dir/tansu.log" >&2; exit 1; }
    sleep 0.2
done
port_is_open "$port" || { echo "test.sh: tansu did not start" >&2; cat "$broker_dir/tansu.log" >&2; exit 1; }
echo "test.sh: tansu $tansu_version listening on 127.0.0.1:$port" >&2

export NEWSFLOW_TEST_BROKERS="127.0.0.1:$port"
# The authentication test starts a broker of its own with this.
export NEWSFLOW_TEST_TANSU="$tansu"
cargo build -p newsflow-cli
# Show what tests print (the crash test reports its duplicate count).
RUST_TEST_NOCAPTURE=1 cargo test --workspace "$@"
