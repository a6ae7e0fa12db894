// English: Texts of the field codes of the filters API and the builder's own checks.
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  fieldErrors: {
    required: 'Fill this in.',
    matches_everything: 'Write some text: an empty value would match every message.',
    no_conditions: 'Add a condition, or choose “Every message”.',
    invalid_header_name: 'A header name has letters, digits and dashes, without spaces or a colon (for example X-Mailer).',
    invalid_regex: 'This is not a valid regular expression.',
    invalid_address: 'This is not an email address.',
    own_address: 'This is one of your own addresses: mail would loop back to you.',
    not_own_address: 'An automatic reply can only be sent from one of your own addresses.',
    encoded_word: 'Write the name as plain text: encoded words (=?…?=) are not allowed.',
    invalid_flag:
      'Not a valid flag. Use \\Seen, \\Flagged, \\Answered, \\Draft, \\Deleted, or a keyword of at most 50 Latin letters (A–Z), digits and signs such as $ _ - . — no spaces, no Greek or accented letters, none of ( ) { % * " \\ ] — for example $Work.',
    forbidden_character: 'A folder name cannot contain " \\ * % or control characters.',
    invisible_character: 'A folder name cannot contain invisible characters (such as a zero-width space or a text-direction mark): the folder would look like another one.',
    not_normalized: 'This folder name is written with separate accent marks. Type it again, or choose the folder from the list.',
    surrounding_space: 'A folder name cannot start or end with a space.',
    dot_level: 'A folder name cannot be “.” or “..”.',
    reserved_name: 'This name is kept for the mail server’s own files.',
    lookalike: 'You already have a folder with a name that looks the same (another case, a final ς written as σ, or spaces). Choose that folder, or another name.',
    leading_tilde: 'A folder name cannot start with ~.',
    empty_level: 'A folder path cannot have an empty part (// or a / at either end).',
    delimiter: 'A new folder’s name cannot contain /.',
    unsupported: 'The mail server does not support this.',
    not_allowed: 'A rule for every message has no conditions.',
    too_many_redirects: 'Too many forwards: the mail server sends each message to at most {max} addresses, forwarding setting included.',
    custom_missing: 'A custom Sieve block went missing from the list. Reload the page.',
    invalid_date: 'This is not a valid date.',
    too_long: 'This is too long.',
    too_many: 'Too many entries.',
    line_break: 'This must be one line, without line breaks.',
    out_of_range: 'This number is out of range.',
    unknown: 'This is not known on the server any more. Reload the page.',
    duplicate: 'This appears twice in the list.',
    also_kept: 'This block is both kept and deleted.',
    not_applicable: 'Only moving and flagging can be applied to mail you already have.',
    conflict_exists: 'That name exists already.',
    refused: 'The mail server refused this name.',
    reserved: 'This name is kept for the app’s own scripts.',
    history_script: 'The history script only holds old versions.',
  },
};

export type FiltersErrorsMessages = typeof en;
export default en;
