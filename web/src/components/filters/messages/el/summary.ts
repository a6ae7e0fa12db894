import type { FiltersSummaryMessages } from '../en/summary';

// Ελληνικά· ο τύπος του αντίστοιχου αγγλικού αρχείου εγγυάται ότι δεν λείπει κλειδί.
const el: FiltersSummaryMessages = {
  summary: {
    always: 'Κάθε μήνυμα',
    and: ' και ',
    or: ' ή ',
    not: 'όχι ({text})',
    size: 'Μέγεθος {op} {size}',
    header: 'Κεφαλίδα «{name}»',
    envelope: {
      from: 'Αποστολέας φακέλου',
      to: 'Παραλήπτης φακέλου',
    },
    date: 'Σημερινή ημερομηνία {op} {value}',
    dateOp: { ge: '≥', le: '≤', gt: '>', lt: '<', eq: '=' },
    move: 'μετακίνηση στο {folder}',
    copy: 'αντιγραφή στο {folder}',
    read: 'σήμανση ως αναγνωσμένο',
    flag: 'σημαία',
    flags: 'προσθήκη σημαιών {flags}',
    setFlags: 'αντικατάσταση όλων των σημαιών με {flags}',
    removeFlags: 'αφαίρεση σημαιών {flags}',
    redirect: 'προώθηση στο {address} (χωρίς αντίγραφο)',
    redirectCopy: 'προώθηση αντιγράφου στο {address}',
    discard: 'διαγραφή',
    reject: 'άρνηση',
    keep: 'παραμονή στα Εισερχόμενα',
    fold: {
      folded: '{text} (με ή χωρίς τόνους, σε κάθε πεζά/κεφαλαία)',
      exactAccents: '{text} (τόνοι όπως γράφτηκαν, σε κάθε πεζά/κεφαλαία)',
      exact: '{text} (ακριβώς όπως γράφτηκε)',
    },
    ownFlags: '{action}, με σήμανση {flags}',
    ownFlagsCopy: '{action}, με σήμανση {flags} (μόνο αυτό το αντίγραφο)',
    ownNoFlags: '{action}, χωρίς σημαίες',
    flagWord: { seen: 'αναγνωσμένο', flagged: 'σημαία', and: ' και ' },
    markScope: {
      both: '{action}: το μήνυμα στα Εισερχόμενα και τα αντίγραφα που αρχειοθετούνται μετά',
      inbox: '{action}: το μήνυμα στα Εισερχόμενα',
      later: '{action}: τα αντίγραφα που αρχειοθετούνται μετά',
      none: '{action}: μόνο ό,τι αποθηκεύσουν επόμενοι κανόνες',
    },
    vacation: 'αυτόματη απάντηση',
    stop: 'τέλος',
  },
  field: {
    from: 'Από',
    'to-or-cc': 'Προς ή Κοιν.',
    'from-header': 'Από (όνομα και διεύθυνση)',
    'to-or-cc-header': 'Προς ή Κοιν. (ονόματα και διευθύνσεις)',
    subject: 'Θέμα',
    'list-id': 'List-Id',
    body: 'Κείμενο μηνύματος',
  },
  op: {
    contains: 'περιέχει',
    is: 'είναι',
    starts: 'αρχίζει με',
    ends: 'τελειώνει σε',
    matches: 'ταιριάζει με το μοτίβο',
    regex: 'ταιριάζει με την έκφραση',
  },
  opNot: {
    contains: 'δεν περιέχει',
    is: 'δεν είναι',
    starts: 'δεν αρχίζει με',
    ends: 'δεν τελειώνει σε',
    matches: 'δεν ταιριάζει με το μοτίβο',
    regex: 'δεν ταιριάζει με την έκφραση',
  },
  size: {
    over: 'είναι πάνω από',
    under: 'είναι κάτω από',
  },
};

export default el;
