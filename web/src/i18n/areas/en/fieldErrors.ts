// English: the words of the form fields' error codes (sign-in, vacation, spam, forwarding).
// Merged under `fieldErrors` by i18n/messages.ts when a page that shows them opens. Format of i18n/format.ts: {name}, "one | many".
const en = {
  required: 'Please fill this in.',
  too_long: 'This is too long.',
  invalid: 'This is not valid.',
  end_before_start: 'The end is before the start.',
  end_in_past: 'This is already in the past.',
  line_break: 'This must be one line, without line breaks.',
  not_own_address: 'This is not one of your addresses.',
  out_of_range: 'This number is out of range.',
  not_a_number: 'This is not a number.',
  not_address_or_domain: 'This is not an address or a domain.',
  duplicate: 'This is in the list twice.',
  discard_below_threshold: 'This must be higher than the spam score.',
  own_address: 'This is one of your own addresses.',
  too_many: 'There are too many entries.',
  // Forwarding targets (the forwarding page and a filter's forward action): shared/forward-target.ts
  address_too_long: 'This address is too long: at most 254 characters (bytes) in all.',
  local_part_too_long: 'The part before the @ is too long: at most 64 characters.',
  quoted_local_part: 'Addresses with quotation marks before the @ are not accepted here.',
  source_route: 'An address with % or ! asks a server to pass the mail on elsewhere; it is not accepted. Write the final address.',
  ip_literal: 'Write the address with a domain name, not an IP address.',
  single_label_domain: 'The domain after the @ needs a dot, like example.org.',
  reserved_domain: 'Mail to this domain never reaches anyone (for example localhost or .local).',
  invalid_domain: 'The domain after the @ is not valid: only letters, digits, hyphens and dots, with no invisible characters.',
  label_hyphen: 'A part of the domain cannot start or end with a hyphen (-).',
  label_too_long: 'A part of the domain between dots is too long: at most 63 characters.',
  control_character: 'This holds an invisible control character (often pasted from another program), which mail cannot carry. Type the text again.',
  format_character: 'This holds an invisible formatting character (such as a right-to-left mark or a zero-width space), which would change how it reads. Type the text again.',
  below_scale: 'This score is too low: the mail server would treat every message as spam.',
  vacation_elsewhere: 'Your own filters already send an automatic reply. Remove it on the Filters page first: two replies would stop all your filters.',
};

export type Messages = typeof en;
export default en;
