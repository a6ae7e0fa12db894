/**
 * EmailNG Settings plugin: loads the app's frame with the light/dark mode Elastic shows
 * (the `dark-mode` class on <html>), and tells the app when the user switches it later.
 */
window.rcmail && rcmail.addEventListener('init', function () {
  var frame = document.getElementById('emailng-settings-frame');
  var src = rcmail.env.emailng_settings_src;
  var origin = rcmail.env.emailng_settings_origin;
  if (!frame || !src) {
    return;
  }

  var theme = function () {
    return document.documentElement.classList.contains('dark-mode') ? 'dark' : 'light';
  };
  var current = theme();
  frame.src = src + '&theme=' + current;

  if (window.MutationObserver) {
    new MutationObserver(function () {
      var next = theme();
      if (next !== current && frame.contentWindow) {
        current = next;
        frame.contentWindow.postMessage({ type: 'emailng-settings:theme', theme: next }, origin);
      }
    }).observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  }
});
