// Owns: legal wording that a citizen reading an explanation stumbles on, each with a plain
// replacement. The phrases come from the standard shape of Indonesian regulations (konsiderans
// "Menimbang"/"Mengingat", cross-references to pasal and ayat, closing provisions); the suggestions
// are what a humas writer would say instead.

export interface JargonEntry {
  /** What is matched: a phrase (any case, any whitespace between words) or a pattern. */
  phrase?: string;
  pattern?: RegExp;
  /** The plain wording to use instead (Indonesian). */
  suggestion: string;
  /** Why, when the suggestion alone does not say it. */
  note?: { id: string; en: string };
}

const CITE_NOTE = {
  id: 'Pembaca tidak membuka naskah pasalnya. Sebut isi aturannya dengan kata sendiri; nomor pasal cukup sekali sebagai rujukan.',
  en: 'Readers do not open the article itself. Say what the rule says in your own words; the article number once as a reference is enough.',
};

export const JARGON: readonly JargonEntry[] = [
  { phrase: 'dicabut dan dinyatakan tidak berlaku', suggestion: 'tidak berlaku lagi' },
  { phrase: 'dinyatakan tidak berlaku', suggestion: 'tidak berlaku lagi' },
  { phrase: 'sebagaimana dimaksud', suggestion: 'seperti disebut' },
  { phrase: 'sebagaimana telah diubah', suggestion: 'yang sudah diubah' },
  { phrase: 'yang selanjutnya disebut', suggestion: 'atau disingkat' },
  { phrase: 'yang selanjutnya disingkat', suggestion: 'atau disingkat' },
  { phrase: 'yang dimaksud dengan', suggestion: 'artinya' },
  { phrase: 'dengan memperhatikan', suggestion: 'dengan melihat' },
  { phrase: 'berdasarkan ketentuan', suggestion: 'menurut aturan' },
  { phrase: 'sesuai dengan ketentuan peraturan perundang-undangan', suggestion: 'sesuai aturan yang berlaku' },
  { phrase: 'peraturan perundang-undangan', suggestion: 'aturan hukum' },
  { phrase: 'sepanjang tidak bertentangan dengan', suggestion: 'selama tidak melanggar' },
  { phrase: 'pada saat peraturan ini mulai berlaku', suggestion: 'sejak aturan ini berlaku' },
  { phrase: 'terhitung sejak', suggestion: 'mulai' },
  { phrase: 'terhitung mulai tanggal', suggestion: 'mulai tanggal' },
  { phrase: 'dalam hal', suggestion: 'jika' },
  { phrase: 'dalam rangka', suggestion: 'untuk' },
  { phrase: 'tersebut di atas', suggestion: 'itu' },
  { phrase: 'dengan ini', suggestion: '(hapus saja)' },
  { phrase: 'adapun', suggestion: '(hapus saja)' },
  { phrase: 'yang bersangkutan', suggestion: 'orang itu (atau sebut siapa)' },
  { phrase: 'pemangku kepentingan', suggestion: 'pihak yang terkait (sebut siapa)' },
  { phrase: 'bersifat mengikat', suggestion: 'wajib dipatuhi' },
  { phrase: 'diberlakukan', suggestion: 'berlaku' },
  { phrase: 'diundangkan', suggestion: 'diumumkan resmi' },
  { phrase: 'atas dasar', suggestion: 'karena' },
  { phrase: 'dengan ketentuan', suggestion: 'dengan syarat' },
  { phrase: 'sanksi administratif', suggestion: 'sebut sanksinya: teguran tertulis, denda, atau pencabutan izin' },
  { phrase: 'menimbang', suggestion: 'alasannya', note: { id: '"Menimbang" adalah bagian pembuka naskah peraturan. Dalam penjelasan, tulis saja alasannya.', en: '"Menimbang" opens the legal text. In an explanation, just state the reasons.' } },
  // "Mengingat" is also an ordinary word ("mengingat banyaknya …"): only the preamble heading,
  // followed by a colon, is legal wording.
  { pattern: /(?<![\p{L}\p{N}])mengingat(?=\s*:)/giu, suggestion: 'dasar hukumnya', note: { id: '"Mengingat" adalah bagian pembuka naskah peraturan. Dalam penjelasan, sebut dasar hukumnya dalam satu kalimat.', en: '"Mengingat" opens the legal text. In an explanation, name the legal basis in one sentence.' } },
  // Cross-references read as prose: "Pasal 5", "ayat (2)", "pasal ini", "ayat tersebut".
  { pattern: /(?<![\p{L}\p{N}])pasal\s+\d+[a-z]?(?![\p{L}\p{N}])/giu, suggestion: 'sebut isi aturannya', note: CITE_NOTE },
  { pattern: /(?<![\p{L}\p{N}])ayat\s*\(\s*\d+[a-z]?\s*\)/giu, suggestion: 'sebut isi aturannya', note: CITE_NOTE },
  { pattern: /(?<![\p{L}\p{N}])(?:pasal|ayat)\s+(?:ini|tersebut|di atas)(?![\p{L}\p{N}])/giu, suggestion: 'aturan ini', note: CITE_NOTE },
  { pattern: /(?<![\p{L}\p{N}])[Hh]uruf\s+[a-z](?![\p{L}\p{N}])/gu, suggestion: 'sebut isi aturannya', note: CITE_NOTE },
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Case-insensitive, whole words, any whitespace between the words of the phrase. */
export function phraseRegExp(phrase: string): RegExp {
  const body = phrase.trim().split(/\s+/u).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}_-])${body}(?![\\p{L}\\p{M}\\p{N}_-])`, 'giu');
}

export const jargonPatterns: readonly { entry: JargonEntry; re: RegExp }[] = JARGON.map((entry) => ({
  entry,
  re: entry.pattern ?? phraseRegExp(entry.phrase ?? ''),
}));
