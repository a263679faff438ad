#!/usr/bin/env bash
# Jest against Vitest on the SAME tests: issue 8 asked that the move to Jest keep the suite's time "about where it
# is". The last Vitest commit (f46deb0) and the Jest migration commit (be5b23b) hold the same 72 test files; this
# script unpacks both (git archive, so no worktree is touched), installs each, gives the Jest tree today's Jest
# environment (test/jest/environment.mjs, a plain global object instead of the contextified sandbox) and ports the
# five files be5b23b left importing from 'vitest' (describe/expect/it only), then runs both suites alternately with
# CI=true, `test/cli` excluded (those spawn the built CLI, which be5b23b does not build). Prints wall and CPU time
# (user+sys of the whole process tree, /usr/bin/time) per run, the medians and the Jest/Vitest ratios, and the
# load average: the machine may be shared, so compare CPU time first.
#
#   npm run bench:test-runners                 # 2 rounds (Vitest, Jest, Vitest, Jest)
#   npm run bench:test-runners -- --rounds 3 --keep /tmp/runners   # keep the unpacked trees for reruns
#   npm run bench:test-runners -- --rounds 0 --keep /tmp/runners   # only unpack, install and patch
#
# Needs git history (a clone, not an archive), npm's registry or cache, the Bicep CLI (scripts/install-bicep.sh;
# the infra tests of both commits use it) and /usr/bin/time (Debian package `time`).
set -euo pipefail

VITEST_COMMIT=f46deb0
JEST_COMMIT=be5b23b
ROUNDS=2
KEEP=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        *) echo "unknown option $1 (--rounds N, --keep DIR)" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
BICEP_PATH="${BICEP_PATH:-$(bash "$ROOT/scripts/install-bicep.sh")}"
export BICEP_PATH

WORK="${KEEP:-$(mktemp -d)}"
[[ -n "$KEEP" ]] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"
# The tests read the reference data at ../shared (beside the repository), as in CI.
[[ -d "$ROOT/../shared/testdata" ]] || { echo "$ROOT/../shared (the reference data) is missing" >&2; exit 1; }
ln -sfn "$(cd "$ROOT/../shared" && pwd)" "$WORK/shared"

unpack() { # commit dir
    if [[ -f "$2/package.json" && -d "$2/node_modules" ]]; then return; fi
    rm -rf "$2" && mkdir -p "$2"
    git -C "$ROOT" archive "$1" | tar -x -C "$2"
    echo "== npm install in $2 ($1)" >&2
    (cd "$2" && npm install --no-audit --no-fund --prefer-offline --ignore-scripts >/dev/null && npx tsc -p tsconfig.build.json)
}

unpack "$VITEST_COMMIT" "$WORK/vitest"
unpack "$JEST_COMMIT" "$WORK/jest"

# Today's Jest environment on the migration commit; test/cli excluded there as in the Vitest run.
cp "$ROOT/test/jest/environment.mjs" "$WORK/jest/test/jest/environment.mjs"
sed -i "s|testEnvironment: 'node',|testEnvironment: '<rootDir>/test/jest/environment.mjs',|" "$WORK/jest/jest.config.js"
sed -i "s|testPathIgnorePatterns: \['/node_modules/', '<rootDir>/test/integration/'\],|testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/', '<rootDir>/test/cli/'],|" \
    "$WORK/jest/jest.config.js"
grep -q "environment.mjs" "$WORK/jest/jest.config.js" && grep -q "<rootDir>/test/cli/'" "$WORK/jest/jest.config.js" ||
    { echo "could not patch $WORK/jest/jest.config.js" >&2; exit 1; }
leftovers=$(grep -rl "from 'vitest'" "$WORK/jest/test" || true)
for f in $leftovers; do
    if grep -qE "\bvi\b" "$f"; then echo "$f uses vi: port it by hand" >&2; exit 1; fi
    sed -i "s|from 'vitest';|from '@jest/globals';|" "$f"
done

if ((ROUNDS == 0)); then echo "prepared $WORK/vitest and $WORK/jest (--rounds 0)"; exit 0; fi

run() { # label dir command...
    local label=$1 dir=$2; shift 2
    local out="$WORK/$label.$RANDOM.out" times="$WORK/time.txt"
    local load0; load0=$(cut -d' ' -f1 /proc/loadavg)
    (cd "$dir" && CI=true /usr/bin/time -f "%e %U %S" -o "$times" "$@" >"$out" 2>&1) ||
        { echo "$label failed, see $out" >&2; tail -30 "$out" >&2; exit 1; }
    local e u s; read -r e u s < <(tail -1 "$times")
    local tests; tests=$(sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -E "^ *Tests:? " | tail -1 | tr -s ' ')
    printf '%-7s wall %7.1f s  cpu %6.1f s  load %s -> %s  |%s\n' "$label" "$e" "$(echo "$u + $s" | bc)" \
        "$load0" "$(cut -d' ' -f1 /proc/loadavg)" "$tests"
    echo "$label $e $(echo "$u + $s" | bc)" >>"$WORK/results.txt"
}

: >"$WORK/results.txt"
echo "== $ROUNDS round(s), alternating; $(nproc) cores; CI=true; test/cli excluded"
for ((i = 1; i <= ROUNDS; i++)); do
    run vitest "$WORK/vitest" npx vitest run --exclude 'test/cli/**'
    run jest "$WORK/jest" node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
vw=$(awk '$1=="vitest"{print $2}' "$WORK/results.txt" | median)
vc=$(awk '$1=="vitest"{print $3}' "$WORK/results.txt" | median)
jw=$(awk '$1=="jest"{print $2}' "$WORK/results.txt" | median)
jc=$(awk '$1=="jest"{print $3}' "$WORK/results.txt" | median)
printf 'median  vitest wall %.1f s cpu %.1f s | jest wall %.1f s cpu %.1f s\n' "$vw" "$vc" "$jw" "$jc"
printf 'ratio   jest/vitest wall %.2fx  cpu %.2fx\n' "$(echo "$jw / $vw" | bc -l)" "$(echo "$jc / $vc" | bc -l)"
