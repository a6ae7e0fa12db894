import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router';
import { i18n, initialLocale, setLocale } from './i18n';
import { setUnauthenticatedHandler } from './api/client';
import { useSession } from './composables/useSession';
import { initEmbedded } from './composables/useEmbedded';
import './styles/main.css';

async function start(): Promise<void> {
  initEmbedded();
  const session = useSession();
  const router = createAppRouter();

  // A request failing with 401 mid-use means the session cookie expired: go to sign-in
  // and come back to the same page afterwards.
  setUnauthenticatedHandler(() => {
    session.expire();
    const here = router.currentRoute.value;
    if (here.name !== 'sign-in') void router.replace({ name: 'sign-in', query: { redirect: here.fullPath } });
  });

  // The session check and the language's messages load in parallel with the app code.
  void session.ensureLoaded();
  const app = createApp(App).use(i18n).use(router);
  await Promise.all([setLocale(initialLocale()), router.isReady()]);
  app.mount('#app');
}

start().catch((err: unknown) => {
  // Without the app or its messages there is nothing translated to show: say it in both.
  console.error(err);
  const boot = document.querySelector('#app .boot');
  if (boot) boot.textContent = 'The page could not be loaded. Check your connection and reload. · Η σελίδα δεν φορτώθηκε. Ελέγξτε τη σύνδεσή σας και ανανεώστε τη σελίδα.';
});
