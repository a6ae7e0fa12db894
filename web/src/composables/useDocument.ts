import { nextTick } from 'vue';

// DOM side effects the views need, kept in one typed module rather than spread across
// templates' scripts.

/** Moves focus to the main heading (after a navigation, or from the skip link). */
export function focusMainHeading(): void {
  void nextTick(() => {
    const main = document.getElementById('main');
    const target = main?.querySelector<HTMLElement>('h1') ?? main;
    target?.focus();
  });
}

/** Moves focus to the form control with this id, after the next render. */
export function focusById(id: string): void {
  void nextTick(() => document.getElementById(id)?.focus());
}

/**
 * After a failed save: focus the first control marked invalid, in the page's order (what the
 * user reads first), else the control with `fallbackId` (a field that marks itself another way).
 */
export function focusFirstInvalid(fallbackId: string | null): void {
  void nextTick(() => {
    const first = document.getElementById('main')?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? (fallbackId ? document.getElementById(fallbackId) : null))?.focus();
  });
}

export function setDocumentTitle(title: string): void {
  document.title = title;
}

/** Keeps the current item of a bar that scrolls sideways in view (the filters' tabs on a phone). */
export function revealCurrent(selector: string): void {
  void nextTick(() => document.querySelector(selector)?.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
}
