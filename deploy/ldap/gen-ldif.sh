#!/usr/bin/env bash
# Prints the LDIF of the dev/test directory: containers, service accounts, demo users,
# load users (load001..load210) and groups.  Passwords are {SSHA} hashes from slappasswd;
# the 210 load users share one hash (same password), which keeps a cold load fast.
# Non-ASCII values (the Greek names) are base64-encoded ("attr:: ...") as LDIF requires.
# Usage: gen-ldif.sh > all.ldif      (env LOAD_USERS=N to change the load-user count)
set -euo pipefail

BASE="dc=cs,dc=ucy,dc=ac,dc=cy"
DOMAIN="cs.ucy.ac.cy"
# 210: the benchmarks drive 200 of them while load160..load169 stay untouched (kept for
# checks from outside the project; no test or benchmark of ours uses them).
LOAD_USERS="${LOAD_USERS:-210}"

hash() { slappasswd -h '{SSHA}' -s "$1"; }

# attr value -> "attr: value" or "attr:: base64" when not plain ASCII
av() {
  local a="$1" v="$2"
  local LC_ALL=C
  if [[ "$v" =~ ^[\ -~]*$ && "$v" != [\ :\<]* ]]; then
    printf '%s: %s\n' "$a" "$v"
  else
    printf '%s:: %s\n' "$a" "$(printf '%s' "$v" | base64 -w0)"
  fi
}

cat <<LDIF
dn: $BASE
objectClass: top
objectClass: dcObject
objectClass: organization
o: Department of Computer Science, University of Cyprus
dc: cs

dn: ou=People,$BASE
objectClass: organizationalUnit
ou: People

dn: ou=Groups,$BASE
objectClass: organizationalUnit
ou: Groups

dn: ou=Services,$BASE
objectClass: organizationalUnit
ou: Services

dn: cn=emailng-api,ou=Services,$BASE
objectClass: applicationProcess
objectClass: simpleSecurityObject
cn: emailng-api
description: EmailNG Settings API service account (writes alias/forwarding/amavis attributes)
userPassword: $(hash emailng-api-secret)

dn: cn=dovecot,ou=Services,$BASE
objectClass: applicationProcess
objectClass: simpleSecurityObject
cn: dovecot
description: Dovecot read-only lookup account
userPassword: $(hash dovecot-secret)

dn: cn=amavis,ou=Services,$BASE
objectClass: applicationProcess
objectClass: simpleSecurityObject
cn: amavis
description: amavisd-new read-only lookup account (per-user spam levels and sender lists)
userPassword: $(hash amavis-secret)

LDIF

# uid, password, givenName, sn, alias local part, quota ("" = no mailQuota)
user() {
  local uid="$1" pw="$2" given="$3" sn="$4" alias="$5" quota="$6" pwhash="${7:-}"
  [ -n "$pwhash" ] || pwhash="$(hash "$pw")"
  echo "dn: uid=$uid,ou=People,$BASE"
  echo "objectClass: inetOrgPerson"
  echo "objectClass: emailngMailUser"
  echo "objectClass: amavisAccount"
  echo "uid: $uid"
  av cn "$given $sn"
  av sn "$sn"
  av givenName "$given"
  av displayName "$given $sn"
  echo "mail: $uid@$DOMAIN"
  echo "mailAlternateAddress: $alias@$DOMAIN"
  [ -z "$quota" ] || echo "mailQuota: $quota"
  echo "userPassword: $pwhash"
  echo
}

user alice    alice-demo-pass    Alice   Liddell  alice.liddell   104857600
user bob      bob-demo-pass      Bob     Builder  bob.builder     52428800
user gandre01 gandre01-demo-pass Γιώργος Ανδρέου  giorgos.andreou 104857600
user carol    carol-demo-pass    Carol   Danvers  carol.danvers   ""

loadhash="$(hash load-pass)"
for i in $(seq 1 "$LOAD_USERS"); do
  n="$(printf '%03d' "$i")"
  # cn "Load User 001": givenName "Load", sn "User 001"
  user "load$n" "" Load "User $n" "load.user$n" 104857600 "$loadhash"
done

group() {
  local cn="$1" desc="$2" mail="$3"; shift 3
  echo "dn: cn=$cn,ou=Groups,$BASE"
  echo "objectClass: groupOfUniqueNames"
  [ -z "$mail" ] || echo "objectClass: extensibleObject"
  echo "cn: $cn"
  echo "description: $desc"
  [ -z "$mail" ] || echo "mail: $mail"
  for m in "$@"; do echo "uniqueMember: uid=$m,ou=People,$BASE"; done
  echo
}

group cs-staff     "Department staff"        ""                           alice gandre01
group cs-students  "Department students"     ""                           bob carol
group seminar-list "Department seminar list" "seminar-list@$DOMAIN"       alice bob gandre01
# The helpdesk (config helpdesk.group / readOnlyGroup, quarantine.approverGroup): load064
# looks and acts, load065 only looks.
group helpdesk          "Helpdesk: may look at and act on users' delivery"  ""  load064
group helpdesk-readonly "Helpdesk: may look at users' delivery only"        ""  load065
