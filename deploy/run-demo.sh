#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the SPA, starts the local mail stack with its
# demo users, and runs the app on http://127.0.0.1:8080 (PORT and CONFIG override).
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-packages.sh stack
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi
npx vite build --logLevel warn
bash deploy/stack/up.sh
exec npx tsx api/src/server.ts
