#!/usr/bin/env bash
# `npm test`: installs what is missing (Debian packages, npm packages), checks types and lint,
# builds the SPA, starts the local mail stack, and runs unit, integration and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-packages.sh all
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi

npm run typecheck
npm run lint
npm run build

bash deploy/stack/up.sh
trap 'bash deploy/stack/down.sh >/dev/null 2>&1 || true' EXIT

# One project after another: integration tests stop and start directors, which must not
# happen under a browser test.
npx vitest run --project unit
npx vitest run --project integration
npx vitest run --project browser
