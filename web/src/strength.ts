// Very small client-side password strength hint. The server has the final say.

const COMMON = ['password', 'passw0rd', 'sandi', 'katasandi', 'rahasia', 'qwerty', 'asdf', '123456', '12345678', 'abc123', 'admin', 'siar', 'indonesia', 'kaltim', 'samarinda', 'humas', 'welcome', 'letmein', 'iloveyou'];

export interface Strength {
  /** 0 (very weak) … 4 (very strong) */
  score: 0 | 1 | 2 | 3 | 4;
  length: number;
  classes: number;
  common: boolean;
}

export function estimateStrength(pw: string, userInputs: string[] = []): Strength {
  const length = [...pw].length;
  let classes = 0;
  if (/[a-z]/.test(pw)) classes++;
  if (/[A-Z]/.test(pw)) classes++;
  if (/\d/.test(pw)) classes++;
  if (/[^A-Za-z0-9]/.test(pw)) classes++;
  const lower = pw.toLowerCase();
  const inputs = userInputs
    .flatMap((s) => s.toLowerCase().split(/[^a-z0-9]+/))
    .filter((s) => s.length >= 3);
  const common =
    COMMON.some((w) => lower.includes(w)) ||
    inputs.some((w) => lower.includes(w)) ||
    /^(.)\1+$/.test(pw) ||
    /(0123|1234|2345|3456|4567|5678|6789|abcd|qwer)/i.test(pw);

  let score = 0;
  if (length >= 10) score++;
  if (length >= 12) score++;
  if (classes >= 3 || length >= 16) score++;
  if (length >= 16 || (length >= 12 && classes === 4)) score++;
  if (common) score = Math.min(score, 1);
  if (length === 0) score = 0;
  return { score: Math.min(4, score) as Strength['score'], length, classes, common };
}
