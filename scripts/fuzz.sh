#!/usr/bin/env bash
# Fuzzes newsflow's readers of outside input with cargo fuzz (libFuzzer).
# Not part of CI: a full run takes about an hour on two cores.
#
# usage: scripts/fuzz.sh [--runs N] [target ...]
#
# Targets (fuzz/fuzz_targets/): raw_article, annotate, feed, ingest_body,
# config_toml; all of them by default. Each runs N executions (default
# 1,000,000) from a corpus kept under ~/.cache/newsflow/fuzz-corpus and
# seeded from the bundled samples and fuzz/seeds/. The time limit is 1 s
# per input, and inputs are at most 1 MiB (64 KiB for the enrichment,
# see below), so no input may take longer than a second per megabyte.
# A crash, hang or out-of-memory stops the
# target with the input saved under fuzz/artifacts/; make it a regression
# test. The last line of each target's log says how many runs it did.
#
# The stable toolchain runs cargo fuzz with RUSTC_BOOTSTRAP=1. The build
# uses no sanitizer: newsflow's own code has no `unsafe`, and what the
# fuzzer looks for here is panics, hangs and unbounded memory, which a
# sanitizer would only slow down. Debug assertions (overflow checks) stay on.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=1000000
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(raw_article annotate feed ingest_body config_toml)

cache="$HOME/.cache/newsflow"
fuzz_version=0.13.1
cargo_fuzz="$cache/cargo-fuzz-$fuzz_version/bin/cargo-fuzz"
if [ ! -x "$cargo_fuzz" ]; then
    cargo install cargo-fuzz --version "$fuzz_version" --locked \
        --root "$cache/cargo-fuzz-$fuzz_version" --target-dir "$cache/cargo-fuzz-build"
fi
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$cache/fuzz-target"

# Seeds: the bundled articles as text, as RawArticle JSON, as JSON lines.
seed_corpus() {
    local target="$1" dir="$cache/fuzz-corpus/$1"
    mkdir -p "$dir"
    [ -d "fuzz/seeds/$target" ] && cp fuzz/seeds/"$target"/* "$dir"/
    python3 - "$target" "$dir" samples/*.txt <<'PY'
import json, pathlib, sys
target, out, files = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
articles = []
for f in files:
    title, _, body = pathlib.Path(f).read_text().partition("\n")
    articles.append({"title": title, "body": body.strip(), "url": "https://example.org/" + pathlib.Path(f).stem})
for i, a in enumerate(articles):
    if target == "annotate":
        (out / f"sample-{i}.txt").write_text(a["title"] + "\n" + a["body"])
    elif target == "raw_article":
        (out / f"sample-{i}.json").write_text(json.dumps(a, ensure_ascii=False))
    elif target == "ingest_body":
        # first byte: odd = JSON lines, even = JSON
        (out / f"sample-{i}.json").write_text("0" + json.dumps(a, ensure_ascii=False))
if target == "ingest_body":
    (out / "lines.jsonl").write_text("1" + "\n".join(json.dumps(a, ensure_ascii=False) for a in articles))
    (out / "array.json").write_text("0" + json.dumps(articles, ensure_ascii=False))
PY
}

status=0
for target in "${targets[@]}"; do
    seed_corpus "$target"
    log="$cache/fuzz-logs/$target.log"
    mkdir -p "$(dirname "$log")"
    echo "fuzz.sh: $target, $runs runs (log: $log)" >&2
    # 1 s per MB of input: the coverage-instrumented build with debug
    # assertions runs the enrichment several times slower than a release
    # build, and large inputs cut its rate to a few dozen runs a second, so
    # its inputs stop at 64 KiB. The release build's time on pages of up to
    # 1 MB is measured apart (docs/robustness.md).
    max_len=1048576
    [ "$target" = annotate ] && max_len=65536
    if "$cargo_fuzz" run --release --debug-assertions --sanitizer none "$target" "$cache/fuzz-corpus/$target" -- \
        -runs="$runs" -timeout=1 -max_len="$max_len" -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1; then
        grep -E '^Done [0-9]+ runs' "$log" | sed "s/^/$target: /" >&2 || true
    else
        status=1
        echo "fuzz.sh: $target FAILED; the input is under fuzz/artifacts/$target/" >&2
        tail -n 40 "$log" | cut -c1-300 >&2
    fi
done
exit "$status"
