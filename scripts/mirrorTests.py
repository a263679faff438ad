#!/usr/bin/env python3
"""Move test files so that test/ mirrors the code (git mv), then fix every relative path that pointed at or from
a moved file. Prints the moves as `old -> new`. Run at the repo root."""
import os
import re
import subprocess
import sys

# (old, new): a file or a folder prefix (ending in /). First match wins, so specific files come first.
RULES = [
    ('test/unit/enrichment/referenceData.test.ts', 'test/unit/domain/reference/referenceData.test.ts'),
    ('test/unit/gold/goldQueries.test.ts', 'test/unit/app/gold/goldQueries.test.ts'),
    ('test/unit/gold/', 'test/unit/domain/gold/'),
    ('test/unit/app/mergePoints.test.ts', 'test/unit/domain/track/mergePoints.test.ts'),
    ('test/unit/app/findingQueries.test.ts', 'test/unit/app/compliance/findingQueries.test.ts'),
    ('test/app/checkComplianceWindow.test.ts', 'test/unit/app/compliance/checkComplianceWindow.test.ts'),
    ('test/app/ciiChecks.test.ts', 'test/unit/app/compliance/ciiChecks.test.ts'),
    ('test/app/', 'test/unit/app/'),
    ('test/unit/sender/', 'test/unit/adapters/'),
    ('test/unit/simulator/', 'test/unit/local/simulator/'),
    ('test/unit/sources/', 'test/unit/local/sources/'),
    ('test/functions/', 'test/unit/functions/'),
    ('test/integration/adapters/parquet.test.ts', 'test/unit/adapters/parquet.test.ts'),
    ('test/integration/adapters/loadConfig.test.ts', 'test/unit/config/loadConfig.test.ts'),
    ('test/integration/adapters/localServices.test.ts', 'test/integration/local/services.test.ts'),
    ('test/integration/adapters/vesselStoreContract.ts', 'test/integration/contracts/vesselStoreContract.ts'),
    ('test/integration/adapters/vesselStore.contract.test.ts', 'test/integration/contracts/vesselStore.contract.test.ts'),
    ('test/integration/adapters/jobRunStore.contract.test.ts', 'test/integration/contracts/jobRunStore.contract.test.ts'),
    ('test/integration/adapters/alertStore.test.ts', 'test/integration/contracts/alertStore.contract.test.ts'),
    ('test/integration/adapters/sensorStateStore.test.ts', 'test/integration/contracts/sensorStateStore.contract.test.ts'),
    ('test/integration/adapters/findingStore.test.ts', 'test/integration/contracts/findingStore.contract.test.ts'),
    ('test/integration/adapters/goldStore.contract.test.ts', 'test/integration/contracts/goldStore.contract.test.ts'),
    ('test/integration/adapters/goldStoreContract.ts', 'test/integration/contracts/goldStoreContract.ts'),
]
DOMAIN = ['ais', 'cii', 'collision', 'compliance', 'emissions', 'enrichment', 'formats', 'geo', 'maintenance',
          'sensors', 'validation', 'zones']
RULES += [(f'test/unit/{d}/', f'test/unit/domain/{d}/') for d in DOMAIN]

CODE_EXT = ('.ts', '.mts', '.js', '.mjs', '.cjs')
TEXT_FILES = ['README.md', 'package.json', 'jest.config.js', '.ci/run', 'eslint.config.js', 'tsconfig.json']

def tracked():
    out = subprocess.run(['git', 'ls-files'], capture_output=True, text=True, check=True).stdout.split('\n')
    return [p for p in out if p]

def target(path):
    for old, new in RULES:
        if old.endswith('/'):
            if path.startswith(old):
                return new + path[len(old):]
        elif path == old:
            return new
    return None

files = tracked()
moves = {p: target(p) for p in files if p.startswith('test/') and target(p)}
moves = {o: n for o, n in moves.items() if n != o}
# Folders that exist before the move, for prefix mapping of folder references.
def mapped(path):
    """Where a repo-relative path (file or folder) is after the moves."""
    if path in moves:
        return moves[path]
    for old, new in RULES:
        if old.endswith('/') and (path + '/').startswith(old):
            rest = (path + '/')[len(old):]
            return (new + rest).rstrip('/')
    return path

SPEC = re.compile(r"""(['"`])(\.{1,2}/[^'"`$\n]*)""")

def fix_specifiers(text, old_file, new_file):
    old_dir = os.path.dirname(old_file)
    new_dir = os.path.dirname(new_file)

    def repl(m):
        quote, spec = m.group(1), m.group(2)
        resolved = os.path.normpath(os.path.join(old_dir, spec))
        candidates = [resolved]
        if resolved.endswith('.js'):
            candidates.append(resolved[:-3] + '.ts')
        exists = any(os.path.exists(c) for c in candidates)
        if not exists:
            return m.group(0)
        # Inside the repo: follow the moves; outside (../shared): unchanged target.
        rel_to_root = os.path.relpath(resolved)
        if rel_to_root.startswith('..'):
            new_target = resolved
        else:
            tail = ''
            base = rel_to_root
            ts_twin = base[:-3] + '.ts' if base.endswith('.js') else None
            if ts_twin and ts_twin in moves:
                new_target = moves[ts_twin][:-3] + '.js'
            else:
                new_target = mapped(base) + tail
        new_spec = os.path.relpath(new_target, new_dir or '.')
        if not new_spec.startswith('.'):
            new_spec = './' + new_spec
        if spec.endswith('/') and not new_spec.endswith('/'):
            new_spec += '/'
        return quote + new_spec

    return SPEC.sub(repl, text)

if __name__ == '__main__':
    dry = '--dry' in sys.argv
    for o, n in sorted(moves.items()):
        print(f'{o} -> {n}')
    if dry:
        sys.exit(0)
    # Compute new contents before moving (resolution uses the tree as it is).
    new_contents = {}
    for f in files:
        if not f.endswith(CODE_EXT) or not (f.startswith('test/') or f.startswith('bench/') or f.startswith('local/') or f.startswith('scripts/') or f == 'jest.config.js'):
            continue
        text = open(f).read()
        fixed = fix_specifiers(text, f, moves.get(f, f))
        if fixed != text:
            new_contents[moves.get(f, f)] = fixed
    # Plain-text references to moved paths (README, configs).
    text_fixes = {}
    pairs = sorted(moves.items(), key=lambda x: -len(x[0]))
    dir_pairs = [(o, n) for o, n in RULES if o.endswith('/')]
    for f in TEXT_FILES + [p for p in files if p.startswith('docs/') and p.endswith('.md')] + [n for n in moves.values()]:
        src = f
        for o, n in moves.items():
            if n == f:
                src = o
        if not os.path.exists(src):
            continue
        text = new_contents.get(f) or open(src).read()
        orig = text
        for o, n in pairs:
            text = re.sub(re.escape(o) + r'(?![\w.])', n, text)
        for o, n in dir_pairs:
            text = re.sub(re.escape(o.rstrip('/')) + r'(?=[/`\'" )]|$)', n.rstrip('/'), text)
        if text != orig:
            text_fixes[f] = text
    for o, n in sorted(moves.items()):
        os.makedirs(os.path.dirname(n), exist_ok=True)
        subprocess.run(['git', 'mv', o, n], check=True)
    for f, text in {**new_contents, **text_fixes}.items():
        with open(f, 'w') as fh:
            fh.write(text)
    # Remove folders left empty.
    for o in moves:
        d = os.path.dirname(o)
        while d and os.path.isdir(d) and not os.listdir(d):
            os.rmdir(d)
            d = os.path.dirname(d)
