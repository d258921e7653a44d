/**
 * Simulated citizens: they reply to and like what the government's practice accounts publish, over
 * time, in Indonesian, Banjar, Bugis and Javanese, so that the listening side of Siar (comments,
 * sentiment, response times) has something real-looking to work on in the demo and in training.
 *
 * Replies land through each network's own simulation (`NetworkSimulation`), so they are stored
 * exactly as that network stores a reply and read back through its public comment endpoints.
 * The phrases are the Siar team's own, written for this simulation (they are not taken from any
 * data set); each carries the language and the sentiment a reader would give it.
 */
import type { NetworkSimulation, SandboxStore, StoredPost } from './store.ts';
import type { SandboxAccount, SandboxNetwork } from './types.ts';

export type CitizenLanguage = 'ind' | 'bjn' | 'bug' | 'jav';
export type Sentiment = 'positive' | 'negative' | 'neutral';

export interface CitizenPhrase {
  lang: CitizenLanguage;
  sentiment: Sentiment;
  text: string;
}

export const CITIZEN_PHRASES: readonly CitizenPhrase[] = [
  { lang: 'ind', sentiment: 'positive', text: 'Terima kasih infonya, sangat membantu warga.' },
  { lang: 'ind', sentiment: 'positive', text: 'Mantap, semoga programnya berjalan lancar sampai ke desa-desa.' },
  { lang: 'ind', sentiment: 'positive', text: 'Akhirnya ada penjelasan yang jelas soal aturan ini. Salut!' },
  { lang: 'ind', sentiment: 'negative', text: 'Jalan di kampung kami masih rusak parah, kapan diperbaiki?' },
  { lang: 'ind', sentiment: 'negative', text: 'Realisasinya jauh dari target, tolong dievaluasi.' },
  { lang: 'ind', sentiment: 'negative', text: 'Sudah lapor berkali-kali tapi belum ada tindak lanjut.' },
  { lang: 'ind', sentiment: 'neutral', text: 'Pendaftarannya sampai tanggal berapa ya?' },
  { lang: 'ind', sentiment: 'neutral', text: 'Apakah aturan ini berlaku juga untuk kabupaten?' },
  { lang: 'bjn', sentiment: 'positive', text: 'Mantap banar, tarima kasih infonya.' },
  { lang: 'bjn', sentiment: 'positive', text: 'Bagus banar programnya, mudahan lancar haja.' },
  { lang: 'bjn', sentiment: 'negative', text: 'Jalan di kampung kami masih rusak, kapan dibaiki?' },
  { lang: 'bjn', sentiment: 'negative', text: 'Kenapa lawas banar, warga sudah lawas menunggu.' },
  { lang: 'bjn', sentiment: 'negative', text: 'Harga sembako makin larang, pamarintah harus turun tangan.' },
  { lang: 'bjn', sentiment: 'neutral', text: 'Kada jelas informasinya, pian jelasakan pulang kah.' },
  { lang: 'bjn', sentiment: 'neutral', text: 'Daftarnya di mana, bubuhan kami handak umpat jua.' },
  { lang: 'bug', sentiment: 'positive', text: "Makessing ladde' programna pamarentae, tarima kasi'." },
  { lang: 'bug', sentiment: 'positive', text: "Magello ladde' informasinna, upojiwi." },
  { lang: 'bug', sentiment: 'negative', text: "Masolang ladde' lalengnge okko kampongku, magi de' napakessingi?" },
  { lang: 'bug', sentiment: 'negative', text: "Masuli' ladde' ellinna barang okko pasa'e." },
  { lang: 'bug', sentiment: 'neutral', text: "Engka mega tau de' naissengngi aturang iyae." },
  { lang: 'bug', sentiment: 'neutral', text: "Kegai wedding mabbere daftara'?" },
  { lang: 'jav', sentiment: 'positive', text: 'Matur nuwun infone, mugi-mugi lancar.' },
  { lang: 'jav', sentiment: 'positive', text: 'Apik tenan programe, warga seneng.' },
  { lang: 'jav', sentiment: 'negative', text: 'Dalane isih rusak parah, kapan didandani?' },
  { lang: 'jav', sentiment: 'negative', text: 'Kok suwe men prosese, warga wis kesuwen ngenteni.' },
  { lang: 'jav', sentiment: 'neutral', text: 'Infone kurang cetha, nyuwun dijelaske maneh.' },
  { lang: 'jav', sentiment: 'neutral', text: 'Daftare nang ngendi, Pak?' },
];

/** The simulated people: a name, where they live, the language they write in (handles valid on every network). */
export const CITIZENS: readonly { handle: string; displayName: string; lang: CitizenLanguage }[] = [
  { handle: 'rinasamarinda', displayName: 'Rina (Samarinda)', lang: 'ind' },
  { handle: 'andibontang', displayName: 'Andi (Bontang)', lang: 'bug' },
  { handle: 'galuhtenggarong', displayName: 'Galuh (Tenggarong)', lang: 'bjn' },
  { handle: 'utuhbalikpapan', displayName: 'Utuh (Balikpapan)', lang: 'bjn' },
  { handle: 'sripenajam', displayName: 'Sri (Penajam)', lang: 'jav' },
  { handle: 'bayusangatta', displayName: 'Bayu (Sangatta)', lang: 'ind' },
  { handle: 'bessepaser', displayName: 'Besse (Paser)', lang: 'bug' },
  { handle: 'jokoberau', displayName: 'Joko (Berau)', lang: 'jav' },
];

/** How each network says "everyone can see it": citizens only find public posts (not private videos, not drafts). */
const PUBLIC = new Set(['public', 'PUBLIC', 'PUBLIC_TO_EVERYONE']);

export interface CitizenStep {
  replies: number;
  likes: number;
}

export interface CitizenOptions {
  /** Replaceable for tests (deterministic runs). */
  random?: () => number;
  /** Posts older than this get no more attention (default 2 days). */
  maxAgeMs?: number;
  /** At most this many citizen replies under one post (default 12). */
  maxRepliesPerPost?: number;
}

/**
 * Chance that a post gets a reply (or a like) in one round: high right after publishing, fading with
 * age, as real attention does (half-life of about two hours).
 */
function attention(ageMs: number): number {
  return Math.exp(-ageMs / (2 * 3_600_000) * Math.LN2);
}

export class Citizens {
  private readonly store: SandboxStore;
  private readonly simulations: Partial<Record<SandboxNetwork, NetworkSimulation>>;
  private readonly createCitizen: (network: SandboxNetwork, citizen: (typeof CITIZENS)[number]) => SandboxAccount;
  private readonly random: () => number;
  private readonly maxAgeMs: number;
  private readonly maxReplies: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    store: SandboxStore,
    simulations: Partial<Record<SandboxNetwork, NetworkSimulation>>,
    createCitizen: (network: SandboxNetwork, citizen: (typeof CITIZENS)[number]) => SandboxAccount,
    options: CitizenOptions = {},
  ) {
    this.store = store;
    this.simulations = simulations;
    this.createCitizen = createCitizen;
    this.random = options.random ?? Math.random;
    this.maxAgeMs = options.maxAgeMs ?? 2 * 86_400_000;
    this.maxReplies = options.maxRepliesPerPost ?? 12;
  }

  /** The citizen accounts of a network, made on first use. */
  private citizensOn(network: SandboxNetwork): SandboxAccount[] {
    const existing = this.store.accounts(network).filter((a) => a.citizen);
    if (existing.length > 0) return existing;
    return CITIZENS.map((citizen) => this.createCitizen(network, citizen));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.min(items.length - 1, Math.floor(this.random() * items.length))]!;
  }

  /** Every reply under a post, at any depth. */
  private conversation(network: SandboxNetwork, post: StoredPost): StoredPost[] {
    const out: StoredPost[] = [];
    const walk = (id: string): void => {
      for (const reply of this.store.repliesTo(network, id)) {
        out.push(reply);
        walk(reply.id);
      }
    };
    walk(post.id);
    return out;
  }

  /** One round over every recent top-level government post on every simulated network. */
  step(): CitizenStep {
    const result: CitizenStep = { replies: 0, likes: 0 };
    const now = this.store.now();
    for (const [network, simulation] of Object.entries(this.simulations) as [SandboxNetwork, NetworkSimulation][]) {
      const government = this.store.accounts(network).filter((a) => !a.citizen);
      const posts: StoredPost[] = government.flatMap((account) => this.store.posts(account.id))
        .filter((post) => !post.deleted && post.replyTo === null && PUBLIC.has(post.visibility) && now - Date.parse(post.createdAt) < this.maxAgeMs);
      if (posts.length === 0) continue;
      const citizens = this.citizensOn(network);
      for (const post of posts) {
        const chance = attention(now - Date.parse(post.createdAt));
        if (this.random() < chance * 0.8) {
          simulation.addLike({ post, author: this.pick(citizens) });
          result.likes += 1;
        }
        const replies = this.conversation(network, post).filter((r) => this.store.account(r.accountId)?.citizen);
        if (replies.length < this.maxReplies && this.random() < chance * 0.5) {
          const author = this.pick(citizens);
          const lang = CITIZENS.find((c) => author.handle.toLowerCase().startsWith(c.handle.toLowerCase()))?.lang ?? 'ind';
          const phrase = this.pick(CITIZEN_PHRASES.filter((p) => p.lang === lang));
          // Now and then a citizen answers another citizen rather than the post.
          const parent = replies.length > 0 && this.random() < 0.2 ? this.pick(replies) : post;
          simulation.addReply({ post: parent, author, text: phrase.text });
          result.replies += 1;
        }
      }
    }
    return result;
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      try {
        this.step();
      } catch {
        // A simulation hiccup must never take the sandbox (or Siar) down; the next round tries again.
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
