import type { Messages } from '../en/helpdeskErrors';

const el: Messages = {
  helpdesk_not_configured: 'Αυτός ο ιστότοπος δεν έχει σελίδες υποστήριξης.',
  helpdesk_own_account: 'Δεν μπορείτε να χρησιμοποιήσετε την υποστήριξη για τον δικό σας λογαριασμό. Χρησιμοποιήστε τις δικές σας σελίδες ρυθμίσεων.',
};

export default el;
