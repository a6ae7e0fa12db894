#!/usr/bin/env bash
# Stops every piece of the local mail stack; safe to call when nothing runs.  State is kept
# (use `up.sh --fresh` to wipe it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/ctl.sh" down
