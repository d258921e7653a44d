/**
 * Meta's insights answers (Instagram and Threads media): `{ data: [{ name, period, values: [{ value }] }] }`,
 * or `total_value: { value }` for totals, read as name → number.
 */
export interface InsightsAnswer {
  data?: { name?: string; values?: { value?: number }[]; total_value?: { value?: number } }[];
}

export function metricValues(answer: InsightsAnswer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of answer.data ?? []) {
    const value = row.total_value?.value ?? row.values?.[0]?.value;
    if (row.name && typeof value === 'number') out[row.name] = value;
  }
  return out;
}
