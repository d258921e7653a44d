/**
 * Settings of the test suite itself (not of Siar): where the PostgreSQL server for the
 * both-backends tests is, and whether it must be there (CI) or may be skipped (a newcomer's clone).
 */
export const testPostgresUrl = process.env.SIAR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const requirePostgres = process.env.SIAR_TEST_REQUIRE_PG === '1' || process.env.CI === 'true';
export const chromiumPath = process.env.SIAR_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** The environment for a child process the tests start: this one's, plus the given variables. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
