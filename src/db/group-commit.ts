/**
 * Group commit: many callers each ask for one small piece of database work (claim this target,
 * record that outcome), and one transaction does the pieces that arrived together. A piece waits
 * only for the flush in progress to end: alone it goes at once, under load the pieces gather into
 * batches by themselves, so a burst costs a few transactions a second instead of a few per target.
 *
 * When a batch fails as a whole, each of its pieces is tried again on its own, so one bad piece
 * (or a deadlock the database broke) never fails its neighbours.
 */
export interface GroupCommitOptions {
  /** Pieces per batch at most. */
  maxBatch: number;
  /** Batches in flight at once (each holds a connection while it runs). */
  parallel: number;
}

interface Waiting<In, Out> {
  item: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<In, Out> {
  readonly #flush: (items: In[]) => Promise<Out[]>;
  readonly #options: GroupCommitOptions;
  readonly #queue: Waiting<In, Out>[] = [];
  #running = 0;
  #scheduled = false;

  constructor(flush: (items: In[]) => Promise<Out[]>, options: GroupCommitOptions) {
    this.#flush = flush;
    this.#options = options;
  }

  run(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#kick();
    });
  }

  /** Pieces waiting or in a batch now (for the benchmark's and tests' eyes). */
  get pending(): number {
    return this.#queue.length;
  }

  #kick(): void {
    if (this.#scheduled || this.#running >= this.#options.parallel || this.#queue.length === 0) return;
    // After the current turn of the event loop: the pieces asked for in the same turn (a fetched
    // batch of jobs starting side by side) go together.
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#running < this.#options.parallel && this.#queue.length > 0) {
        void this.#runBatch(this.#queue.splice(0, this.#options.maxBatch));
      }
    });
  }

  async #runBatch(batch: Waiting<In, Out>[]): Promise<void> {
    this.#running += 1;
    try {
      const results = await this.#flush(batch.map((w) => w.item));
      batch.forEach((waiting, i) => waiting.resolve(results[i] as Out));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
      } else {
        for (const waiting of batch) {
          await this.#flush([waiting.item]).then(([result]) => waiting.resolve(result as Out), waiting.reject);
        }
      }
    } finally {
      this.#running -= 1;
      this.#kick();
    }
  }
}
