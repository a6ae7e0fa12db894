#!/usr/bin/env bash
# Delivers a message file to a user of the local mail stack over LMTP (Sieve runs).
#   bash deploy/stack/deliver.sh <user>[,<user>...] <message-file|-> [--from ADDR]
#   npm run deliver -- alice test/fixtures/some.eml
# <user> is a login name (alice) or the user's mail address (alice@cs.ucy.ac.cy).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -lt 2 ]; then
  echo "usage: $0 <user>[,<user>...] <message-file|-> [--from ADDR]" >&2
  exit 2
fi
user="$1" file="$2"; shift 2
exec node "$here/lmtp-deliver.mjs" "$@" "$user" "$file"
