/** Time-based one-time passwords (RFC 6238) for two-factor sign-in, via the otpauth library. */
import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Siar';

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUrl(secretBase32: string, email: string): string {
  return totpFor(secretBase32, email).toString();
}

/** Accepts the current code and one step either side, for phones whose clocks drift a little. */
export function checkTotp(secretBase32: string, code: string, timestamp = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totpFor(secretBase32, 'check').validate({ token: code, window: 1, timestamp }) !== null;
}

export function currentTotp(secretBase32: string, timestamp = Date.now()): string {
  return totpFor(secretBase32, 'check').generate({ timestamp });
}
