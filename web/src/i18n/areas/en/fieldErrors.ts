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
  control_character: 'This holds an invisible control character (often pasted from another program), which mail cannot carry. Type the text again.',
  format_character: 'This holds an invisible formatting character (such as a right-to-left mark or a zero-width space), which would change how it reads. Type the text again.',
  below_scale: 'This score is too low: the mail server would treat every message as spam.',
  vacation_elsewhere: 'Your own filters already send an automatic reply. Remove it on the Filters page first: two replies would stop all your filters.',
};

export type Messages = typeof en;
export default en;
