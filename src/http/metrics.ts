/** Prometheus metrics: process defaults plus request counts and durations per route. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class HttpMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'siar_' });
    this.#requests = new Counter({ name: 'siar_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.#duration = new Histogram({
      name: 'siar_http_request_duration_seconds',
      help: 'Time to answer HTTP requests',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  // Labelled children are looked up once per (method, route, status), not hashed on every request.
  readonly #children = new Map<string, { requests: Counter.Internal; duration: Histogram.Internal<'method' | 'route'> }>();

  observe(request: FastifyRequest, reply: FastifyReply): void {
    // The route template, never the raw URL, so ids do not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let child = this.#children.get(key);
    if (!child) {
      child = {
        requests: this.#requests.labels({ method: request.method, route, status: String(reply.statusCode) }),
        duration: this.#duration.labels({ method: request.method, route }),
      };
      this.#children.set(key, child);
    }
    child.requests.inc();
    child.duration.observe(reply.elapsedTime / 1000);
  }

  /** An answer given outside the framework (the portal's front cache), under its own route label. */
  observeRaw(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.#children.get(key);
    if (!child) {
      child = {
        requests: this.#requests.labels({ method, route, status: String(status) }),
        duration: this.#duration.labels({ method, route }),
      };
      this.#children.set(key, child);
    }
    child.requests.inc();
    child.duration.observe(seconds);
  }
}
