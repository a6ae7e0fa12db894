<?php

/**
 * The values "Create a filter…" proposes, read on the server from the message as Roundcube's
 * own IMAP session fetches it (the browser only names the message): the sender's address,
 * the List-Id's <id>, the Subject. Headers are unfolded (RFC 5322 2.2.3) and the first of
 * each name counts, as the Sieve tests read them.
 *
 * - From: the address, parsed from the raw header before any RFC 2047 decoding, so a display
 *   name that decodes to "<other@x>" cannot pose as the address; the name is never used.
 * - List-Id: the id between the last angle brackets of the raw header (RFC 2919); the phrase
 *   before it, encoded or not, is ignored.
 * - Subject: RFC 2047 decoded to UTF-8, as it is; what it decodes to (line breaks, controls,
 *   its length) is the app's to judge, like anything typed.
 *
 * Each value is cut to MAX_LENGTH characters, to keep the frame's URL within what proxies
 * accept; that is more than the app takes, so it still sees, and says, that it was too long.
 */
class emailng_message_values
{
    const MAX_LENGTH = 300;

    /** ['from' => …, 'listId' => …, 'subject' => …], each present only when the message has it. */
    public static function from_raw_headers($raw)
    {
        $headers = self::first_headers((string) $raw, ['from', 'list-id', 'subject']);
        $values = [];

        if (isset($headers['from'])) {
            $list = rcube_mime::decode_address_list($headers['from'], 1, false);
            $first = reset($list);
            if ($first && !empty($first['mailto'])) {
                $values['from'] = $first['mailto'];
            }
        }
        if (isset($headers['list-id']) && preg_match('/<([^<>]*)>[^<>]*$/', $headers['list-id'], $m)) {
            $values['listId'] = trim($m[1]);
        }
        if (isset($headers['subject'])) {
            $values['subject'] = rcube_charset::clean(rcube_mime::decode_header($headers['subject']));
        }

        $values = array_filter($values, function ($v) { return $v !== ''; });
        return array_map(function ($v) { return mb_substr($v, 0, self::MAX_LENGTH, 'UTF-8'); }, $values);
    }

    /** The first value of each wanted header (lower-case names), unfolded, as raw text. */
    private static function first_headers($raw, array $wanted)
    {
        // Unfolding removes the line break before a space or tab, nothing else.
        $unfolded = preg_replace('/\r?\n(?=[ \t])/', '', $raw);
        $found = [];
        foreach (preg_split('/\r?\n/', $unfolded) as $line) {
            if (!preg_match('/^([!-9;-~]+)[ \t]*:(.*)$/s', $line, $m)) {
                continue;
            }
            $name = strtolower($m[1]);
            if (in_array($name, $wanted, true) && !isset($found[$name])) {
                $found[$name] = trim($m[2]);
            }
        }
        return $found;
    }
}
