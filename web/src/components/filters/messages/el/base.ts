import type { FiltersBaseMessages } from '../en/base';

// Ελληνικά· ο τύπος του αντίστοιχου αγγλικού αρχείου εγγυάται ότι δεν λείπει κλειδί.
const el: FiltersBaseMessages = {
  common: {
    cancel: 'Ακύρωση',
    unnamed: '(χωρίς όνομα)',
    delete: 'Διαγραφή',
  },
  tabs: {
    label: 'Σελίδες φίλτρων',
    rules: 'Κανόνες',
    raw: 'Σενάριο Sieve',
    scripts: 'Σενάρια',
    history: 'Ιστορικό',
  },
};

export default el;
