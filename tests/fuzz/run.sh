#!/usr/bin/env bash
# Runs libFuzzer targets built by the `fuzz` preset, each for SECONDS on a working copy of its
# committed corpus (tests/fuzz/<target>/corpus is never written to), JOBS of them at a time.
#
#   tests/fuzz/run.sh [-r RUNS] [-j JOBS] SECONDS BUILD_DIR TARGET...
#
# With -r the run stops after RUNS executions instead (SECONDS is then only an upper bound).
# With -j that many targets run side by side (default 1), each a single process on its own core:
# each still gets its SECONDS, and the reports come out in the order the targets were given.
# A crash, leak, sanitizer report or timeout fails the run: the reproducer is copied to
# build/<preset>/fuzz-artifacts/<target>/ and the command to replay it is printed. New inputs the
# fuzzer found stay in build/<preset>/fuzz-corpus/<target>/ for the next run to start from
# (merge interesting ones into the committed corpus with -merge=1 by hand).
set -euo pipefail

runs=-1
jobs=1
while [ "${1:-}" = "-r" ] || [ "${1:-}" = "-j" ]; do
    case $1 in
        -r) runs=$2 ;;
        -j) jobs=$2 ;;
    esac
    shift 2
done
if [ $# -lt 3 ] || ! [ "$jobs" -ge 1 ] 2>/dev/null; then
    echo "usage: $0 [-r RUNS] [-j JOBS] SECONDS BUILD_DIR TARGET..." >&2
    exit 2
fi
seconds=$1
build=$2
shift 2
source_dir="$(cd "$(dirname "$0")" && pwd)"
# A target named twice runs once (two runs side by side would share its corpus and its report).
targets=()
for target in "$@"; do
    [[ " ${targets[*]} " == *" $target "* ]] || targets+=("$target")
done
set -- "${targets[@]}"

# One target: its report goes to $artifacts/last-run.summary, its status is the exit code.
fuzz_one() {
    local target=$1
    local exe="$build/tests/fuzz/fuzz_$target"
    local work="$build/fuzz-corpus/$target"
    local artifacts="$build/fuzz-artifacts/$target"
    local summary="$artifacts/last-run.summary"
    local log="$artifacts/last-run.log"
    mkdir -p "$work" "$artifacts"
    cp -n "$source_dir/$target/corpus/"* "$work/" 2>/dev/null || true
    local dict=()
    [ -f "$source_dir/$target/$target.dict" ] && dict=("-dict=$source_dir/$target/$target.dict")
    echo "== fuzz_$target: ${seconds}s$([ "$runs" -ge 0 ] && echo ", at most $runs runs") on $(ls "$work" | wc -l) inputs" >"$summary"
    local start
    start=$(date +%s)
    # -rss_limit_mb: every target reads its input in bounded memory; 2 GB would hide a leak.
    # quarantine_size_mb=64: freed memory is held back from reuse (so a use after free is caught)
    # for 64 MB of frees instead of 256. One execution frees far less than that, and the default
    # made every target touch new pages all the time: 1.0x to 1.7x the executions per second.
    # malloc_context_size=2: ASan records 2 frames of each allocation's and free's stack instead of
    # 30 (only what a report prints about where memory was allocated or freed; what is caught is
    # the same, and the faulting access keeps its whole stack). ASan walks frame pointers there,
    # and Debian's Qt is built without them, so the frames past the first two were often junk:
    # every execution stored new "stacks", which grew the process by ~80 bytes per execution
    # and made storing them a third of a long sigv4 run's time. Replay a reproducer by hand for
    # the full allocation stacks.
    if LC_ALL=C.UTF-8 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0:quarantine_size_mb=64:malloc_context_size=2 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$exe" "$work" "${dict[@]}" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=1024 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1; then
        local execs
        execs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
        echo "   ok: ${execs:-?} executions in $(( $(date +%s) - start ))s, corpus $(ls "$work" | wc -l) inputs" >>"$summary"
        return 0
    fi
    {
        echo "   FAILED (log: $log)"
        grep -E 'ERROR: |runtime error|invariant failed|SUMMARY|Test unit written' "$log" | head -20 | sed 's/^/   /'
        echo "   replay: $exe $artifacts/<crash-file>"
    } >>"$summary"
    return 1
}

for target in "$@"; do
    exe="$build/tests/fuzz/fuzz_$target"
    [ -x "$exe" ] || { echo "no fuzz target $exe (build it with: cmake --build --preset fuzz)" >&2; exit 2; }
done

# Up to $jobs targets at a time; each writes its status (0: clean) next to its report.
running=0
for target in "$@"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    status="$build/fuzz-artifacts/$target/last-run.status"
    mkdir -p "$(dirname "$status")"
    echo 1 >"$status"
    (if fuzz_one "$target"; then echo 0 >"$status"; fi) &
    running=$((running + 1))
done
wait

failed=()
for target in "$@"; do
    cat "$build/fuzz-artifacts/$target/last-run.summary"
    [ "$(cat "$build/fuzz-artifacts/$target/last-run.status")" = 0 ] || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
