/** Every job Siar runs. A module adds its jobs here. */
import type { JobDefinition } from './define-job.ts';
import { pruneSessionsJob, verifyAuditJob } from './maintenance-jobs.ts';
import { publishSweepJob, publishTargetJob } from '../modules/publishing/jobs.ts';
import { refreshTokensJob } from '../modules/publishing/refresh-tokens.ts';
import { mailSweepJob, sendMailJob } from '../modules/notifications/jobs.ts';

export const jobs: JobDefinition[] = [pruneSessionsJob, verifyAuditJob, publishTargetJob, publishSweepJob, refreshTokensJob, sendMailJob, mailSweepJob];
