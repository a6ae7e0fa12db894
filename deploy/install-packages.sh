#!/usr/bin/env bash
# Installs the Debian packages the local mail stack and the browser tests need, when missing.
# The system's own slapd/dovecot services are never started: a policy-rc.d forbids it while
# installing, and the units are masked, so only our loopback instances run.
set -euo pipefail

STACK_PKGS=(dovecot-core dovecot-imapd dovecot-managesieved dovecot-sieve dovecot-ldap dovecot-lmtpd slapd ldap-utils)
# The content filter: amavisd-new with SpamAssassin in-process, its SQL log/quarantine in
# PostgreSQL and per-user levels from LDAP.  DBD::Pg and Net::LDAP are only Suggests of
# amavisd-new (without them: no SQL, no LDAP); file(1) types attachments for the banned-file
# check.  Every daemon here is our own instance (deploy/stack/ctl.sh).
STACK_PKGS+=(amavisd-new spamassassin libdbd-pg-perl libnet-ldap-perl postgresql file)
BROWSER_PKGS=(chromium)
# Roundcube 1.6 for the embedded-mode browser test (test/support/roundcube.ts runs it with
# `php -S` on loopback and SQLite). php-cgi satisfies php8.2's SAPI dependency so apt does not
# pull in Apache's module; roundcube-plugins carries managesieve.
ROUNDCUBE_PKGS=(php-cli php-cgi php-sqlite3 roundcube-core roundcube-sqlite3 roundcube-plugins)
# Postfix's LDAP table, to prove the relays resolve mailForwardingAddress (`postmap -q`); no
# Postfix daemon runs.
POSTFIX_PKGS=(postfix postfix-ldap)
# Redis for the several-instances tests (test/integration/ops: each test starts its own
# redis-server on a loopback port; the system's instance never runs).
REDIS_PKGS=(redis-server)
# nginx to check the reverse-proxy example (deploy/nginx) with `nginx -t`, and systemd for
# `systemd-analyze verify` of the unit (deploy/systemd); no nginx daemon runs, nothing boots.
NGINX_PKGS=(nginx libnginx-mod-http-brotli-static systemd)

want=("${STACK_PKGS[@]}")
case "${1:-stack}" in
  stack) ;;
  all) want+=("${BROWSER_PKGS[@]}" "${ROUNDCUBE_PKGS[@]}" "${POSTFIX_PKGS[@]}" "${REDIS_PKGS[@]}" "${NGINX_PKGS[@]}") ;;
  browser) want=("${BROWSER_PKGS[@]}") ;;
  roundcube) want=("${ROUNDCUBE_PKGS[@]}") ;;
  postfix) want=("${POSTFIX_PKGS[@]}") ;;
  redis) want=("${REDIS_PKGS[@]}") ;;
  nginx) want=("${NGINX_PKGS[@]}") ;;
  *) echo "usage: $0 [stack|browser|roundcube|postfix|redis|nginx|all]" >&2; exit 2 ;;
esac

# One dpkg-query for the whole list (it runs on every up.sh).
installed=" $(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "${want[@]}" 2>/dev/null \
  | awk '$1 == "installed" { printf "%s ", $2 }')"
missing=()
for p in "${want[@]}"; do
  case "$installed" in *" $p "*) ;; *) missing+=("$p") ;; esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

echo "Installing Debian packages: ${missing[*]}" >&2
policy=/usr/sbin/policy-rc.d
had_policy=0
[ -e "$policy" ] && had_policy=1
if [ $had_policy -eq 0 ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
fi
cleanup() { [ $had_policy -eq 0 ] && $SUDO rm -f "$policy"; true; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
# Postfix asks what kind of mail server this is: none, we only use its table tools.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# amavisd-new's postinst enables amavis.service (remove the link; masking follows), and
# spamassassin's starts a gpg-agent for sa-update's keyring that nothing stops.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable amavis.service >/dev/null 2>&1 || true; fi
$SUDO rm -f /etc/systemd/system/multi-user.target.wants/amavis.service
if id -u debian-spamd >/dev/null 2>&1; then
  for pid in $(pgrep -u debian-spamd -x gpg-agent || true); do $SUDO kill "$pid" 2>/dev/null || true; done
fi
# Keep the system instances from ever starting on boot; ours run from deploy/.
for unit in slapd dovecot apache2 php8.2-fpm redis-server nginx \
            amavis amavis-mc amavisd-snmp-subagent postgresql spamd spamassassin-maintenance.timer; do
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl mask "$unit" >/dev/null 2>&1 || true; fi
done
