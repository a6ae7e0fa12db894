#!/usr/bin/env bash
# EmailNG Settings — control of the local mail stack (real slapd + real Dovecot, PostgreSQL
# and amavisd-new on loopback).
#
#   ctl.sh start|stop|restart|status <ldap|backend|theano|elysso|pg|amavis>   one piece
#   ctl.sh status                                                   every piece
#   ctl.sh up [--fresh]      set up state (configs, directory, scripts) and start everything
#   ctl.sh down              stop everything (safe when nothing runs)
#   ctl.sh setup             (re)generate configs only
#   ctl.sh reset-user <uid>...  kick each user and delete their mail, Sieve scripts and state
#   ctl.sh sql <database> [psql args]   psql as postgres on the stack's PostgreSQL
#   ctl.sh storage-schema    print amavisd-new's SQL storage schema (README.sql-pg, R/W part)
#
# State (configs, LDAP database, mail, logs, pid files, outbox) lives in
# ${EMAILNG_STACK_DIR:-/tmp/emailng-stack}; keep that path short (Dovecot's unix sockets).
# See deploy/stack/README.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${EMAILNG_STACK_DIR:-/tmp/emailng-stack}"
VMAIL_USER=emailng-vmail
PIECES=(ldap backend theano elysso pg amavis)
PGBIN=/usr/lib/postgresql/15/bin
# Passwords of the stack's service accounts (loopback dev/test only, like the LDAP ones).
PG_PASSWORDS=(amavis=amavis-sql-secret webapp=webapp-sql-secret housekeeping=housekeeping-sql-secret)
LDAP_AMAVIS_PASSWORD=amavis-secret
MARKER=.emailng-stack

log() { printf '[stack] %s\n' "$*" >&2; }
elapsed_since() { local ns=$(($(date +%s%N) - $1)); printf '%d.%02d' $((ns / 1000000000)) $((ns % 1000000000 / 10000000)); }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------
# Per-piece facts

piece_ports() {   # "host:port ..." every port the piece must answer on
  case "$1" in
    ldap) echo "127.0.0.1:3389" ;;
    backend) echo "127.0.0.1:11143 127.0.0.1:11190 127.0.0.1:11024" ;;
    theano) echo "127.0.0.2:10143 127.0.0.2:14190" ;;
    elysso) echo "127.0.0.3:10143 127.0.0.3:14190" ;;
    pg) echo "127.0.0.1:5433" ;;
    amavis) echo "127.0.0.1:10024 127.0.0.1:9998" ;;
    *) die "unknown piece '$1' (expected: ${PIECES[*]})" ;;
  esac
}
piece_log() { case "$1" in ldap) echo "$STATE/logs/slapd.log" ;; *) echo "$STATE/logs/$1.log" ;; esac; }
piece_pidfile() {
  case "$1" in
    ldap) echo "$STATE/ldap/slapd.pid" ;;
    pg) echo "$STATE/pg/data/postmaster.pid" ;;
    amavis) echo "$STATE/amavis/amavisd.pid" ;;
    *) echo "$STATE/$1/run/master.pid" ;;
  esac
}
# /proc/<pid>/comm of the piece's main process (15 characters: amavisd's is its script path)
piece_comm() {
  case "$1" in ldap) echo slapd ;; pg) echo postgres ;; amavis) echo /usr/sbin/amavi ;; *) echo dovecot ;; esac
}
# seconds to wait for the ports: amavisd compiles SpamAssassin's rules before it listens
piece_timeout() { case "$1" in amavis) echo 120 ;; pg) echo 60 ;; *) echo 20 ;; esac; }
is_dovecot() { case "$1" in backend|theano|elysso) return 0 ;; *) return 1 ;; esac; }
proxy_addr() { case "$1" in theano) echo 127.0.0.2 ;; elysso) echo 127.0.0.3 ;; esac; }

piece_pid() {     # prints the pid when the piece runs; status 1 otherwise
  local pf pid
  pf="$(piece_pidfile "$1")"
  [ -s "$pf" ] || return 1
  pid="$(head -n 1 "$pf" | tr -dc '0-9')"
  [ -n "$pid" ] && running "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$(piece_comm "$1")" ] || return 1
  echo "$pid"
}

# alive <pid>: the process exists and is not a zombie (our daemons are reparented to an
# init that may reap them late)
running() {
  local st
  st="$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }
# An SMTP server answers with its 220 greeting (amavisd binds its ports seconds before its
# children can answer; connections made meanwhile wait).
smtp_greets() {
  (
    exec 3<>"/dev/tcp/${1%:*}/${1##*:}" || exit 1
    IFS= read -r -t 2 line <&3 || exit 1
    printf 'QUIT\r\n' >&3
    [[ "$line" == 220* ]]
  ) 2>/dev/null
}
port_ready() {    # piece host:port
  if [ "$1" = amavis ] && [ "${2##*:}" = 10024 ]; then smtp_greets "$2"; else port_open "$2"; fi
}

alive() {          # piece [pid]: the given pid, else the pid file's process, is alive
  if [ -n "${2:-}" ]; then running "$2"; else piece_pid "$1" >/dev/null; fi
}

wait_ports() {    # piece timeout-seconds [pid]
  local p deadline=$((SECONDS + $2)) grace=$((SECONDS + 3))
  for p in $(piece_ports "$1"); do
    until port_ready "$1" "$p"; do
      # (the pid file may appear a moment after the daemon started)
      if ! alive "$1" "${3:-}" && [ $SECONDS -ge $grace ]; then fail "$1" "exited before $p answered"; fi
      [ $SECONDS -lt $deadline ] || fail "$1" "$p did not answer within $2 s"
      sleep 0.05
    done
  done
}

fail() {
  local lf
  lf="$(piece_log "$1")"
  printf '[stack] ERROR: %s: %s\n' "$1" "$2" >&2
  if [ -f "$lf" ]; then
    printf '[stack] --- last lines of %s ---\n' "$lf" >&2
    tail -n 25 "$lf" >&2
    printf '[stack] ---\n' >&2
  fi
  exit 1
}

# ---------------------------------------------------------------------------------------
# Setup: state directory, system user, generated configs

check_state_path() {
  [ -n "$STATE" ] && [ "$STATE" != "/" ] || die "EMAILNG_STACK_DIR must name a directory"
  [ "${#STATE}" -le 64 ] || die "EMAILNG_STACK_DIR is ${#STATE} characters; keep it ≤ 64 (Dovecot socket paths)"
  case "$STATE" in /*) ;; *) die "EMAILNG_STACK_DIR must be an absolute path" ;; esac
}

ensure_vmail_user() {
  id -u "$VMAIL_USER" >/dev/null 2>&1 && return
  log "creating system user $VMAIL_USER (owner of the mail store)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$VMAIL_USER"
}

# render <template> <dest> [extra sed args...]: writes dest only when the text changed;
# status 0 = changed, 1 = unchanged
render() {
  local src="$1" dst="$2"; shift 2
  local tmp="$dst.new"
  sed -e "s|@STATE@|$STATE|g" -e "s|@REPO@|$REPO|g" \
      -e "s|@VMAIL_UID@|$VMAIL_UID|g" -e "s|@VMAIL_GID@|$VMAIL_GID|g" "$@" "$src" >"$tmp"
  if [ -f "$dst" ] && cmp -s "$tmp" "$dst"; then rm -f "$tmp"; return 1; fi
  mv "$tmp" "$dst"
  return 0
}
install_if_changed() {   # src dst mode -> 0 changed, 1 unchanged
  if [ -f "$2" ] && cmp -s "$1" "$2"; then return 1; fi
  install -m "$3" "$1" "$2"
  return 0
}

CHANGED=""        # pieces whose configuration changed in this setup run
mark_changed() { case " $CHANGED " in *" $1 "*) ;; *) CHANGED="$CHANGED $1" ;; esac; }

setup() {
  check_state_path
  ensure_vmail_user
  VMAIL_UID="$(id -u "$VMAIL_USER")"
  VMAIL_GID="$(id -g "$VMAIL_USER")"

  mkdir -p "$STATE"
  touch "$STATE/$MARKER"
  chmod 755 "$STATE"
  mkdir -p "$STATE"/{ldap,logs,bin,sieve/global,backend/state,theano/state,elysso/state}
  mkdir -p -m 0770 "$STATE/mail" "$STATE/outbox"
  chown "$VMAIL_USER:$VMAIL_USER" "$STATE/mail" "$STATE/outbox"

  # --- OpenLDAP
  install_if_changed "$REPO/deploy/ldap/emailng.schema" "$STATE/ldap/emailng.schema" 0644 && mark_changed ldap
  if [ ! -s "$STATE/ldap/rootpw" ]; then
    slappasswd -h '{SSHA}' -s admin-secret >"$STATE/ldap/rootpw"
    chmod 600 "$STATE/ldap/rootpw"
  fi
  render "$REPO/deploy/ldap/slapd.conf.in" "$STATE/ldap/slapd.conf" \
    -e "s|@ROOTPW@|$(cat "$STATE/ldap/rootpw")|g" && mark_changed ldap
  chmod 600 "$STATE/ldap/slapd.conf"

  # --- Sieve: site-wide default, precompiled (Pigeonhole will not compile global scripts
  # at delivery time: the mail user cannot write there).
  if install_if_changed "$REPO/deploy/dovecot/sieve/default.sieve" "$STATE/sieve/global/default.sieve" 0644 \
     || [ ! -f "$STATE/sieve/global/default.svbin" ]; then
    NEED_SIEVEC=1
  fi

  # --- outgoing-mail capture
  install_if_changed "$REPO/deploy/dovecot/sendmail-capture.sh" "$STATE/bin/sendmail-capture.sh" 0755 || true
  printf '#!/bin/sh\nEMAILNG_OUTBOX=%s exec %s "$@"\n' "$STATE/outbox" "$STATE/bin/sendmail-capture.sh" >"$STATE/bin/sendmail.new"
  chmod 755 "$STATE/bin/sendmail.new"
  if [ -f "$STATE/bin/sendmail" ] && cmp -s "$STATE/bin/sendmail.new" "$STATE/bin/sendmail"; then
    rm -f "$STATE/bin/sendmail.new"
  else
    mv "$STATE/bin/sendmail.new" "$STATE/bin/sendmail"
  fi

  # --- Dovecot: master-user passwd-file (same for all instances), configs
  if [ ! -s "$STATE/backend/master-users" ]; then
    printf 'emailng-api:%s\n' "$(doveadm pw -s SHA512-CRYPT -p master-secret)" >"$STATE/backend/master-users"
  fi
  local d
  render "$REPO/deploy/dovecot/backend.conf.in" "$STATE/backend/dovecot.conf" && mark_changed backend
  render "$REPO/deploy/dovecot/ldap-passdb.conf.ext.in" "$STATE/backend/ldap-passdb.conf.ext" && mark_changed backend
  render "$REPO/deploy/dovecot/ldap-userdb.conf.ext.in" "$STATE/backend/ldap-userdb.conf.ext" && mark_changed backend
  for d in theano elysso; do
    cmp -s "$STATE/backend/master-users" "$STATE/$d/master-users" 2>/dev/null \
      || { cp "$STATE/backend/master-users" "$STATE/$d/master-users"; mark_changed "$d"; }
    render "$REPO/deploy/dovecot/proxy.conf.in" "$STATE/$d/dovecot.conf" \
      -e "s|@NAME@|$d|g" -e "s|@ADDR@|$(proxy_addr "$d")|g" && mark_changed "$d"
    render "$REPO/deploy/dovecot/ldap-passdb.conf.ext.in" "$STATE/$d/ldap-passdb.conf.ext" && mark_changed "$d"
  done
  # Secrets readable by root and Dovecot's auth processes only.
  for d in backend theano elysso; do
    chown root:dovecot "$STATE/$d"/master-users "$STATE/$d"/*.conf.ext
    chmod 640 "$STATE/$d"/master-users "$STATE/$d"/*.conf.ext
  done

  setup_pg
  setup_amavis

  if [ "${NEED_SIEVEC:-0}" = 1 ]; then
    rm -f "$STATE/sieve/global/default.svbin"
    sievec -c "$STATE/backend/dovecot.conf" "$STATE/sieve/global/default.sieve" \
      >>"$STATE/logs/sievec.log" 2>&1 || { tail "$STATE/logs/sievec.log" >&2; die "sievec failed"; }
  fi
}

# --- PostgreSQL: our settings; the data directory is made at the first start (init_pg).
setup_pg() {
  mkdir -p "$STATE/pg"
  install -d -o postgres -g postgres -m 0700 "$STATE/pg/run"
  render "$REPO/deploy/postgres/postgresql.conf.in" "$STATE/pg/emailng.conf" && mark_changed pg
  touch "$STATE/logs/pg.log"
  chown postgres:postgres "$STATE/logs/pg.log"
}

# initdb once (seconds: part of starting pg, which runs beside the other pieces), then
# include our settings from the cluster's own postgresql.conf.
init_pg() {
  [ -s "$STATE/pg/data/PG_VERSION" ] && return
  log "creating the PostgreSQL cluster (initdb)"
  rm -rf "$STATE/pg/data"
  install -d -o postgres -g postgres -m 0700 "$STATE/pg/data"
  runuser -u postgres -- "$PGBIN/initdb" -D "$STATE/pg/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 --no-sync >>"$STATE/logs/initdb.log" 2>&1 \
    || { tail -n 20 "$STATE/logs/initdb.log" >&2; die "initdb failed"; }
  echo "include '$STATE/pg/emailng.conf'" >>"$STATE/pg/data/postgresql.conf"
}

pg_password() { local kv; for kv in "${PG_PASSWORDS[@]}"; do [ "${kv%%=*}" = "$1" ] && echo "${kv#*=}"; done; }

# amavisd-new's storage schema exactly as the package ships it: the "R/W part" of
# README.sql-pg (maddr, msgs, msgrcpt, quarantine), without its grants (ours are in
# deploy/postgres/mail_log-roles.sql).  Images that exclude /usr/share/doc from dpkg (Docker's
# slim ones) lack the file; then it is taken from the package archive itself.
amavis_storage_schema() {
  local doc=/usr/share/doc/amavisd-new/README.sql-pg.gz tmp
  if [ ! -s "$doc" ]; then
    tmp="$(mktemp -d)"
    (cd "$tmp" && apt-get download -qq amavisd-new >/dev/null 2>&1 \
      && dpkg-deb --fsys-tarfile amavisd-new_*.deb | tar -x ./usr/share/doc/amavisd-new/README.sql-pg.gz) \
      || { rm -rf "$tmp"; die "README.sql-pg is neither in $doc nor in the amavisd-new package"; }
    doc="$tmp/usr/share/doc/amavisd-new/README.sql-pg.gz"
  fi
  zcat "$doc" | awk '/^-- R\/W part of the dataset/ { on = 1 } on && /^-- grant usage rights/ { exit } on'
  [ -z "${tmp:-}" ] || rm -rf "$tmp"
}

pg_sql() {  # psql as postgres over the unix socket; extra args passed on
  runuser -u postgres -- "$PGBIN/psql" -h "$STATE/pg/run" -p 5433 -X -q -v ON_ERROR_STOP=1 "$@"
}

# Database mail_log with the schema and roles; once per data directory (marker file).
provision_pg() {
  local marker="$STATE/pg/data/.emailng-mail_log" schema
  [ -f "$marker" ] && return
  log "creating database mail_log (amavisd-new's storage schema, roles amavis/webapp/housekeeping)"
  schema="$(amavis_storage_schema)"
  grep -q 'CREATE TABLE quarantine' <<<"$schema" || die "could not find the storage schema in README.sql-pg"
  pg_sql -d postgres -c 'DROP DATABASE IF EXISTS mail_log' -c 'CREATE DATABASE mail_log' >/dev/null
  pg_sql -d postgres -c 'DROP ROLE IF EXISTS amavis' -c 'DROP ROLE IF EXISTS webapp' \
    -c 'DROP ROLE IF EXISTS housekeeping' >/dev/null
  { printf '%s\n' "$schema"; cat "$REPO/deploy/postgres/mail_log-roles.sql"; } \
    | pg_sql -d mail_log -v amavis_password="$(pg_password amavis)" \
        -v webapp_password="$(pg_password webapp)" -v housekeeping_password="$(pg_password housekeeping)" \
        >>"$STATE/logs/pg.log" 2>&1 || { tail -n 20 "$STATE/logs/pg.log" >&2; die "loading the mail_log schema failed"; }
  touch "$marker"
}

# Our own additions to mail_log (indexes, the app's tables), applied in order on every start
# of pg; each file is idempotent and re-run only when its content changed (checksum marker).
migrate_pg() {
  local file sum marker
  for file in "$REPO"/deploy/postgres/mail_log.d/*.sql; do
    [ -f "$file" ] || continue
    sum="$(sha256sum "$file" | cut -c1-16)"
    marker="$STATE/pg/data/.emailng-$(basename "$file" .sql)-$sum"
    [ -f "$marker" ] && continue
    log "applying $(basename "$file") to mail_log"
    pg_sql -d mail_log -f - <"$file" >>"$STATE/logs/pg.log" 2>&1 \
      || { tail -n 20 "$STATE/logs/pg.log" >&2; die "applying $(basename "$file") failed"; }
    rm -f "$STATE/pg/data/.emailng-$(basename "$file" .sql)-"*
    touch "$marker"
  done
}

# --- amavisd-new: config in a root-owned directory (amavisd refuses a config file whose
# directory its user can write), working directories owned by amavis.
setup_amavis() {
  install -d -m 0755 "$STATE/etc" "$STATE/sa"
  install -d -o amavis -g amavis -m 0750 "$STATE/amavis" "$STATE/amavis/tmp" "$STATE/amavis/var"
  render "$REPO/deploy/amavis/amavisd.conf.in" "$STATE/etc/amavisd.conf" \
    -e "s|@PG_AMAVIS_PASSWORD@|$(pg_password amavis)|g" \
    -e "s|@LDAP_AMAVIS_PASSWORD@|$LDAP_AMAVIS_PASSWORD|g" && mark_changed amavis
  chown root:amavis "$STATE/etc/amavisd.conf"
  chmod 640 "$STATE/etc/amavisd.conf"
  # Our SpamAssassin site directory replaces /etc/spamassassin: the package's plugin loaders
  # (*.pre) are linked in, its local.cf is not.
  install_if_changed "$REPO/deploy/amavis/sa-local.cf" "$STATE/sa/local.cf" 0644 && mark_changed amavis
  local pre
  for pre in /etc/spamassassin/*.pre; do [ -L "$STATE/sa/${pre##*/}" ] || ln -s "$pre" "$STATE/sa/${pre##*/}"; done
  install_if_changed "$REPO/deploy/amavis/eicar-scan" "$STATE/bin/eicar-scan" 0755 || true
  touch "$STATE/logs/amavis.log"
  chown amavis:amavis "$STATE/logs/amavis.log"
}

# LDAP database: loaded offline with slapadd when empty (fast: no overlays, no ACLs), and
# reloaded when the generator or the schema changed (that discards changes made at run time).
ldif_version() {
  cat "$REPO/deploy/ldap/gen-ldif.sh" "$REPO/deploy/ldap/emailng.schema" /etc/ldap/schema/amavis.schema \
    | sha256sum | cut -c1-16
}

load_ldap_if_needed() {
  local version
  version="$(ldif_version)"
  if [ -f "$STATE/ldap/db/.loaded" ]; then
    [ "$(cat "$STATE/ldap/db/.loaded")" = "$version" ] && return
    log "the directory's LDIF generator or schema changed; reloading it"
  fi
  if piece_pid ldap >/dev/null; then stop_piece ldap; fi
  log "loading the directory (demo users, groups, 210 load users)"
  rm -rf "$STATE/ldap/db"
  mkdir -p "$STATE/ldap/db"
  chmod 700 "$STATE/ldap/db"
  "$REPO/deploy/ldap/gen-ldif.sh" >"$STATE/ldap/data.ldif"
  slapadd -q -f "$STATE/ldap/slapd.conf" -l "$STATE/ldap/data.ldif" >>"$STATE/logs/slapadd.log" 2>&1 \
    || { tail -n 20 "$STATE/logs/slapadd.log" >&2; die "slapadd failed"; }
  echo "$version" >"$STATE/ldap/db/.loaded"
}

# ---------------------------------------------------------------------------------------
# start / stop / status

start_piece() {
  local name="$1" pid="" lf t0
  t0="$(date +%s%N)"
  piece_ports "$name" >/dev/null
  if pid="$(piece_pid "$name")"; then
    log "$name already running (pid $pid)"
    wait_ports "$name" "$(piece_timeout "$name")"
    [ "$name" != pg ] || { provision_pg; migrate_pg; }
    return
  fi
  [ -f "$STATE/$MARKER" ] || die "no stack state in $STATE — run deploy/stack/up.sh first"
  lf="$(piece_log "$name")"
  # Keep logs bounded (slapd -d stats logs every operation; benchmarks make many).
  if [ -f "$lf" ] && [ "$(stat -c %s "$lf")" -gt 52428800 ]; then mv -f "$lf" "$lf.old"; fi
  rm -f "$(piece_pidfile "$name")"
  case "$name" in
    ldap)
      [ -f "$STATE/ldap/db/.loaded" ] || die "the directory is not loaded — run deploy/stack/up.sh"
      # -d keeps slapd in the foreground with its log on stderr (there is no syslog here);
      # setsid + redirection detach it from the caller's terminal and pipes.
      setsid slapd -h "ldap://127.0.0.1:3389/" -f "$STATE/ldap/slapd.conf" -d stats \
        </dev/null >>"$lf" 2>&1 9>&- &
      pid=$!
      disown || true
      ;;
    pg)
      init_pg
      # -w: returns once the server accepts connections.
      runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/pg/data" -l "$lf" -s -w -t 60 start \
        </dev/null >>"$lf" 2>&1 9>&- || fail pg "pg_ctl start failed"
      pid=""
      ;;
    amavis)
      # Runs as amavis from the start (never root); daemonizes and writes its pid file.
      runuser -u amavis -- /usr/sbin/amavisd -c "$STATE/etc/amavisd.conf" start \
        </dev/null >>"$lf" 2>&1 9>&- || fail amavis "amavisd refused to start"
      pid=""
      ;;
    *)
      # Dovecot keeps the caller's stderr open: redirect, or callers that pipe us hang.
      dovecot -c "$STATE/$name/dovecot.conf" </dev/null >>"$lf" 2>&1 9>&- \
        || fail "$name" "dovecot refused to start"
      pid=""
      ;;
  esac
  wait_ports "$name" "$(piece_timeout "$name")" "${pid:-}"
  local i
  for i in $(seq 1 40); do piece_pid "$name" >/dev/null && break; sleep 0.05; done
  [ "$name" != pg ] || { provision_pg; migrate_pg; }
  log "$name started (pid $(piece_pid "$name" || echo '?')) in $(elapsed_since "$t0") s"
}

stop_piece() {
  local name="$1" pid i kids t0
  t0="$(date +%s%N)"
  piece_ports "$name" >/dev/null
  if ! pid="$(piece_pid "$name")"; then
    log "$name not running"
    return 0
  fi
  kids="$(ps --ppid "$pid" -o pid= 2>/dev/null | tr -s ' \n' ' ' || true)"
  # PostgreSQL's SIGTERM waits for clients (amavisd keeps connections open): SIGINT is its
  # "fast" shutdown, which ends them.  Its children are its own business.
  # amavisd's master waits for its children, which finish what they are doing: they are told
  # at the same time.
  case "$name" in
    pg) kids=""; kill -INT "$pid" 2>/dev/null || true ;;
    # shellcheck disable=SC2086
    amavis) kill -TERM "$pid" $kids 2>/dev/null || true ;;
    *) kill -TERM "$pid" 2>/dev/null || true ;;
  esac
  # Dovecot's master and its log process linger 1-3 s after the working processes are
  # gone; then nothing is left to do, so they are killed rather than waited for.
  # Anything still alive after 10 s is killed too.
  for i in $(seq 1 200); do
    running "$pid" || break
    if is_dovecot "$name" && [ -z "$(ps --ppid "$pid" -o comm= 2>/dev/null | grep -vx log)" ]; then
      # shellcheck disable=SC2086
      kill -KILL "$pid" $kids 2>/dev/null || true
    fi
    sleep 0.05
  done
  if running "$pid"; then
    log "$name did not stop within 10 s; killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # shellcheck disable=SC2086
  [ -z "$kids" ] || kill -KILL $kids 2>/dev/null || true
  for i in $(seq 1 100); do
    local busy=0 p
    for p in $(piece_ports "$name"); do port_open "$p" && busy=1; done
    [ $busy = 0 ] && break
    sleep 0.05
  done
  rm -f "$(piece_pidfile "$name")"
  log "$name stopped in $(elapsed_since "$t0") s"
}

status_piece() {
  local name="$1" pid p state=""
  if pid="$(piece_pid "$name")"; then
    for p in $(piece_ports "$name"); do
      if port_open "$p"; then state="$state $p=up"; else state="$state $p=DOWN"; fi
    done
    printf '%-8s running (pid %s)%s\n' "$name" "$pid" "$state"
    return 0
  fi
  printf '%-8s stopped\n' "$name"
  return 3
}

reset_user() {
  local uid="$1"
  [[ "$uid" =~ ^[A-Za-z0-9._-]+$ ]] || die "bad user name '$uid'"
  if piece_pid backend >/dev/null; then
    doveadm -c "$STATE/backend/dovecot.conf" kick "$uid" >/dev/null 2>&1 || true
  fi
  rm -rf "${STATE:?}/mail/$uid"
  # The content filter's per-user levels and lists (written by the spam page) are her state too.
  if piece_pid ldap >/dev/null; then
    printf 'dn: uid=%s,ou=People,dc=cs,dc=ucy,dc=ac,dc=cy\nchangetype: modify\n%s' "$uid" \
      "$(printf 'replace: %s\n-\n' amavisSpamTag2Level amavisSpamKillLevel amavisWhitelistSender amavisBlacklistSender)" \
      | ldapmodify -x -H ldap://127.0.0.1:3389/ -D cn=admin,dc=cs,dc=ucy,dc=ac,dc=cy -w admin-secret >/dev/null 2>&1 || true
  fi
  # And what the content filter held for her (a test's held mail and release requests would
  # otherwise pile up from run to run ahead of the next run's in the oldest-first queues).
  # $uid is checked above: letters, digits, ".", "_", "-" only.
  if piece_pid pg >/dev/null; then
    pg_sql -d mail_log >/dev/null <<SQL || true
DELETE FROM msgrcpt WHERE rid IN (SELECT id FROM maddr WHERE email = convert_to(lower('$uid@cs.ucy.ac.cy'), 'UTF8'));
DELETE FROM msgs m WHERE NOT EXISTS (SELECT 1 FROM msgrcpt r WHERE r.partition_tag = m.partition_tag AND r.mail_id = m.mail_id);
SQL
  fi
}

up() {
  local fresh="${EMAILNG_STACK_FRESH:-0}" arg name
  for arg in "$@"; do
    case "$arg" in
      --fresh) fresh=1 ;;
      *) die "unknown option '$arg'" ;;
    esac
  done
  check_state_path
  if [ "$fresh" = 1 ] && [ -e "$STATE" ]; then
    [ -f "$STATE/$MARKER" ] || die "$STATE exists but is not a stack state directory; not wiping it"
    down
    log "wiping $STATE"
    rm -rf "$STATE"
  fi
  setup
  load_ldap_if_needed
  # A piece whose generated configuration changed is restarted so it uses it.
  for name in $CHANGED; do
    if piece_pid "$name" >/dev/null; then log "$name configuration changed; restarting"; stop_piece "$name"; fi
  done
  # amavisd takes seconds to compile SpamAssassin's rules and PostgreSQL a moment to start:
  # both start in the background while the rest start, and are waited for at the end.
  local slow=(pg amavis) jobs=() failed=0 j
  for name in "${slow[@]}"; do start_piece "$name" & jobs+=($!); done
  for name in "${PIECES[@]}"; do
    case " ${slow[*]} " in *" $name "*) continue ;; esac
    start_piece "$name"
  done
  for j in "${jobs[@]}"; do wait "$j" || failed=1; done
  [ $failed = 0 ] || die "a piece did not start (see above)"
  log "up: LDAP ldap://127.0.0.1:3389; back end IMAP 127.0.0.1:11143 ManageSieve :11190 LMTP :11024;"
  log "    theano 127.0.0.2 / elysso 127.0.0.3: IMAP 10143, ManageSieve 14190;"
  log "    amavisd SMTP 127.0.0.1:10024 AM.PDP :9998; PostgreSQL 127.0.0.1:5433 (mail_log); state $STATE"
}

down() {
  local i
  for ((i = ${#PIECES[@]} - 1; i >= 0; i--)); do
    [ -e "$STATE" ] || break
    stop_piece "${PIECES[$i]}"
  done
}

# One mutating command at a time (two test runs, or up.sh beside a test's ctl.sh stop).
# The lock file sits beside the state directory, which --fresh deletes.  fd 9 is closed for
# the daemons we start, or they would hold the lock forever.
lock() {
  check_state_path
  exec 9>"$STATE.lock"
  flock -w 120 9 || die "another ctl.sh has held $STATE.lock for 120 s"
}

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  start|stop|restart)
    [ $# -eq 1 ] || usage
    piece_ports "$1" >/dev/null
    lock
    case "$cmd" in
      start) start_piece "$1" ;;
      stop) stop_piece "$1" ;;
      restart) stop_piece "$1"; start_piece "$1" ;;
    esac
    ;;
  status)
    if [ $# -eq 0 ]; then
      rc=0
      for name in "${PIECES[@]}"; do status_piece "$name" || rc=3; done
      exit $rc
    fi
    piece_ports "$1" >/dev/null
    status_piece "$1"
    ;;
  up) lock; up "$@" ;;
  down) lock; down ;;
  setup) lock; setup ;;
  reset-user) [ $# -ge 1 ] || usage; for uid in "$@"; do reset_user "$uid"; done ;;
  sql) [ $# -ge 1 ] || usage; db="$1"; shift; pg_sql -d "$db" "$@" ;;
  storage-schema) amavis_storage_schema ;;
  *) usage ;;
esac
