/** Tests only: a small server-sent-events reader, seeing what a browser's EventSource would see. */
import http from 'node:http';

export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

/**
 * Reads over node:http without a connection pool (`agent: false`): fetch's pool may open a spare
 * connection that never carries a request, which Node's server.close() then waits on.
 */
export class SseReader {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  readonly #request: http.ClientRequest;
  readonly #waiters = new Set<() => void>();
  readonly done: Promise<void>;

  private constructor(request: http.ClientRequest, response: http.IncomingMessage) {
    this.status = response.statusCode ?? 0;
    const type = response.headers['content-type'];
    this.contentType = typeof type === 'string' ? type : null;
    this.#request = request;
    this.done = this.#read(response);
  }

  static open(url: string, headers: Record<string, string>): Promise<SseReader> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (response) => resolve(new SseReader(request, response)));
      request.on('error', reject);
    });
  }

  async #read(response: http.IncomingMessage): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response) {
        buffer += decoder.decode(chunk as Buffer, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.#frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // destroyed by close()
    } finally {
      this.ended = true;
      this.#wake();
    }
  }

  #frame(text: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    let fields = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) {
        this.comments += 1;
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'event') event = value;
      else if (name === 'id') id = value;
      else if (name === 'data') data.push(value);
      else continue;
      fields += 1;
    }
    if (fields > 0 && data.length > 0) this.events.push({ event, id, data: data.join('\n') });
    this.#wake();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Resolves once `check` holds, re-checked after every frame; rejects after `timeoutMs`. */
  until<T>(check: () => T | undefined | false, timeoutMs = 10_000, what = 'an event'): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value !== undefined && value !== false) {
          cleanup();
          resolve(value);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter = () => void attempt();
      if (attempt()) return;
      this.#waiters.add(waiter);
    });
  }

  /** The event named `name` at position `index` (0-based) among those so named, parsed. */
  nth<T = unknown>(name: string, index: number, timeoutMs?: number): Promise<T> {
    return this.until(() => {
      const found = this.events.filter((e) => e.event === name)[index];
      return found ? (JSON.parse(found.data) as T) : undefined;
    }, timeoutMs, `${name} #${index + 1}`);
  }

  of(name: string): unknown[] {
    return this.events.filter((e) => e.event === name).map((e) => JSON.parse(e.data) as unknown);
  }

  close(): void {
    this.#request.destroy();
  }
}
