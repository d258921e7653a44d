/** Every job Siar runs. A module adds its jobs here. */
import type { JobDefinition } from './define-job.ts';
import { pruneSessionsJob, verifyAuditJob } from './maintenance-jobs.ts';
import { publishSweepJob, publishTargetJob } from '../modules/publishing/jobs.ts';

export const jobs: JobDefinition[] = [pruneSessionsJob, verifyAuditJob, publishTargetJob, publishSweepJob];
