import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { useSession } from '../composables/useSession';
import { safeRedirect } from './redirect';

declare module 'vue-router' {
  interface RouteMeta {
    /** Message key of the page title (the `<title>` and the view's heading). */
    titleKey: string;
    /** Reachable without signing in. */
    public?: boolean;
    /** Listed in the main navigation. */
    nav?: boolean;
    /** Listed only where the site offers it (GET /api/me says so). */
    needs?: 'quarantine' | 'helpdesk';
  }
}

// Views mirror routes; each is its own chunk, loaded when first visited.
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'overview', component: () => import('../views/OverviewView.vue'), meta: { titleKey: 'nav.overview', nav: true } },
  {
    path: '/filters',
    component: () => import('../views/FiltersView.vue'),
    meta: { titleKey: 'nav.filters', nav: true },
    children: [
      { path: '', name: 'filters', component: () => import('../views/filters/RulesView.vue'), meta: { titleKey: 'nav.filters' } },
      // `new?from=…&subject=…&listId=…`: a rule pre-filled from a message (web/README.md).
      { path: 'new', name: 'filters-new', component: () => import('../views/filters/RuleEditView.vue'), meta: { titleKey: 'nav.filters' } },
      { path: 'rule/:key', name: 'filters-rule', component: () => import('../views/filters/RuleEditView.vue'), meta: { titleKey: 'nav.filters' } },
      { path: 'raw', name: 'filters-raw', component: () => import('../views/filters/RawScriptView.vue'), meta: { titleKey: 'nav.filters' } },
      { path: 'scripts', name: 'filters-scripts', component: () => import('../views/filters/ScriptsView.vue'), meta: { titleKey: 'nav.filters' } },
      { path: 'history', name: 'filters-history', component: () => import('../views/filters/HistoryView.vue'), meta: { titleKey: 'nav.filters' } },
    ],
  },
  { path: '/vacation', name: 'vacation', component: () => import('../views/VacationView.vue'), meta: { titleKey: 'nav.vacation', nav: true } },
  { path: '/spam', name: 'spam', component: () => import('../views/SpamView.vue'), meta: { titleKey: 'nav.spam', nav: true } },
  { path: '/forwarding', name: 'forwarding', component: () => import('../views/ForwardingView.vue'), meta: { titleKey: 'nav.forwarding', nav: true } },
  { path: '/aliases', name: 'aliases', component: () => import('../views/AliasesView.vue'), meta: { titleKey: 'nav.aliases', nav: true } },
  { path: '/quota', name: 'quota', component: () => import('../views/QuotaView.vue'), meta: { titleKey: 'nav.quota', nav: true } },
  // `?open=<id>`: that held message opens (the digests link here; opening never acts).
  { path: '/held', name: 'held', component: () => import('../views/HeldView.vue'), meta: { titleKey: 'nav.held', nav: true, needs: 'quarantine' } },
  { path: '/security', name: 'security', component: () => import('../views/SecurityView.vue'), meta: { titleKey: 'nav.security', nav: true } },
  // For members of the helpdesk groups only (the API answers 403 to everyone else); not in the navigation.
  { path: '/helpdesk', name: 'helpdesk', component: () => import('../views/HelpdeskView.vue'), meta: { titleKey: 'nav.helpdesk', nav: true, needs: 'helpdesk' } },
  { path: '/sign-in', name: 'sign-in', component: () => import('../views/SignInView.vue'), meta: { titleKey: 'signIn.title', public: true } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../views/NotFoundView.vue'), meta: { titleKey: 'notFound.title' } },
];

export function createAppRouter() {
  // Hash history: the server only ever sees the page's own path, so the app works under
  // any prefix (inside Roundcube, behind nginx) without rewrite rules.
  const router = createRouter({ history: createWebHashHistory(), routes });

  router.beforeEach(async (to) => {
    const session = useSession();
    await session.ensureLoaded();
    if (!to.meta.public && !session.signedIn.value) {
      return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (to.name === 'sign-in' && session.signedIn.value) return safeRedirect(to.query.redirect);
    return true;
  });

  return router;
}
