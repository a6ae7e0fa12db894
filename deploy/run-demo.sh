#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the SPA and the API bundle, starts the local mail
# stack with its demo users, and runs the app on http://127.0.0.1:8080 (PORT and CONFIG override)
# as production runs it: the bundle on plain node with the systemd unit's flags and environment
# (deploy/systemd/emailng-settings.service, read from there so the two cannot drift apart).
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-packages.sh stack
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
npx vite build --logLevel warn
npm run --silent build:api
UNIT=deploy/systemd/emailng-settings.service
read -r -a NODE_FLAGS <<< "$(sed -n 's#^ExecStart=/usr/bin/node \(.*\) dist/node/api/server.mjs$#\1#p' "$UNIT")"
if [ "${#NODE_FLAGS[@]}" -eq 0 ]; then echo "run-demo: no node flags found in $UNIT's ExecStart" >&2; exit 1; fi
MALLOC_ARENA_MAX="$(sed -n 's#^Environment=MALLOC_ARENA_MAX=##p' "$UNIT")"
export MALLOC_ARENA_MAX NODE_ENV=production
bash deploy/stack/up.sh
exec node "${NODE_FLAGS[@]}" dist/node/api/server.mjs
