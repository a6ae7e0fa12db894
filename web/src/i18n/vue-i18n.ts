import { inject, ref, shallowRef, type App, type InjectionKey, type Ref } from 'vue';
import { compileMessage, type MessageFunction, type Named } from './format';

// The app's translator: the part of vue-i18n's composition API the app uses (t, te, locale,
// setLocaleMessage, mergeLocaleMessage), on our own message format (format.ts). vue-i18n's
// runtime was 35 KB of the first view's 175 KB of script (~11 KB compressed) for a lookup,
// a placeholder fill and a plural pick. Import useI18n from here, as before.

type Messages = { [key: string]: unknown };

export interface Translate {
  (key: string, named?: Named | number, count?: number): string;
}

export interface Composer<L extends string = string> {
  locale: Ref<L>;
  t: Translate;
  /** True when the shown language has a message for `key`. */
  te(key: string, locale?: L): boolean;
  setLocaleMessage(locale: L, messages: object): void;
  mergeLocaleMessage(locale: L, messages: object): void;
}

export interface I18n<L extends string = string> {
  global: Composer<L>;
  install(app: App): void;
}

export interface I18nOptions<L extends string> {
  locale: L;
  fallbackLocale: L;
}

const KEY: InjectionKey<Composer> = Symbol('i18n');

function lookup(messages: Messages | undefined, key: string): unknown {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Messages)[part];
  }
  return node;
}

function merge(into: Messages, from: Messages): void {
  for (const [k, v] of Object.entries(from)) {
    const existing = into[k];
    if (v && typeof v === 'object' && existing && typeof existing === 'object') merge(existing as Messages, v as Messages);
    else into[k] = v;
  }
}

export function createI18n<L extends string>(options: I18nOptions<L>): I18n<L> {
  const locale = ref(options.locale) as Ref<L>;
  const messages = new Map<L, Messages>();
  // Bumped on every change of messages: t() reads it, so what shows a message re-renders.
  const version = shallowRef(0);
  const compiled = new Map<string, MessageFunction>();

  function message(l: L, key: string): MessageFunction | null {
    const id = `${l}\u0000${key}`;
    let fn = compiled.get(id);
    if (!fn) {
      const text = lookup(messages.get(l), key);
      if (typeof text !== 'string') return null;
      fn = compileMessage(text);
      compiled.set(id, fn);
    }
    return fn;
  }

  const t: Translate = (key, named, count) => {
    void version.value;
    const values = typeof named === 'number' ? { count: named, n: named } : (named ?? {});
    const n = typeof named === 'number' ? named : count;
    const fn = message(locale.value, key) ?? message(options.fallbackLocale, key);
    return fn ? fn(values, n) : key;
  };

  function changed(): void {
    compiled.clear();
    version.value += 1;
  }

  const global: Composer<L> = {
    locale,
    t,
    te: (key, l) => {
      void version.value;
      return typeof lookup(messages.get(l ?? locale.value), key) === 'string';
    },
    setLocaleMessage(l, m) {
      messages.set(l, structuredClone(m) as Messages);
      changed();
    },
    mergeLocaleMessage(l, m) {
      const into = messages.get(l) ?? {};
      merge(into, structuredClone(m) as Messages);
      messages.set(l, into);
      changed();
    },
  };
  return {
    global,
    install(app) {
      app.provide(KEY, global as unknown as Composer);
    },
  };
}

/** The app's translator, in a component's setup (or a composable it calls). */
export function useI18n<L extends string = string>(): Composer<L> {
  const composer = inject(KEY, null);
  if (!composer) throw new Error('useI18n() outside the app (app.use(i18n) missing)');
  return composer as unknown as Composer<L>;
}
