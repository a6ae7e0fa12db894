import type { Ref } from 'vue';

// DOM effects of the raw Sieve editor: the coloured layer and the line numbers follow the
// textarea's scrolling; "go to line" puts the caret at the start of a line and shows it.

export function useRawScriptEditor(textarea: Ref<HTMLTextAreaElement | null>, layers: Array<Ref<HTMLElement | null>>) {
  function sync(): void {
    const ta = textarea.value;
    if (!ta) return;
    for (const layer of layers) {
      const el = layer.value;
      if (!el) continue;
      el.scrollTop = ta.scrollTop;
      el.scrollLeft = ta.scrollLeft;
    }
  }

  function goToLine(line: number): void {
    const ta = textarea.value;
    if (!ta) return;
    const lines = ta.value.split('\n');
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += (lines[i]?.length ?? 0) + 1;
    ta.focus();
    ta.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
    const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    ta.scrollTop = Math.max(0, (line - 3) * lineHeight);
    sync();
  }

  return { sync, goToLine };
}
