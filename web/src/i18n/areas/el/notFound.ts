import type { Messages } from '../en/notFound';

// Ελληνικά· ο τύπος του αντίστοιχου αγγλικού αρχείου εγγυάται ότι δεν λείπει κλειδί.
const el: Messages = {
  title: 'Η σελίδα δεν βρέθηκε',
  description: 'Δεν υπάρχει σελίδα ρυθμίσεων σε αυτή τη διεύθυνση.',
  back: 'Μετάβαση στην επισκόπηση',
};

export default el;
