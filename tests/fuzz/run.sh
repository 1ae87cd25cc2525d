#!/usr/bin/env bash
# Runs libFuzzer targets built by the `fuzz` preset, one after the other, each for SECONDS on a
# working copy of its committed corpus (tests/fuzz/<target>/corpus is never written to).
#
#   tests/fuzz/run.sh [-r RUNS] SECONDS BUILD_DIR TARGET...
#
# With -r the run stops after RUNS executions instead (SECONDS is then only an upper bound).
# A crash, leak, sanitizer report or timeout fails the run: the reproducer is copied to
# build/<preset>/fuzz-artifacts/<target>/ and the command to replay it is printed. New inputs the
# fuzzer found stay in build/<preset>/fuzz-corpus/<target>/ for the next run to start from
# (merge interesting ones into the committed corpus with -merge=1 by hand).
set -euo pipefail

runs=-1
if [ "${1:-}" = "-r" ]; then
    runs=$2
    shift 2
fi
if [ $# -lt 3 ]; then
    echo "usage: $0 [-r RUNS] SECONDS BUILD_DIR TARGET..." >&2
    exit 2
fi
seconds=$1
build=$2
shift 2
source_dir="$(cd "$(dirname "$0")" && pwd)"

failed=()
for target in "$@"; do
    exe="$build/tests/fuzz/fuzz_$target"
    [ -x "$exe" ] || { echo "no fuzz target $exe (build it with: cmake --build --preset fuzz)" >&2; exit 2; }
    work="$build/fuzz-corpus/$target"
    artifacts="$build/fuzz-artifacts/$target"
    mkdir -p "$work" "$artifacts"
    cp -n "$source_dir/$target/corpus/"* "$work/" 2>/dev/null || true
    dict=()
    [ -f "$source_dir/$target/$target.dict" ] && dict=("-dict=$source_dir/$target/$target.dict")
    log="$artifacts/last-run.log"
    echo "== fuzz_$target: ${seconds}s$([ "$runs" -ge 0 ] && echo ", at most $runs runs") on $(ls "$work" | wc -l) inputs"
    start=$(date +%s)
    # -rss_limit_mb: every target reads its input in bounded memory; 2 GB would hide a leak.
    if LC_ALL=C.UTF-8 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$exe" "$work" "${dict[@]}" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=1024 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1; then
        execs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
        echo "   ok: ${execs:-?} executions in $(( $(date +%s) - start ))s, corpus $(ls "$work" | wc -l) inputs"
    else
        echo "   FAILED (log: $log)"
        grep -E 'ERROR: |runtime error|invariant failed|SUMMARY|Test unit written' "$log" | head -20 | sed 's/^/   /'
        echo "   replay: $exe $artifacts/<crash-file>"
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
