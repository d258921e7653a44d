// How a variant will look on its network: account header, highlighted text, thread chain, media crop.
import type { ReactNode } from 'react';
import { useT } from '../i18n.tsx';
import { initials, networkName, tokenize } from '../content.ts';

export interface PreviewMedia {
  id: string;
  url: string;
  thumbnailUrl: string | null;
  alt: string;
  kind: string;
  width: number | null;
  height: number | null;
}

export interface PreviewAccount {
  name: string;
  handle: string;
  avatarUrl: string | null;
}

export function RichPostText({ text }: { text: string }) {
  return (
    <>
      {tokenize(text).map((tok, i) =>
        tok.kind === 'text' ? <span key={i}>{tok.text}</span> : <span key={i} className={`pv__${tok.kind}`}>{tok.text}</span>,
      )}
    </>
  );
}

function Avatar({ account }: { account: PreviewAccount }) {
  return account.avatarUrl ? (
    <img className="pv__avatar" src={account.avatarUrl} alt="" width={40} height={40} />
  ) : (
    <span className="pv__avatar pv__avatar--empty" aria-hidden="true">{initials(account.name)}</span>
  );
}

function handleText(network: string, handle: string): string {
  if (!handle) return '';
  if (network === 'x' || network === 'instagram' || network === 'threads' || network === 'tiktok') return handle.startsWith('@') ? handle : `@${handle}`;
  return handle;
}

function MediaGrid({ network, media }: { network: string; media: PreviewMedia[] }) {
  if (media.length === 0) return null;
  let cls = 'pv__media';
  if (network === 'instagram') {
    const first = media[0]!;
    const portrait = first.width && first.height ? first.height > first.width : false;
    cls += portrait ? ' pv__media--ig45' : ' pv__media--ig11';
    // Instagram shows one picture at a time (a carousel): the first, with dots.
    return (
      <div className={cls}>
        <Img m={first} />
        {media.length > 1 && <div className="pv__dots" aria-hidden="true">{media.map((m, i) => <span key={m.id} className={i === 0 ? 'on' : ''} />)}</div>}
      </div>
    );
  }
  if (network === 'x' || network === 'bluesky' || network === 'mastodon') cls += ` pv__media--grid pv__media--n${Math.min(media.length, 4)}`;
  else cls += ` pv__media--stack pv__media--n${Math.min(media.length, 4)}`;
  return (
    <div className={cls}>
      {media.slice(0, 4).map((m) => <Img key={m.id} m={m} />)}
      {media.length > 4 && <span className="pv__more">+{media.length - 4}</span>}
    </div>
  );
}

function Img({ m }: { m: PreviewMedia }) {
  if (m.kind === 'video') return <video className="pv__img" src={m.url} poster={m.thumbnailUrl ?? undefined} muted aria-label={m.alt} />;
  return <img className="pv__img" src={m.thumbnailUrl ?? m.url} alt={m.alt} loading="lazy" />;
}

export function NetworkPreview({ network, account, text, parts, title, media, footer }: {
  network: string;
  account: PreviewAccount;
  text: string;
  parts: string[];
  title?: string | null;
  media: PreviewMedia[];
  footer?: ReactNode;
}) {
  const { t } = useT();
  const chain = parts.length > 1 ? parts : [text];
  return (
    <div className={`pv pv--${network}`} data-testid={`preview-${network}`}>
      <div className="pv__bar">{networkName(network)}</div>
      {network === 'youtube' && (
        <div className="pv__video" aria-hidden="true">▶</div>
      )}
      {network === 'youtube' && title && <div className="pv__ytitle">{title}</div>}
      <ol className={`pv__chain${chain.length > 1 ? ' pv__chain--thread' : ''}`}>
        {chain.map((part, i) => (
          <li key={i} className="pv__post" data-testid={`preview-${network}-part`}>
            <div className="pv__head">
              <Avatar account={account} />
              <div className="pv__who">
                <span className="pv__name">{account.name}</span>
                <span className="pv__handle">{handleText(network, account.handle)}</span>
              </div>
              {chain.length > 1 && <span className="pv__num">{i + 1}/{chain.length}</span>}
            </div>
            {network === 'instagram' && i === 0 && <MediaGrid network={network} media={media} />}
            <div className="pv__text">{part ? <RichPostText text={part} /> : <span className="muted">{t('pv.empty')}</span>}</div>
            {network !== 'instagram' && i === 0 && <MediaGrid network={network} media={media} />}
          </li>
        ))}
      </ol>
      {footer}
    </div>
  );
}
