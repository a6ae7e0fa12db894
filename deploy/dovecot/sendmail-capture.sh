#!/bin/sh
# EmailNG Settings — stand-in for sendmail(1) used by the local Dovecot back end
# (sendmail_path).  Instead of sending, it captures each outgoing message (Sieve vacation
# replies, redirects, rejects) into the outbox directory:
#
#   <outbox>/<id>.eml   the message exactly as Dovecot handed it over
#   <outbox>/<id>.json  {"id","sender","recipients":[...],"time","eml"} — written last, so a
#                       reader that lists *.json only ever sees complete messages
#
# <id> = <unix-nanoseconds>-<pid>, so names sort by capture time.
# Dovecot calls it as: sendmail [-i] [-f <sender>] [--] <recipient>...   ("-f <>" or an
# empty sender for a null return path, e.g. vacation replies).
# The outbox directory comes from EMAILNG_OUTBOX (the generated wrapper sets it).
set -eu
outbox="${EMAILNG_OUTBOX:?EMAILNG_OUTBOX not set}"

sender=""
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    -f) sender="${2-}"; shift 2 || shift ;;
    -f*) sender="${1#-f}"; shift ;;
    -F|-o|-N|-R|-V|-X|-B) shift 2 || shift ;;
    -*) shift ;;
    *) break ;;
  esac
done
[ "$sender" = "<>" ] && sender=""

json_str() {
  # JSON string from $1: escape backslash and double quote, drop control characters.
  printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

id="$(date +%s%N)-$$"
tmp="$outbox/.$id.tmp"
cat > "$tmp"
mv "$tmp" "$outbox/$id.eml"

rcpts=""
for r in "$@"; do
  rcpts="${rcpts:+$rcpts,}$(json_str "$r")"
done
printf '{"id":%s,"sender":%s,"recipients":[%s],"time":%s,"eml":%s}\n' \
  "$(json_str "$id")" "$(json_str "$sender")" "$rcpts" \
  "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$(json_str "$id.eml")" > "$outbox/.$id.json.tmp"
mv "$outbox/.$id.json.tmp" "$outbox/$id.json"
exit 0
