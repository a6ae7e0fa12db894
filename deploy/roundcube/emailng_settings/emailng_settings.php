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
 * Configuration: config.inc.php.dist (copy to config.inc.php, or to
 * <roundcube config dir>/emailng_settings.inc.php). See deploy/roundcube/README.md.
 */
class emailng_settings extends rcube_plugin
{
    public $task = 'settings';

    /** @var rcmail */
    private $rc;

    public function init()
    {
        $this->rc = rcmail::get_instance();
        // config.inc.php here, else emailng_settings.inc.php in Roundcube's config directory.
        // (The .dist is documentation only: loading it would override the main config.)
        $this->load_config();
        $this->add_texts('localization/', false);

        $this->add_hook('settings_actions', [$this, 'settings_actions']);
        $this->register_action('plugin.emailng_settings', [$this, 'show']);

        // The list entry's icon, on every Settings page.
        $this->include_stylesheet($this->local_skin_path() . '/emailng_settings.css');
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

        $query = http_build_query([
            'token' => (string) $token,
            'lang'  => (string) $this->rc->get_user_language(),
        ], '', '&', PHP_QUERY_RFC3986);
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
