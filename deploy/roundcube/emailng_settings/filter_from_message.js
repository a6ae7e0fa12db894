/**
 * EmailNG Settings plugin, mail view: "Create a filter…" for the one message selected or open.
 * It only names the message (UID and folder); the plugin reads its headers on the server and
 * opens Mail settings at the app's rule editor (emailng_settings.php, message_values()).
 */
window.rcmail && rcmail.addEventListener('init', function () {
  var command = 'plugin.emailng-filter-from-message';

  rcmail.register_command(command, function () {
    var uid = rcmail.get_single_uid();
    if (!uid) {
      return;
    }
    var url = rcmail.url('settings/plugin.emailng_settings', { _uid: uid, _mbox: rcmail.get_message_mailbox(uid) });
    rcmail.location_href(url, window);
  }, !!rcmail.env.uid);

  if (rcmail.message_list) {
    rcmail.message_list.addEventListener('select', function (list) {
      rcmail.enable_command(command, list.get_single_selection() !== null);
    });
  }
});
