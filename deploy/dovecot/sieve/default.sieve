# EmailNG Settings — site-wide default Sieve script (Pigeonhole `sieve_default`).
#
# Runs only for users who have no active script of their own; a user's script may run it
# with `include :global "default";`.  It files mail that amavisd-new tagged as spam
# (X-Spam-Flag: YES, added at or above the tag2 level) into the SPAM folder.  It is
# deliberately NOT a sieve_before script: that would file tagged mail before a user's
# allow list or a more lenient personal threshold could act (docs/ARCHITECTURE.md, decision 7).
# Precompiled with sievec by deploy/stack/up.sh (global scripts must be).
require ["fileinto", "mailbox"];

if header :is "X-Spam-Flag" "YES" {
  fileinto :create "SPAM";
}
