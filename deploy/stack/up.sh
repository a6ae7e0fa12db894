#!/usr/bin/env bash
# Starts the local mail stack (slapd + Dovecot back end + two Dovecot proxies) on loopback.
# Idempotent: running pieces are left running (restarted when their generated config
# changed); returns once every port answers.  `--fresh` or EMAILNG_STACK_FRESH=1 wipes the
# state directory (${EMAILNG_STACK_DIR:-/tmp/emailng-stack}) first.  See README.md here.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/../install-packages.sh" stack
exec bash "$here/ctl.sh" up "$@"
