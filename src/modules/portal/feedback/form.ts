/**
 * The citizens' feedback form shown under every article. The article page is cached and shared by
 * every reader, so the form it embeds holds nothing per visitor: the anti-spam challenge is fetched
 * by /umpan-balik.js when the form is about to be sent. When a sent form has to be shown again
 * (a field to fix, or the slower check for browsers without JavaScript) the same markup is rendered
 * with the typed values, the errors beside their fields and, for the slower check, a waiting token.
 */
import { escapeHtml } from '../render/html.ts';
import { portalPaths } from '../urls.ts';

export const feedbackKinds = ['question', 'complaint', 'suggestion'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

export const feedbackKindLabels: Record<FeedbackKind, string> = {
  question: 'Pertanyaan',
  complaint: 'Keluhan',
  suggestion: 'Saran',
};

export const MESSAGE_MIN = 10;
export const MESSAGE_MAX = 3000;
export const NAME_MAX = 120;
export const CONTACT_MAX = 200;

/** Field names as the browser sends them. The honeypot has a name a form-filling robot cannot resist. */
export const fieldNames = {
  kind: 'jenis',
  message: 'pesan',
  name: 'nama',
  contact: 'kontak',
  honeypot: 'situs_web',
  challenge: 'tantangan',
  nonce: 'nonce',
} as const;

export type FeedbackField = 'kind' | 'message' | 'name' | 'contact';

export interface FeedbackFormValues {
  kind: string;
  message: string;
  name: string;
  contact: string;
}

export interface FeedbackFormState {
  values?: Partial<FeedbackFormValues>;
  /** Messages by field, shown beside it and in the summary at the top. */
  errors?: Partial<Record<FeedbackField, string>>;
  /** A note above the form (e.g. the slower check for browsers without JavaScript). */
  notice?: string;
  /** A signed token for the slower check; sent back in the `tantangan` field. */
  waitToken?: string;
}

export function feedbackPath(slug: string): string {
  return `${portalPaths.article(slug)}/umpan-balik`;
}

/** The form as the (cached) article page embeds it: the same for every reader. */
export function feedbackFormHtml(slug: string): string {
  return renderFeedbackForm(slug, {});
}

const fieldIds: Record<FeedbackField, string> = {
  kind: 'umpan-balik-jenis',
  message: 'umpan-balik-pesan',
  name: 'umpan-balik-nama',
  contact: 'umpan-balik-kontak',
};

const fieldLabels: Record<FeedbackField, string> = {
  kind: 'Jenis',
  message: 'Pesan',
  name: 'Nama',
  contact: 'Kontak',
};

function errorId(field: FeedbackField): string {
  return `${fieldIds[field]}-galat`;
}

function errorLine(state: FeedbackFormState, field: FeedbackField): string {
  const message = state.errors?.[field];
  if (!message) return '';
  return `<p class="umpan-balik-galat" id="${errorId(field)}"><strong>Perlu diperbaiki:</strong> ${escapeHtml(message)}</p>`;
}

function describedBy(state: FeedbackFormState, field: FeedbackField, hintId?: string): string {
  const ids = [hintId, state.errors?.[field] ? errorId(field) : undefined].filter(Boolean);
  return ids.length ? ` aria-describedby="${ids.join(' ')}"` : '';
}

function invalid(state: FeedbackFormState, field: FeedbackField): string {
  return state.errors?.[field] ? ' aria-invalid="true"' : '';
}

export function renderFeedbackForm(slug: string, state: FeedbackFormState): string {
  const values = state.values ?? {};
  const errorFields = (Object.keys(fieldIds) as FeedbackField[]).filter((field) => state.errors?.[field]);
  const kind = feedbackKinds.includes(values.kind as FeedbackKind) ? values.kind : 'question';

  const summary = errorFields.length
    ? `<div class="umpan-balik-ringkasan" id="umpan-balik-ringkasan" role="alert" tabindex="-1">
<h3>Ada ${errorFields.length} isian yang perlu diperbaiki</h3>
<ul>${errorFields
        .map((field) => `<li><a href="#${fieldIds[field]}">${fieldLabels[field]}: ${escapeHtml(state.errors![field]!)}</a></li>`)
        .join('')}</ul>
</div>`
    : '';
  const notice = state.notice
    ? `<div class="umpan-balik-catatan" id="umpan-balik-catatan" role="status"><p>${escapeHtml(state.notice)}</p></div>`
    : '';

  const radios = feedbackKinds
    .map(
      (value) =>
        `<label class="umpan-balik-pilihan"><input type="radio" name="${fieldNames.kind}" value="${value}"${
          value === kind ? ' checked' : ''
        }${value === 'question' ? ` id="${fieldIds.kind}"` : ''}> ${feedbackKindLabels[value]}</label>`,
    )
    .join('\n');

  return `<link rel="stylesheet" href="/umpan-balik.css">
<section class="umpan-balik" id="umpan-balik" aria-labelledby="umpan-balik-judul">
<h2 id="umpan-balik-judul">Tanya atau beri masukan</h2>
<p>Pesan Anda sampai ke unit yang menerbitkan berita ini. Pesan tidak ditampilkan di portal.</p>
${summary}${notice}
<form method="post" action="${escapeHtml(feedbackPath(slug))}" class="umpan-balik-formulir" data-umpan-balik novalidate>
<fieldset${describedBy(state, 'kind')}${invalid(state, 'kind')}>
<legend>Jenis pesan</legend>
${errorLine(state, 'kind')}
${radios}
</fieldset>
<p class="umpan-balik-isian">
<label for="${fieldIds.message}">Pesan (wajib)</label>
<span class="umpan-balik-petunjuk" id="${fieldIds.message}-petunjuk">${MESSAGE_MIN}–${MESSAGE_MAX.toLocaleString('id-ID')} karakter.</span>
${errorLine(state, 'message')}
<textarea id="${fieldIds.message}" name="${fieldNames.message}" rows="6" required minlength="${MESSAGE_MIN}" maxlength="${MESSAGE_MAX}"${describedBy(
    state,
    'message',
    `${fieldIds.message}-petunjuk`,
  )}${invalid(state, 'message')}>${escapeHtml(values.message ?? '')}</textarea>
</p>
<p class="umpan-balik-isian">
<label for="${fieldIds.name}">Nama (tidak wajib)</label>
<span class="umpan-balik-petunjuk" id="${fieldIds.name}-petunjuk">Agar petugas dapat menyapa Anda.</span>
${errorLine(state, 'name')}
<input type="text" id="${fieldIds.name}" name="${fieldNames.name}" maxlength="${NAME_MAX}" autocomplete="name" value="${escapeHtml(
    values.name ?? '',
  )}"${describedBy(state, 'name', `${fieldIds.name}-petunjuk`)}${invalid(state, 'name')}>
</p>
<p class="umpan-balik-isian">
<label for="${fieldIds.contact}">Kontak: surel atau nomor telepon (tidak wajib)</label>
<span class="umpan-balik-petunjuk" id="${fieldIds.contact}-petunjuk">Isi bila Anda ingin dijawab. Hanya petugas unit ini yang dapat melihatnya.</span>
${errorLine(state, 'contact')}
<input type="text" id="${fieldIds.contact}" name="${fieldNames.contact}" maxlength="${CONTACT_MAX}" autocomplete="email" value="${escapeHtml(
    values.contact ?? '',
  )}"${describedBy(state, 'contact', `${fieldIds.contact}-petunjuk`)}${invalid(state, 'contact')}>
</p>
<div aria-hidden="true" style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden">
<label for="umpan-balik-situs">Jangan isi kolom ini</label>
<input type="text" id="umpan-balik-situs" name="${fieldNames.honeypot}" tabindex="-1" autocomplete="off" value="">
</div>
<input type="hidden" name="${fieldNames.challenge}" value="${escapeHtml(state.waitToken ?? '')}">
<input type="hidden" name="${fieldNames.nonce}" value="">
<p class="umpan-balik-status" role="status" aria-live="polite" data-umpan-balik-status></p>
<p><button type="submit">Kirim pesan</button></p>
</form>
<script src="/umpan-balik.js" defer></script>
</section>`;
}
