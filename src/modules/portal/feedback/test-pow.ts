/** Solves a feedback challenge the way the browser's script does (for tests). */
import { createHash } from 'node:crypto';
import { leadingZeroBits } from './challenge.ts';

export function solveChallenge(challenge: string, difficulty: number): string {
  for (let nonce = 0; ; nonce++) {
    if (leadingZeroBits(createHash('sha256').update(challenge + nonce).digest()) >= difficulty) return String(nonce);
  }
}
