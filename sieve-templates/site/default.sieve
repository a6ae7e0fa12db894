# Site-wide default script: install as Pigeonhole's sieve_default (not sieve_before),
# compile with sievec. It runs only for users without a script of their own; the app's
# spam section replaces it for users who have one, so their allow list and threshold
# act before tagged mail is filed (see DESIGN decision 3).
require ["fileinto", "mailbox"];

# amavisd-new tags mail over the tag2 level with X-Spam-Flag: YES.
if header :is "X-Spam-Flag" "YES"
{
	fileinto :create "SPAM";
	stop;
}
