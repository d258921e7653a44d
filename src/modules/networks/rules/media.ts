// Owns: every rule about attached media — how many, which kinds may be mixed,
// accepted file types, file sizes, image aspect ratio, required video, alt text.
// Driven entirely by limits data so a channel override changes behaviour.
import type { MediaKind, Network, NetworkLimits } from '../limits.ts';
import { fmtEn, fmtId, makeIssue, mb } from '../messages.ts';
import type { Issue, Post } from '../types.ts';

const KIND_WORDS: Record<MediaKind, { id: string; en: string }> = {
  image: { id: 'foto', en: 'images' },
  video: { id: 'video', en: 'videos' },
  gif: { id: 'GIF', en: 'GIFs' },
};

export function checkMedia(network: Network, post: Post, limits: NetworkLimits): Issue[] {
  const issues: Issue[] = [];
  const media = post.media;
  const total = media.length;
  const byKind: Record<MediaKind, number> = { image: 0, video: 0, gif: 0 };
  for (const m of media) byKind[m.kind]++;

  if (limits.requireVideo && byKind.video === 0) {
    issues.push(makeIssue('error', network, 'media.video_required', byKind.video, 1, (n) => ({
      id: `${n} memerlukan satu video. Lampirkan video terlebih dahulu.`,
      en: `${n} needs a video. Attach one first.`,
    })));
  } else if (total < limits.minMedia) {
    const min = limits.minMedia;
    issues.push(makeIssue('error', network, 'media.required', total, min, (n) => ({
      id: `${n} memerlukan minimal ${fmtId(min)} foto atau video.`,
      en: `${n} needs at least ${fmtEn(min)} image or video.`,
    })));
  }

  const max = limits.maxMedia;
  if (max !== undefined && total > max) {
    issues.push(makeIssue('error', network, 'media.too_many', total, max, (n) => ({
      id: `Terlalu banyak media untuk ${n}: ${fmtId(total)}, maksimal ${fmtId(max)}.`,
      en: `Too many media items for ${n}: ${fmtEn(total)}, at most ${fmtEn(max)}.`,
    })));
  }

  const kindsUsed = (Object.keys(byKind) as MediaKind[]).filter((k) => byKind[k] > 0);
  if (!limits.allowMixedMedia && kindsUsed.length > 1) {
    const list = kindsUsed.join('+');
    issues.push(makeIssue('error', network, 'media.mixed', list, 'one kind', (n) => ({
      id: `${n} tidak bisa mencampur ${kindsUsed.map((k) => KIND_WORDS[k].id).join(' dan ')} dalam satu postingan. Pilih salah satu.`,
      en: `${n} cannot mix ${kindsUsed.map((k) => KIND_WORDS[k].en).join(' and ')} in one post. Choose one kind.`,
    })));
  }

  const perKindMax: [MediaKind, number | undefined][] = [
    ['image', limits.maxImages], ['video', limits.maxVideos], ['gif', limits.maxGifs],
  ];
  for (const [kind, kmax] of perKindMax) {
    // A kind with no accepted MIME types is reported per item below instead.
    if (kmax === undefined || byKind[kind] <= kmax || limits.mimes[kind].length === 0) continue;
    const count = byKind[kind];
    const w = KIND_WORDS[kind];
    issues.push(makeIssue('error', network, `media.too_many_${kind}s`, count, kmax, (n) => ({
      id: `Terlalu banyak ${w.id} untuk ${n}: ${fmtId(count)}, maksimal ${fmtId(kmax)}.`,
      en: `Too many ${w.en} for ${n}: ${fmtEn(count)}, at most ${fmtEn(kmax)}.`,
    })));
  }

  media.forEach((m, i) => {
    const nr = i + 1;
    const accepted = limits.mimes[m.kind];
    const mime = m.mime.toLowerCase();
    if (accepted.length === 0) {
      const w = KIND_WORDS[m.kind];
      issues.push(makeIssue('error', network, 'media.kind_unsupported', m.kind, 'none', (n) => ({
        id: `Media ke-${nr}: ${n} tidak menerima ${w.id}.`,
        en: `Media #${nr}: ${n} does not accept ${w.en}.`,
      })));
      return;
    }
    if (!accepted.includes(mime)) {
      const list = accepted.join(', ');
      issues.push(makeIssue('error', network, 'media.unsupported_type', m.mime, list, (n) => ({
        id: `Media ke-${nr}: jenis berkas ${m.mime} tidak diterima ${n}. Yang diterima: ${list}.`,
        en: `Media #${nr}: file type ${m.mime} is not accepted by ${n}. Accepted: ${list}.`,
      })));
    }
    const maxBytes = limits.maxBytesByKind[m.kind];
    if (maxBytes !== undefined && m.bytes > maxBytes) {
      const got = mb(m.bytes);
      const lim = mb(maxBytes);
      issues.push(makeIssue('error', network, 'media.too_large', m.bytes, maxBytes, (n) => ({
        id: `Media ke-${nr} terlalu besar untuk ${n}: ${got.id}, maksimal ${lim.id} (${fmtId(maxBytes)} byte).`,
        en: `Media #${nr} is too large for ${n}: ${got.en}, at most ${lim.en} (${fmtEn(maxBytes)} bytes).`,
      })));
    }
    if (m.kind === 'image' && m.width && m.height && m.width > 0 && m.height > 0) {
      const ratio = m.width / m.height;
      const lo = limits.minAspect;
      const hi = limits.maxAspect;
      if ((lo !== undefined && ratio < lo) || (hi !== undefined && ratio > hi)) {
        const shown = Math.round(ratio * 100) / 100;
        const range = `${lo ?? 0}–${hi ?? '∞'}`;
        issues.push(makeIssue('error', network, 'media.aspect_ratio', shown, range, (n) => ({
          id: `Foto ke-${nr} (${m.width}×${m.height}, rasio ${shown.toLocaleString('id-ID')}) di luar rasio yang diterima ${n} (${lo ?? 0} sampai ${hi ?? '∞'}, yaitu 4:5 sampai 1,91:1). Potong fotonya.`,
          en: `Image #${nr} (${m.width}×${m.height}, ratio ${shown}) is outside the ratio ${n} accepts (${range}, i.e. 4:5 to 1.91:1). Crop it.`,
        })));
      }
    }
    if (limits.altTextExpected && m.kind === 'image' && (m.alt ?? '').trim() === '') {
      issues.push(makeIssue('warning', network, 'media.alt_missing', 0, 1, (n) => ({
        id: `Foto ke-${nr} belum punya teks alternatif (alt). ${n} menganjurkannya agar bisa dibaca tunanetra.`,
        en: `Image #${nr} has no alt text. ${n} expects it so blind readers can follow.`,
      })));
    }
  });

  return issues;
}
