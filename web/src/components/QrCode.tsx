import { useMemo } from 'react';
import { encodeQr, qrSvgPath } from '../qr.ts';

export function QrCode({ value, label, size = 200 }: { value: string; label: string; size?: number }) {
  const qr = useMemo(() => {
    try {
      const m = encodeQr(value);
      return { n: m.length + 8, d: qrSvgPath(m) };
    } catch {
      return null;
    }
  }, [value]);
  if (!qr) return null;
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${qr.n} ${qr.n}`}
      shapeRendering="crispEdges"
      data-testid="tfa-qr"
    >
      <rect width={qr.n} height={qr.n} fill="#fff" />
      <path d={qr.d} fill="#000" />
    </svg>
  );
}
