<?php

/**
 * EmailNG Settings inside Roundcube (1.6, Elastic).
 *
 * Adds "Mail settings" to Settings. Its page shows the EmailNG Settings app in an iframe and
 * signs the user in there without a second password: the iframe first loads the app's
 * /sso?token=… with a short-lived (≤ 60 s), single-use JWT for the logged-in Roundcube user
 * (iss, aud, sub, iat, exp, jti; HS256 with a shared secret or EdDSA with an Ed25519 key).
 * The app verifies it and opens its own session; it reaches the mail servers through the
 * Dovecot master user, so no password is passed on. The app follows Roundcube's language and
 * Elastic's light/dark mode (also when the user switches it while the page is open).
 *
 * In the mail view it adds "Create a filter…" (toolbar and the More menu; Elastic keeps the
 * toolbar in the message's header on a phone): it opens Mail settings at the app's rule editor,
 * pre-filled from that message's headers, read here from Roundcube's own IMAP session
 * (lib/emailng_message_values.php), never taken from the browser.
 *
 * Configuration: config.inc.php.dist (copy to config.inc.php, or to
 * <roundcube config dir>/emailng_settings.inc.php). See deploy/roundcube/README.md.
 */
require_once __DIR__ . '/lib/emailng_message_values.php';

class emailng_settings extends rcube_plugin
{
    public $task = 'mail|settings';

    /** The command of "Create a filter…" in the mail view (filter_from_message.js). */
    const FILTER_COMMAND = 'plugin.emailng-filter-from-message';

    /** @var rcmail */
    private $rc;

    public function init()
    {
        $this->rc = rcmail::get_instance();
        // config.inc.php here, else emailng_settings.inc.php in Roundcube's config directory.
        // (The .dist is documentation only: loading it would override the main config.)
        $this->load_config();
        $this->add_texts('localization/', false);

        if ($this->rc->task === 'mail') {
            $this->add_filter_buttons();
            return;
        }

        $this->add_hook('settings_actions', [$this, 'settings_actions']);
        $this->register_action('plugin.emailng_settings', [$this, 'show']);

        // The list entry's icon, on every Settings page.
        $this->include_stylesheet($this->local_skin_path() . '/emailng_settings.css');
    }

    /** "Create a filter…" in the message list's toolbar (the open message's, on a phone), a message's page, and their More menus. */
    private function add_filter_buttons()
    {
        $action = (string) $this->rc->action;
        if ($this->rc->output->type !== 'html' || ($action !== '' && $action !== 'show')) {
            return;
        }
        $this->include_script('filter_from_message.js');
        $this->include_stylesheet($this->local_skin_path() . '/emailng_settings.css');
        $this->add_button([
            'command'    => self::FILTER_COMMAND,
            'type'       => 'link',
            'class'      => 'button emailng-filter disabled',
            'classact'   => 'button emailng-filter',
            'innerclass' => 'inner',
            // Elastic's toolbar has room for a word or two under each icon.
            'label'      => 'emailng_settings.filterbutton',
            'title'      => 'emailng_settings.createfiltertitle',
        ], 'toolbar');
        $this->add_button([
            'command'    => self::FILTER_COMMAND,
            'type'       => 'link-menuitem',
            'class'      => 'icon emailng-filter disabled',
            'classact'   => 'icon emailng-filter active',
            'innerclass' => 'icon emailng-filter',
            'label'      => 'emailng_settings.createfilter',
        ], 'messagemenu');
    }

    /**
     * The values of the message "Create a filter…" was chosen on (`_uid`, `_mbox` of the
     * request), read through Roundcube's IMAP session; [] when there is none or it is gone.
     */
    private function message_values()
    {
        $uid = (string) rcube_utils::get_input_string('_uid', rcube_utils::INPUT_GET);
        $mbox = (string) rcube_utils::get_input_string('_mbox', rcube_utils::INPUT_GET, true);
        // A search over several folders names a message "<uid>-<folder>".
        if (preg_match('/^(\d+)-(.+)$/s', $uid, $m)) {
            list(, $uid, $mbox) = $m;
        }
        if (!ctype_digit($uid) || $mbox === '') {
            return [];
        }
        $storage = $this->rc->get_storage();
        $storage->set_folder($mbox);
        $raw = $storage->get_raw_headers($uid);
        return is_string($raw) && $raw !== '' ? emailng_message_values::from_raw_headers($raw) : [];
    }

    /** The entry in Settings' list of sections. */
    public function settings_actions($args)
    {
        $args['actions'][] = [
            'action' => 'plugin.emailng_settings',
            'class'  => 'emailng-settings',
            'label'  => 'mailsettings',
            'title'  => 'mailsettingstitle',
            'domain' => 'emailng_settings',
        ];
        return $args;
    }

    /** The section's page: Elastic's generic plugin page with the app's frame as its body. */
    public function show()
    {
        $base = rtrim((string) $this->rc->config->get('emailng_settings_url'), '/') . '/';
        $token = $base !== '/' ? $this->sign_token() : null;
        if ($token === null) {
            rcube::raise_error(['code' => 500, 'file' => __FILE__, 'line' => __LINE__,
                'message' => 'emailng_settings: set emailng_settings_url, _issuer, _audience, _algorithm and _key'], true, false);
        }

        $params = [
            'token' => (string) $token,
            'lang'  => (string) $this->rc->get_user_language(),
        ];
        // From "Create a filter…": the app's rule editor, pre-filled (api/src/auth/sso-landing.ts).
        if (rcube_utils::get_input_string('_uid', rcube_utils::INPUT_GET) !== '') {
            $params = array_merge($params, ['next' => 'filter-from-message'], $this->message_values());
        }
        $query = http_build_query($params, '', '&', PHP_QUERY_RFC3986);
        $parts = parse_url($base);
        $origin = $parts['scheme'] . '://' . $parts['host'] . (isset($parts['port']) ? ':' . $parts['port'] : '');

        // The JS adds &theme=light|dark (Elastic decides the mode in the browser) and loads the frame.
        $this->rc->output->set_env('emailng_settings_src', $token === null ? null : $base . 'sso?' . $query);
        $this->rc->output->set_env('emailng_settings_origin', $origin);
        $this->include_script('emailng_settings.js');
        $this->register_handler('plugin.body', [$this, 'frame']);
        $this->rc->output->set_pagetitle($this->gettext('mailsettings'));
        $this->rc->output->send('plugin');
    }

    public function frame($attrib)
    {
        $iframe = html::tag('iframe', [
            'id'             => 'emailng-settings-frame',
            'name'           => 'emailng-settings-frame',
            'title'          => $this->gettext('frametitle'),
            'referrerpolicy' => 'no-referrer',
            'src'            => 'about:blank',
        ], '', ['id', 'name', 'title', 'referrerpolicy', 'src']);

        $noscript = html::tag('noscript', [], html::p([], rcube::Q($this->gettext('needsjs'))));
        return html::div(['class' => 'iframe-wrapper emailng-settings-wrapper'], $iframe . $noscript);
    }

    /** A compact JWS for the logged-in user, or null when the plugin is not configured. */
    public function sign_token($now = null)
    {
        $config = $this->rc->config;
        $algorithm = $config->get('emailng_settings_algorithm', 'HS256');
        $key = base64_decode((string) $config->get('emailng_settings_key'), true);
        $issuer = (string) $config->get('emailng_settings_issuer');
        $audience = (string) $config->get('emailng_settings_audience');
        $user = (string) $this->rc->get_user_name();
        if ($key === false || $issuer === '' || $audience === '' || $user === '') {
            return null;
        }

        $now = $now === null ? time() : (int) $now;
        // The API refuses tokens living longer than its sso.maxAgeSeconds (at most 60).
        $ttl = max(5, min(60, (int) $config->get('emailng_settings_token_ttl', 30)));
        $header = ['alg' => $algorithm, 'typ' => 'JWT'];
        $claims = [
            'iss' => $issuer,
            'aud' => $audience,
            'sub' => $user,
            'iat' => $now,
            'exp' => $now + $ttl,
            'jti' => self::b64url(random_bytes(18)),
        ];
        $input = self::b64url(json_encode($header)) . '.' . self::b64url(json_encode($claims, JSON_UNESCAPED_SLASHES));

        if ($algorithm === 'HS256' && strlen($key) >= 32) {
            $signature = hash_hmac('sha256', $input, $key, true);
        }
        else if ($algorithm === 'EdDSA' && function_exists('sodium_crypto_sign_detached')
            && (strlen($key) === SODIUM_CRYPTO_SIGN_SEEDBYTES || strlen($key) === SODIUM_CRYPTO_SIGN_SECRETKEYBYTES)
        ) {
            // The key is the 32-byte Ed25519 seed (bin/keygen.php) or a 64-byte sodium secret key.
            $secret = strlen($key) === SODIUM_CRYPTO_SIGN_SEEDBYTES
                ? sodium_crypto_sign_secretkey(sodium_crypto_sign_seed_keypair($key))
                : $key;
            $signature = sodium_crypto_sign_detached($input, $secret);
        }
        else {
            return null;
        }

        return $input . '.' . self::b64url($signature);
    }

    private static function b64url($bytes)
    {
        return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
    }
}
