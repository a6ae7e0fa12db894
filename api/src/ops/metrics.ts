import { BlockList, isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Operational metrics in the Prometheus text format (GET /metrics), on prom-client.
 *
 * Each Metrics has its own registry (several API instances may live in one test process).
 * Label values are bounded: routes are the registered patterns (`/api/filters/:id`), never raw
 * paths; directors and endpoints come from the config.
 */
export type BackendProtocol = 'managesieve' | 'imap' | 'ldap';

export interface PoolSizes {
  managesieve: () => number;
  imap: () => number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  readonly backendErrors: Counter<'protocol' | 'director' | 'endpoint' | 'kind'>;
  readonly signIns: Counter<'method' | 'result'>;
  readonly rateLimited: Counter<'route'>;
  private poolSizes: PoolSizes | null = null;

  constructor(options: { processMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ service: 'emailng-settings' });
    this.httpDuration = new Histogram({
      name: 'emailng_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern, method and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.backendErrors = new Counter({
      name: 'emailng_backend_errors_total',
      help: 'Back-end failures: connect failures per director endpoint (ManageSieve, IMAP) and LDAP unavailability',
      labelNames: ['protocol', 'director', 'endpoint', 'kind'],
      registers: [this.registry],
    });
    this.signIns = new Counter({
      name: 'emailng_sign_ins_total',
      help: 'Sign-in attempts by method (password, sso) and result (ok, failed, throttled, unavailable)',
      labelNames: ['method', 'result'],
      registers: [this.registry],
    });
    this.rateLimited = new Counter({
      name: 'emailng_rate_limit_hits_total',
      help: 'Requests refused with 429 rate_limited, by route pattern',
      labelNames: ['route'],
      registers: [this.registry],
    });
    const sizes = (): PoolSizes | null => this.poolSizes;
    new Gauge({
      name: 'emailng_pool_connections',
      help: 'Pooled authenticated back-end connections (one per signed-in user and protocol)',
      labelNames: ['protocol'],
      registers: [this.registry],
      collect() {
        const pools = sizes();
        if (!pools) return;
        this.set({ protocol: 'managesieve' }, pools.managesieve());
        this.set({ protocol: 'imap' }, pools.imap());
      },
    });
    // Process figures (RSS, heap, event-loop lag, GC) only where one process serves: tests
    // with several instances in one process leave them out.
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'emailng_' });
  }

  watchPools(sizes: PoolSizes): void {
    this.poolSizes = sizes;
  }

  /** A connect attempt to one director endpoint failed (the client may have gone on to the next). */
  connectFailed(protocol: BackendProtocol, director: string, endpoint: string, kind: string): void {
    this.backendErrors.inc({ protocol, director, endpoint, kind });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Times every request under the route pattern that answered it, and counts sign-ins and 429s
 *  from their outcomes (POST /api/session, GET /sso). */
export function metricsMiddleware(metrics: Metrics): MiddlewareHandler {
  return async function metricsTimer(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = c.res.status;
      let route = routePath(c) || 'unmatched';
      // The SPA's files: one label, whatever the file.
      if (route === '*' || route === '/assets/*') route = 'static';
      const labels = { method: c.req.method, route, status_class: `${Math.floor(status / 100)}xx` };
      metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
      if (status === 429) metrics.rateLimited.inc({ route });
      if (c.req.method === 'POST' && c.req.path === '/api/session') {
        metrics.signIns.inc({ method: 'password', result: signInResult(status) });
      } else if (c.req.method === 'GET' && c.req.path === '/sso') {
        metrics.signIns.inc({ method: 'sso', result: status === 303 ? 'ok' : signInResult(status) });
      }
    }
  };
}

function signInResult(status: number): string {
  if (status === 200) return 'ok';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'failed';
}

/** Which client addresses may read /metrics: CIDRs (v4 or v6), e.g. 127.0.0.0/8, ::1/128. */
export function addressFilter(cidrs: string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, prefix] = cidr.split('/');
    const family = isIP(net ?? '');
    if (!net || family === 0) throw new Error(`not a CIDR: ${cidr}`);
    list.addSubnet(net, prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
  }
  return (address) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const plain = mapped ?? address;
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}
