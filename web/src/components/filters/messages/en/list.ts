// English: The rule list's words (#/filters).
// Merged under `filtersUi` by composables/useFiltersMessages.ts (i18n/messages.ts). Format of i18n/format.ts: {name}, "one | many".
const en = {
  list: {
    heading: 'Your rules',
    hint: 'Rules run from top to bottom on every message that arrives. Drag a rule, or use its ↑ ↓ buttons, to change the order. Changes are kept when you save.',
    add: 'New rule',
    empty: 'You have no rules yet. Incoming mail stays in your Inbox.',
    off: 'Off',
    enabled: 'On',
    problem: 'This rule has a problem: open it to see what to fix.',
    upgraded: 'Corrected: this rule compared the whole From/To header, so a sender’s display name stopped it from matching. It now compares the address: the correction is written the next time you save your rules.',
    moveUp: 'Move “{name}” up',
    moveDown: 'Move “{name}” down',
    moved: '“{name}” moved to position {position} of {count}.',
    duplicate: 'Duplicate',
    duplicated: 'Copy added at position {position}.',
    copyName: '{name} (copy)',
    deleted: '“{name}” will be deleted when you save.',
    deletedAnnounce: '“{name}” deleted. Undo is available until you save.',
    undo: 'Undo',
    restored: '“{name}” is back.',
    count: '{count} rule | {count} rules',
  },
  custom: {
    title: 'Custom Sieve',
    tag: 'Custom Sieve',
    writer: 'Written by {writer}; shown as it is and kept exactly as it is.',
    noWriter: 'Sieve this page cannot show as a rule; kept exactly as it is.',
    codeLabel: 'Sieve of “{name}”',
    more: '… and {count} more line | … and {count} more lines',
    editRaw: 'Edit in the Sieve editor',
    deleteTitle: 'Delete this custom Sieve?',
    deleteText: '“{name}” was not made with this page, so it cannot be rebuilt here once it is gone. It is deleted when you save (until then you can undo).',
    keep: 'Keep it',
    deleteConfirm: 'Delete',
  },
  writers: {
    roundcube: 'Roundcube',
    nextcloud: 'Nextcloud Mail',
    snappymail: 'SnappyMail',
    sievelib: 'a sievelib program',
    emailng: 'this app',
  },
};

export type FiltersListMessages = typeof en;
export default en;
