/**
 * Small statistics helpers shared by the benchmarks. Percentiles use the nearest-rank method on a
 * sorted copy, so the reported p99 is a figure that was actually measured, never an interpolation.
 */

export interface Percentiles {
  count: number;
  min: number;
  mean: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of `samples` (any unit; the result is in the same unit). */
export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) throw new Error('percentiles: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return {
    count: sorted.length,
    min: sorted[0]!,
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    median: rank(50),
    p90: rank(90),
    p99: rank(99),
    max: sorted[sorted.length - 1]!,
  };
}
