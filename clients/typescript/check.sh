#!/usr/bin/env bash
# The typed client is what the app serves: dumps the app's OpenAPI document in-process,
# regenerates the types with the pinned openapi-typescript (`npm ci`), fails when either
# committed file differs, then type-checks the client and its sample calls (`tsc --noEmit`).
# Run from anywhere; PYTHON (default: the repository's .venv) must have allora installed.
# `check.sh --update` rewrites the committed files instead of comparing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
cd "$here"

command -v npm >/dev/null || { echo "check.sh: node and npm are needed (Node 20+)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error >/dev/null

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
PYTHONWARNINGS=ignore "$python" "$root/clients/dump_openapi.py" >"$scratch/openapi.json"
npx --no-install openapi-typescript "$scratch/openapi.json" --output "$scratch/schema.d.ts" >/dev/null

if [[ "${1:-}" == "--update" ]]; then
  cp "$scratch/openapi.json" openapi.json
  cp "$scratch/schema.d.ts" src/schema.d.ts
  echo "check.sh: openapi.json and src/schema.d.ts updated"
else
  stale=0
  for pair in "openapi.json:openapi.json" "src/schema.d.ts:schema.d.ts"; do
    committed="${pair%%:*}" fresh="$scratch/${pair##*:}"
    if ! diff -u "$committed" "$fresh" >"$scratch/diff"; then
      head -n 40 "$scratch/diff" >&2
      echo "check.sh: clients/typescript/$committed is not what the app serves;" \
        "run clients/typescript/check.sh --update and commit it" >&2
      stale=1
    fi
  done
  [[ $stale == 0 ]] || exit 1
fi

npx --no-install tsc --noEmit -p .
echo "check.sh: the TypeScript client matches the API and type-checks"
