#!/usr/bin/env bash
# Run every fuzz target (or those named) for RUNS executions each (default 10^6), one at a
# time, then minimise the committed seed corpus. Needs nightly and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: fuzz/run.sh [TARGET...]          RUNS=100000 fuzz/run.sh number
# New inputs go to fuzz/corpus-work/TARGET (not committed); crashes to fuzz/artifacts/TARGET.
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-1000000}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
for t in "${targets[@]}"; do
    mkdir -p "corpus-work/$t" "corpus/$t"
    echo "== $t: $RUNS runs"
    cargo +nightly fuzz run --sanitizer none --debug-assertions "$t" "corpus-work/$t" "corpus/$t" -- \
        -runs="$RUNS" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=4096 \
        -print_final_stats=1 2>&1 | tee "corpus-work/$t.log" | grep -E "^(Done|stat::|==|INFO: Running|.*(crash|timeout|oom|leak))" || true
    # Minimise: a small set of inputs covering the same edges (set cover, hit counts ignored)
    # replaces the seed corpus.
    rm -rf "corpus-work/$t.min" && mkdir -p "corpus-work/$t.min"
    cargo +nightly fuzz run --sanitizer none --debug-assertions "$t" "corpus-work/$t.min" \
        "corpus/$t" "corpus-work/$t" -- -set_cover_merge=1 -use_counters=0 -max_len=4096 \
        > "corpus-work/$t.merge.log" 2>&1
    rm -rf "corpus/$t" && mv "corpus-work/$t.min" "corpus/$t"
    echo "   corpus: $(ls "corpus/$t" | wc -l) files, $(du -sh "corpus/$t" | cut -f1)"
done
