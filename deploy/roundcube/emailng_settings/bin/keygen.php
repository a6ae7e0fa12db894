<?php

// Prints a new Ed25519 key pair for EdDSA single sign-on:
//   the plugin's emailng_settings_key (the 32-byte seed, base64), kept on the webmail host;
//   the API's sso.key (the public key, PEM), which cannot mint tokens.
// Usage: php keygen.php   (needs PHP's sodium extension, built into Debian's php8.2)

if (PHP_SAPI !== 'cli') {
    exit(1);
}

$seed = random_bytes(SODIUM_CRYPTO_SIGN_SEEDBYTES);
$public = sodium_crypto_sign_publickey(sodium_crypto_sign_seed_keypair($seed));
// SubjectPublicKeyInfo for Ed25519 (RFC 8410): fixed 12-byte prefix + the 32-byte key.
$spki = hex2bin('302a300506032b6570032100') . $public;

echo "# Roundcube: plugins/emailng_settings/config.inc.php\n";
echo "\$config['emailng_settings_algorithm'] = 'EdDSA';\n";
echo "\$config['emailng_settings_key'] = '" . base64_encode($seed) . "';\n\n";
echo "# API: the file named by sso.key (algorithm: EdDSA)\n";
echo "-----BEGIN PUBLIC KEY-----\n" . chunk_split(base64_encode($spki), 64, "\n") . "-----END PUBLIC KEY-----\n";
