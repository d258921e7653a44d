/**
 * A notification as e-mail: Indonesian first with one English line, a subject naming the post, a
 * link into the admin app, plain text and simple HTML. Sending goes through nodemailer to the SMTP
 * server in SIAR_SMTP_URL; a failure throws, so the job (jobs.ts) retries it later.
 */
import nodemailer from 'nodemailer';
import type { Config } from '../../config/config.ts';
import type { NotificationKind } from './notify.ts';

export interface MailNotice {
  kind: NotificationKind | string;
  postId: string | null;
  postTitle: string | null;
  actorName: string | null;
  excerpt: string | null;
  recipient: { email: string; name: string };
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The admin app's address: the configured public URL, else where this server listens. */
export function adminBaseUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return `${config.publicUrl.replace(/\/+$/, '')}/admin`;
  const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}/admin`;
}

interface Wording {
  subject: string;
  id: string;
  en: string;
  /** Quote the excerpt (a comment, a reviewer's note) under the sentence. */
  quote?: boolean;
}

function wordingOf(notice: MailNotice): Wording {
  const who = notice.actorName ?? 'Siar';
  const title = `“${oneLine(notice.postTitle ?? notice.excerpt ?? '', 120)}”`;
  switch (notice.kind) {
    case 'review_requested':
      return { subject: `Menunggu persetujuan Anda: ${title}`, id: `${who} meminta persetujuan Anda untuk postingan ${title}.`, en: `${who} asks for your approval of the post ${title}.` };
    case 'approved':
      return { subject: `Disetujui: ${title}`, id: `${who} menyetujui postingan Anda ${title}.`, en: `${who} approved your post ${title}.` };
    case 'changes_requested':
      return { subject: `Perlu perbaikan: ${title}`, id: `${who} meminta perbaikan pada postingan Anda ${title}.`, en: `${who} asked for changes to your post ${title}.`, quote: true };
    case 'mentioned':
      return { subject: `Anda disebut dalam komentar: ${title}`, id: `${who} menyebut Anda dalam komentar pada postingan ${title}.`, en: `${who} mentioned you in a comment on the post ${title}.`, quote: true };
    case 'published_without_approval':
      return { subject: `Tayang serta-merta, mohon ditinjau: ${title}`, id: `${who} menayangkan ${title} serta-merta tanpa persetujuan; mohon ditinjau.`, en: `${who} published ${title} urgently without approval; please review it.` };
    case 'published':
      return { subject: `Sudah tayang: ${title}`, id: `Postingan Anda ${title} sudah tayang.`, en: `Your post ${title} is live.` };
    case 'publish_failed':
      return { subject: `Gagal tayang: ${title}`, id: `Postingan Anda ${title} gagal tayang. Alasannya ada di halaman postingan.`, en: `Your post ${title} could not be published; the post page says why.` };
    case 'publish_partly':
      return { subject: `Tayang sebagian: ${title}`, id: `Postingan Anda ${title} gagal tayang di sebagian jaringan.`, en: `Your post ${title} could not be published on some networks.` };
    case 'channel_needs_reconnect': {
      const account = oneLine(notice.excerpt ?? '', 120);
      return { subject: `Akun perlu dihubungkan ulang: ${account}`, id: `Akun ${account} perlu dihubungkan ulang sebelum bisa dipakai menayangkan lagi.`, en: `The account ${account} needs to be reconnected before it can publish again.` };
    }
    default:
      return { subject: `Kabar tentang ${title}`, id: `Ada kabar tentang ${title}.`, en: `News about ${title}.` };
  }
}

/** Where the mail leads: the post, or (for an account to reconnect) the content settings. */
export function linkFor(notice: Pick<MailNotice, 'kind' | 'postId'>, base: string): string {
  if (notice.kind === 'channel_needs_reconnect' || !notice.postId) return `${base}/content-settings`;
  return `${base}/posts/${notice.postId}`;
}

export function composeMail(notice: MailNotice, base: string): OutgoingMail {
  const words = wordingOf(notice);
  const link = linkFor(notice, base);
  const settings = `${base}/security`;
  const quote = words.quote && notice.excerpt ? oneLine(notice.excerpt, 280) : null;
  const open = notice.kind === 'channel_needs_reconnect' ? 'Buka pengaturan akun' : 'Buka postingan';
  const text = [
    `Halo ${notice.recipient.name},`,
    '',
    words.id,
    ...(quote ? ['', `> ${quote}`] : []),
    '',
    `${open}: ${link}`,
    '',
    `In English: ${words.en}`,
    '',
    '--',
    `Pemberitahuan otomatis dari Siar. Tidak ingin menerima e-mail ini? Matikan di ${settings}`,
  ].join('\n');
  const html = [
    '<!doctype html><html lang="id"><body style="font-family: system-ui, sans-serif; color: #17201d; line-height: 1.5">',
    `<p>Halo ${escapeHtml(notice.recipient.name)},</p>`,
    `<p>${escapeHtml(words.id)}</p>`,
    ...(quote ? [`<blockquote style="margin: 0 0 1em; padding-left: 0.75em; border-left: 3px solid #aab6b1; color: #5b6763">${escapeHtml(quote)}</blockquote>`] : []),
    `<p><a href="${escapeHtml(link)}" style="color: #0b5d4b; font-weight: 600">${open}</a></p>`,
    `<p lang="en" style="color: #5b6763">In English: ${escapeHtml(words.en)}</p>`,
    `<hr style="border: 0; border-top: 1px solid #d5dcd9"><p style="font-size: 0.85em; color: #5b6763">Pemberitahuan otomatis dari Siar. Tidak ingin menerima e-mail ini? <a href="${escapeHtml(settings)}">Matikan di pengaturan akun</a>.</p>`,
    '</body></html>',
  ].join('\n');
  return { to: notice.recipient.email, subject: `[Siar] ${words.subject}`, text, html };
}

/** Sends one message; throws when the SMTP server cannot be reached or refuses it. */
export async function sendMail(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, mail: OutgoingMail): Promise<void> {
  if (!config.smtpUrl || !config.mailFrom) throw new Error('SMTP is not configured');
  // Short limits: a job that hangs on a dead server holds a worker slot until pg-boss expires it.
  const transport = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  try {
    await transport.sendMail({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  } finally {
    transport.close();
  }
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
