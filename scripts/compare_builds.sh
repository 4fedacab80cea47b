#!/usr/bin/env bash
# Two builds of the program side by side (before -> after a change), alternating ABBA round by round so that a
# machine that slows down or speeds up meanwhile weighs on both alike; each run gets a fresh --output folder and
# runs under /usr/bin/time. Prints per run, then the median wall seconds, CPU seconds and peak RSS per side and after/before;
# for `bench` also the median of its step time (BENCH step_us_median) and of its lesson loop (train_loop_s).
#
#   scripts/compare_builds.sh BEFORE AFTER ROUNDS [ARGS...]
#     BEFORE, AFTER: a publish folder (holding SimpleRnnTorch) or a built SimpleRnnTorch.dll (run with dotnet)
#     ARGS: the program's arguments, run in the current folder; default the default training, --verbose 0
#   e.g. dotnet publish src/SimpleRnnTorch -c Release -r linux-x64 -p:PublishReadyToRun=true -o /tmp/after
#        scripts/compare_builds.sh /tmp/before /tmp/after 8
#        scripts/compare_builds.sh /tmp/before /tmp/after 6 --data data/nile.csv --time-column year -v 0
#        scripts/compare_builds.sh /tmp/before /tmp/after 6 bench --sizes none
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n 2,13p "$0" >&2; exit 2; }
before=$1 after=$2 rounds=$3
shift 3
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "error: ROUNDS must be a positive integer, got '$rounds'" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is missing; install it with: apt-get install time" >&2; exit 3; }
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(--verbose 0)
bench=0; [[ ${args[0]} == bench ]] && bench=1

program() {  # SIDE_PATH -> the command that runs it
    if [[ -d $1 && -x $1/SimpleRnnTorch ]]; then echo "$1/SimpleRnnTorch"
    elif [[ -f $1 && $1 == *.dll ]]; then echo "dotnet $1"
    else echo "error: '$1' is neither a publish folder with SimpleRnnTorch nor a .dll" >&2; exit 2; fi
}
cmd_before=$(program "$before")
cmd_after=$(program "$after")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "side round wall_s rss_kib cpu_s step_us train_loop_s" >"$work/results"

run() {  # SIDE ROUND
    local side=$1 round=$2 cmd out
    [[ $side == before ]] && cmd=$cmd_before || cmd=$cmd_after
    out="$work/out-$side-$round"
    local extra=(); ((bench)) || extra=(--output "$out")
    # shellcheck disable=SC2086  # cmd is "dotnet X.dll" or one path
    if ! /usr/bin/time -f "%e %M %U %S" -o "$work/time" $cmd "${args[@]}" "${extra[@]}" >"$work/stdout" 2>"$work/stderr"; then
        echo "error: the $side run failed: $cmd ${args[*]} ${extra[*]}" >&2; tail -n 3 "$work/stderr" >&2; exit 1
    fi
    local step=- loop=-
    if ((bench)); then
        read -r step loop < <(python3 -c 'import json,sys
line=[l for l in open(sys.argv[1]) if l.startswith("BENCH ")][-1]
j=json.loads(line[6:]); print(j["step_us_median"], j["train_loop_s"])' "$work/stdout")
    fi
    local wall rss user sys
    read -r wall rss user sys <"$work/time"
    echo "$side $round $wall $rss $(python3 -c "print(round($user + $sys, 2))") $step $loop" | tee -a "$work/results" >&2
    rm -rf "$out"
}

for ((round = 1; round <= rounds; round++)); do
    if ((round % 2)); then run before "$round"; run after "$round"; else run after "$round"; run before "$round"; fi
done

python3 - "$work/results" "$bench" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
bench = sys.argv[2] == "1"
cols = [("wall s", 2, 1), ("CPU s (user + sys)", 4, 1), ("peak RSS MiB", 3, 1 / 1024)] + ([("step us (median)", 5, 1), ("lesson loop s", 6, 1)] if bench else [])
# A round's own ratio cancels a load that changed between rounds; its median is printed beside the medians' ratio.
print("| measure | before | after | after/before | median of the rounds' after/before |\n|---|---:|---:|---:|---:|")
for name, i, scale in cols:
    by = {s: {r[1]: float(r[i]) * scale for r in rows if r[0] == s} for s in ("before", "after")}
    med = {s: statistics.median(v.values()) for s, v in by.items()}
    paired = statistics.median(by["after"][k] / by["before"][k] for k in by["before"])
    print(f"| {name}, median of {len(by['before'])} | {med['before']:.3f} | {med['after']:.3f} | {med['after'] / med['before']:.3f} | {paired:.3f} |")
PY
