import type { Messages } from '../en/exitsErrors';

// Ελληνικά· ο τύπος του αντίστοιχου αγγλικού αρχείου εγγυάται ότι δεν λείπει κλειδί.
const el: Messages = {
  alert_not_found: 'Αυτή η ειδοποίηση δεν υπάρχει πια. Ανανεώστε τη σελίδα για να δείτε τις τρέχουσες.',
};

export default el;
