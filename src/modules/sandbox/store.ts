/**
 * In-memory state of the sandbox: accounts, published posts, uploaded media, injected faults, counters and
 * rate-limit windows. Network servers read and write it; nothing is persisted.
 */
import { randomUUID } from 'node:crypto';
import type {
  Fault,
  FaultScope,
  RateWindow,
  SandboxAccount,
  SandboxLimits,
  SandboxMedia,
  SandboxNetwork,
  SandboxPost,
  SandboxStats,
} from './types.ts';

export interface StoredMedia extends SandboxMedia {
  id: string;
  accountId: string;
  data: Buffer;
  createdAt: string;
}

/** A post plus the network-specific details each server needs to answer reads faithfully. */
export interface StoredPost extends SandboxPost {
  network: SandboxNetwork;
  mediaIds: string[];
  visibility: string;
  /** Bluesky: record key, CID and the record as stored. */
  rkey?: string;
  cid?: string;
  record?: Record<string, unknown>;
  /** Telegram: the numeric message id and album id. */
  messageId?: number;
  mediaGroupId?: string;
  editedAt?: string;
  /** Counts simulated citizens (and the network's own readers) add. */
  likes?: number;
  reposts?: number;
  views?: number;
  /** A title where the network has one (YouTube, LinkedIn articles). */
  title?: string;
  /** A link card as the network draws it under the text (Bluesky's external embed). */
  card?: { uri: string; title: string; description: string; thumbUrl: string | null };
  /** Network-specific fields a server needs to answer reads (container ids, URNs, privacy…). */
  extra?: Record<string, unknown>;
}

/**
 * How simulated citizens act on one network: a reply stored exactly as that network would store
 * a reply from `author` (its ids, record, URL), and a like counted where the network counts it.
 */
export interface NetworkSimulation {
  addReply(input: { post: StoredPost; author: SandboxAccount; text: string }): StoredPost;
  addLike(input: { post: StoredPost; author: SandboxAccount }): void;
}

interface ArmedFault {
  fault: Fault;
  scope: FaultScope;
  remaining: number | null;
}

export interface WindowResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch milliseconds when the window resets. */
  resetAt: number;
}

export class SandboxStore {
  readonly limits: SandboxLimits;
  readonly now: () => number;
  private readonly accountList: SandboxAccount[] = [];
  private readonly postList = new Map<string, StoredPost[]>();
  readonly media = new Map<string, StoredMedia>();
  private readonly faults = new Map<string, ArmedFault[]>();
  private readonly counters = new Map<string, SandboxStats>();
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(limits: SandboxLimits, now: () => number) {
    this.limits = limits;
    this.now = now;
  }

  addAccount(account: SandboxAccount): SandboxAccount {
    const taken = this.accountList.some(
      (a) => a.network === account.network && a.handle.toLowerCase() === account.handle.toLowerCase(),
    );
    if (taken) throw new Error(`A ${account.network} sandbox account named ${account.handle} already exists`);
    this.accountList.push(account);
    this.postList.set(account.id, []);
    this.counters.set(account.id, { created: 0, requests: 0, rejected: 0 });
    return account;
  }

  accounts(network?: SandboxNetwork): SandboxAccount[] {
    return this.accountList.filter((a) => network === undefined || a.network === network);
  }

  account(id: string): SandboxAccount | undefined {
    return this.accountList.find((a) => a.id === id);
  }

  findAccount(network: SandboxNetwork, match: (a: SandboxAccount) => boolean): SandboxAccount | undefined {
    return this.accountList.find((a) => a.network === network && match(a));
  }

  /** Newest first. */
  posts(accountId: string): StoredPost[] {
    return [...(this.postList.get(accountId) ?? [])].reverse();
  }

  allPosts(network: SandboxNetwork): StoredPost[] {
    return this.accountList.filter((a) => a.network === network).flatMap((a) => this.postList.get(a.id) ?? []);
  }

  /** A post of any account on this network by its id. */
  findPost(network: SandboxNetwork, id: string): StoredPost | undefined {
    for (const account of this.accountList) {
      if (account.network !== network) continue;
      const found = this.postList.get(account.id)?.find((p) => p.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** Replies to a post from every account of its network (citizens included), oldest first. */
  repliesTo(network: SandboxNetwork, postId: string): StoredPost[] {
    return this.allPosts(network).filter((p) => p.replyTo === postId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  addPost(post: StoredPost): StoredPost {
    this.postList.get(post.accountId)?.push(post);
    this.stat(post.accountId).created += 1;
    return post;
  }

  addMedia(input: Omit<StoredMedia, 'id' | 'createdAt'> & { id?: string }): StoredMedia {
    const media: StoredMedia = { ...input, id: input.id ?? randomUUID(), createdAt: new Date(this.now()).toISOString() };
    this.media.set(media.id, media);
    return media;
  }

  stat(accountId: string): SandboxStats {
    let counter = this.counters.get(accountId);
    if (!counter) {
      counter = { created: 0, requests: 0, rejected: 0 };
      this.counters.set(accountId, counter);
    }
    return counter;
  }

  injectFault(accountId: string, fault: Fault, scope: FaultScope): void {
    if (!this.account(accountId)) throw new Error(`Unknown sandbox account ${accountId}`);
    const list = this.faults.get(accountId) ?? [];
    list.push({ fault, scope, remaining: fault.times ?? null });
    this.faults.set(accountId, list);
  }

  clearFaults(accountId: string): void {
    this.faults.delete(accountId);
  }

  /** Takes the first armed fault that applies to this request, counting down its `times`. */
  takeFault(accountId: string, publishing: boolean): Fault | null {
    const list = this.faults.get(accountId);
    if (!list) return null;
    const armed = list.find((f) => f.scope === 'any' || publishing);
    if (!armed) return null;
    if (armed.remaining !== null) {
      armed.remaining -= 1;
      if (armed.remaining <= 0) list.splice(list.indexOf(armed), 1);
    }
    return armed.fault;
  }

  /**
   * Fixed windows aligned to the epoch, as rack-attack (Mastodon) and the PDS rate limiter count them.
   * `cost` lets Bluesky charge points per write.
   */
  hit(key: string, window: RateWindow, cost = 1): WindowResult {
    const periodMs = window.windowSeconds * 1000;
    const now = this.now();
    const start = Math.floor(now / periodMs) * periodMs;
    let entry = this.windows.get(key);
    if (!entry || entry.start !== start) {
      entry = { start, used: 0 };
      this.windows.set(key, entry);
    }
    const resetAt = start + periodMs;
    if (entry.used + cost > window.limit) {
      return { allowed: false, limit: window.limit, remaining: Math.max(0, window.limit - entry.used), resetAt };
    }
    entry.used += cost;
    return { allowed: true, limit: window.limit, remaining: window.limit - entry.used, resetAt };
  }
}
