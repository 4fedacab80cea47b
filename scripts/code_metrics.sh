#!/usr/bin/env bash
# Measures the structure of src/SimpleRnnTorch for a before -> after comparison of a redesign:
#   1. the source files a default run executes: the lesson (--epochs 30) and a series (data/nile.csv), each run
#      with the JIT's method summary (DOTNET_JitDisasmSummary); every jitted method of a SimpleRnnTorch.* type
#      (and the top-level Program) is mapped to the .cs file that declares its outermost type. A Debug build
#      jits every method it calls (no ReadyToRun, no inlining), so nothing is hidden; enums, interfaces and
#      constants run no code of their own and are not counted. Tiered compilation is off for these runs
#      (DOTNET_TieredCompilation=0): with it on, the JIT's log file sometimes aborts the process at exit
#      ("free(): invalid pointer"); the methods listed are the same;
#   2. the top-level folders that import each other, by `using SimpleRnnTorch.X`, by qualified names
#      (SimpleRnnTorch.X.T, X.T), by a root type or a type of the file's own namespace used by name, and by a
#      file whose namespace is not its folder's (also counted on their own);
#   3. the places outside a source's own files that ask which source a job has (the names below);
#   4. lines of src/SimpleRnnTorch/**/*.cs and of its Cli folder.
#   scripts/code_metrics.sh [-v] [CHECKOUT]   # CHECKOUT: default this repository; build it first (dotnet build)
#   APP=path/to/SimpleRnnTorch.dll scripts/code_metrics.sh   # another build than CHECKOUT's bin/Debug/net10.0
# -v also lists the files executed, why each pair of folders depends on each other, and each place of 3.
set -euo pipefail
# What 3 looks for; edit to follow a redesign. Type tests (is, is not, as, casts, case, switch arms) on these:
SOURCE_TYPES="LessonData AddingData SeriesData"
OUTCOME_TYPES="LessonOutcome AddingScore AddingOutcome SeriesOutcome SeriesForecastOutcome"
KIND_NAMES="SourceKind"   # every occurrence counts
# A source's own files (globs under src/SimpleRnnTorch), where those questions are not counted; the files that
# declare the types above are added to them.
OWN_FILES="Sources/LessonData.cs Sources/AddingData.cs Sources/SeriesData.cs Cli/Sources/LessonCli.cs Cli/Sources/AddingCli.cs Cli/Sources/SeriesCli.cs Data/AddingProblem.cs Data/Series*.cs"

verbose=0; [[ ${1:-} == -v ]] && { verbose=1; shift; }
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
app=${APP:-$root/src/SimpleRnnTorch/bin/Debug/net10.0/SimpleRnnTorch.dll}
[[ -f $app ]] || { echo "no $app: build it first (dotnet build in $root)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # NAME ARGS...: runs the program in the checkout with the JIT's summary in $work/NAME.jit
    local name=$1; shift
    if ! (cd "$root" && DOTNET_TieredCompilation=0 DOTNET_JitStdOutFile="$work/$name.jit" \
          DOTNET_JitDisasmSummary=1 dotnet "$app" "$@" -o "$work/$name" >"$work/$name.log" 2>&1); then
        echo "the $name run failed: dotnet $app $*" >&2; tail -5 "$work/$name.log" >&2; exit 1
    fi
}
run lesson --epochs 30
run series --data data/nile.csv --time-column year

python3 - "$root/src/SimpleRnnTorch" "$work" "$verbose" "$SOURCE_TYPES" "$OUTCOME_TYPES" "$KIND_NAMES" "$OWN_FILES" <<'PY'
import collections, fnmatch, glob, os, re, sys
src, work, verbose = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
source_types, outcome_types, kind_names, own_globs = (a.split() for a in sys.argv[4:8])
files = sorted(os.path.relpath(p, src) for p in glob.glob(f"{src}/**/*.cs", recursive=True))
files = [f for f in files if f.split("/")[0] not in ("bin", "obj")]
text = {f: open(f"{src}/{f}", encoding="utf-8").read() for f in files}
folder = lambda f: f.split("/")[0] if "/" in f else "(root)"
# Comments go (strings stay, so a "//" in a string is not taken for one).
strip = lambda s: re.sub(r'"(?:\\.|[^"\\\n])*"|//[^\n]*|/\*.*?\*/', lambda m: m[0] if m[0][0] == '"' else "", s, flags=re.S)
code = {f: strip(text[f]) for f in files}
ns = {f: (re.findall(r"^\s*namespace\s+([\w.]+)", code[f], re.M) or [""])[0] for f in files}
declared = {f: re.findall(r"\b(?:class|record|struct|interface|enum)\s+(?:class\s+|struct\s+)?([A-Z]\w*)", code[f]) for f in files}
where = collections.defaultdict(set)  # full type name -> files declaring it
for f in files:
    for t in declared[f] or (["Program"] if not ns[f] else []):  # top-level statements declare Program
        where[f"{ns[f]}.{t}".lstrip(".")].add(f)
ns_folders = collections.defaultdict(set)  # namespace -> folders holding its files
for f in files: ns_folders[ns[f]].add(folder(f))
def nsfolder(f):
    parts = os.path.dirname(f).split("/")
    return "SimpleRnnTorch" + "".join("." + p for p in parts if p)

# 1. Files executed
def jitted(name):
    out = set()
    for m in re.findall(r"JIT compiled (\S+)", open(f"{work}/{name}.jit", encoding="utf-8").read()):
        t = re.sub(r"`\d+", "", re.sub(r"\[.*", "", m.split(":")[0])).split("+")[0]  # the outermost type
        if t.startswith("SimpleRnnTorch.") or t == "Program": out.add((t, m))
    return out
runs = {r: jitted(r) for r in ("lesson", "series")}
mapped = {r: set().union(*(where.get(t, set()) for t, _ in ms)) for r, ms in runs.items()}
unmapped = sorted({t for ms in runs.values() for t, _ in ms if t not in where})
executed = mapped["lesson"] | mapped["series"]

# 2. Folders depending on each other
deps = collections.defaultdict(list)  # (A, B) -> why
def dep(f, targets, why):
    for b in targets - {folder(f)}: deps[(folder(f), b)].append(f"{f}: {why}")
mismatched = [f for f in files if ns[f] and ns[f] != nsfolder(f)]
for f in mismatched: dep(f, ns_folders[ns[f]], f"namespace {ns[f]}")
for f in files:
    for n in re.findall(r"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(SimpleRnnTorch[\w.]*)\s*;", code[f], re.M):
        dep(f, ns_folders.get(n) or {folder(g) for g in where.get(n, ())}, f"using {n}")  # a namespace, or a type
    body = re.sub(r"^\s*(?:global\s+)?(?:using|namespace)\b[^;{]*[;{]?", "", code[f], flags=re.M)
    for full, fs in where.items():  # qualified: SimpleRnnTorch.X.T or X.T; by name: a type of an enclosing namespace
        n, t = full.rpartition(".")[0], full.rpartition(".")[2]
        rel = n.partition(".")[2]
        if rel and re.search(rf"(?<![\w.])(?:global::)?(?:SimpleRnnTorch\.)?{re.escape(rel)}\.{t}\b", body):
            dep(f, {folder(g) for g in fs}, f"{rel}.{t}")
        if n and (ns[f] + ".").startswith(n + ".") and re.search(rf"(?<![\w.]){t}\b", body):
            dep(f, {folder(g) for g in fs}, t)
pairs = sorted({tuple(sorted(p)) for p in deps if p[::-1] in deps})

# 3. Places asking which source a job has
types = "|".join(source_types + outcome_types)
asks = {"kind": rf"\b(?:{'|'.join(kind_names) or '(?!)'})\b", "is": rf"\bis\s+(?:not\s+)?(?:{types})\b",
        "as": rf"\bas\s+(?:{types})\b", "cast": rf"(?<![\w.])\((?:{types})\)\s*[\w(]",
        "case": rf"\bcase\s+(?:{types})\b", "arm": rf"^\s*(?:{types})\b(?:\s+\w+)?\s*(?:=>|when\b)"}
own = {f for f in files if any(fnmatch.fnmatch(f, g) for g in own_globs)}
own |= {g for t in source_types + outcome_types for full, fs in where.items() if full.endswith("." + t) for g in fs}
places = [(f, i + 1, k, line.strip()) for f in files if f not in own for i, line in enumerate(code[f].split("\n"))
          for k, rx in asks.items() for _ in re.finditer(rx, line)]

# 4. Lines (as wc -l counts them)
lines = lambda fs: sum(text[f].count("\n") for f in fs)
cli = [f for f in files if folder(f) == "Cli"]

print("| measure | value |\n|---|---:|")
print(f"| source files a default run executes (lesson, nile series: both) | {len(mapped['lesson'])}, {len(mapped['series'])}: {len(executed)} of {len(files)} |")
print(f"| folder pairs importing each other | {len(pairs)} |")
print(f"| files whose namespace is not their folder's | {len(mismatched)} |")
print(f"| places outside a source's own files that ask which source a job has | {len(places)} |")
print(f"| lines of src/SimpleRnnTorch/**/*.cs | {lines(files)} |")
print(f"| lines of src/SimpleRnnTorch/Cli/**/*.cs | {lines(cli)} |")
print("\nPairs: " + (", ".join(f"{a} <-> {b}" for a, b in pairs) or "none"))
if mismatched: print("Namespace not the folder's: " + ", ".join(f"{f} ({ns[f]})" for f in mismatched))
print("Asking which source, by form: " + ", ".join(f"{k} {sum(p[2] == k for p in places)}" for k in asks)
      + "; by file: " + ", ".join(f"{f} {n}" for f, n in collections.Counter(p[0] for p in places).items()))
print("SimpleRnnTorch.* types run, not declared here: " + (", ".join(unmapped) or "none"))
if verbose:
    print(f"\nFiles executed ({len(runs['lesson'] | runs['series'])} methods; L lesson, S series):")
    for f in sorted(executed): print(f"  {'L' if f in mapped['lesson'] else ' '}{'S' if f in mapped['series'] else ' '} {f}")
    for a, b in pairs:
        print(f"\n{a} <-> {b}:")
        for p in ((a, b), (b, a)): print(f"  {p[0]} -> {p[1]}: " + "; ".join(sorted(set(deps[p]))))
    print("\nPlaces asking which source:")
    for f, n, k, line in places: print(f"  {f}:{n} [{k}] {line}")
PY
