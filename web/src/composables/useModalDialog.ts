import { nextTick, onBeforeUnmount, watch, type Ref } from 'vue';
import { focusMainHeading } from './useDocument';

// A modal <dialog> driven by a boolean: showModal() makes the rest of the page inert, Tab
// and Shift+Tab wrap inside the dialog, Escape cancels, and on closing focus returns to the
// element that had it before (the button that opened the dialog), or to the page's heading
// when that element is gone. DOM effects live here,
// not in the component (web/README.md). Used by components/common/ModalDialog.vue.

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function useModalDialog(
  dialog: Ref<HTMLDialogElement | null>,
  open: Ref<boolean>,
  options: { onCancel: () => void; initialFocus?: () => HTMLElement | null | undefined },
): void {
  let returnTo: HTMLElement | null = null;

  function focusables(): HTMLElement[] {
    return dialog.value ? [...dialog.value.querySelectorAll<HTMLElement>(FOCUSABLE)] : [];
  }

  function onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Tab') return;
    const items = focusables();
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !dialog.value?.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.value?.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  function onCancel(event: Event): void {
    // Escape: the parent decides (it may be busy); it sets `open` to false to close.
    event.preventDefault();
    options.onCancel();
  }

  watch(
    open,
    async (isOpen) => {
      await nextTick();
      const el = dialog.value;
      if (!el) return;
      if (isOpen && !el.open) {
        returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        el.addEventListener('keydown', onKeydown);
        el.addEventListener('cancel', onCancel);
        el.showModal();
        (options.initialFocus?.() ?? focusables()[0] ?? el).focus();
      } else if (!isOpen && el.open) {
        close(el);
      }
    },
    { immediate: true, flush: 'post' },
  );

  function close(el: HTMLDialogElement): void {
    el.removeEventListener('keydown', onKeydown);
    el.removeEventListener('cancel', onCancel);
    el.close();
    const target = returnTo;
    returnTo = null;
    // The opener may be gone (the alias it removed): start again from the page's heading.
    if (target?.isConnected) target.focus();
    else focusMainHeading();
  }

  onBeforeUnmount(() => {
    if (dialog.value?.open) close(dialog.value);
  });
}
