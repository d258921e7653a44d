/**
 * TikTok's Content Posting API in the sandbox: creator_info/query, video init (direct post and inbox) with
 * FILE_UPLOAD (then PUT the chunks to upload_url) or PULL_FROM_URL (the sandbox really fetches the URL), photo
 * init (PULL_FROM_URL only, 1-35 JPEG/WebP images), and status/fetch. A publish goes PROCESSING_UPLOAD or
 * PROCESSING_DOWNLOAD, then PUBLISH_COMPLETE (a post exists from then on) or SEND_TO_USER_INBOX, or FAILED with a
 * fail_reason, `tiktokProcessingMs` after its bytes are in.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StoredPost } from './store.ts';
import { bindAccount, sniffMime, str } from './http.ts';
import { admit, logId, tiktokAnswer, tiktokError } from './tiktok-auth.ts';
import type { TiktokContext } from './tiktok-auth.ts';

const MB = 1024 * 1024;
export const privacyLevels = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'] as const;
/** What a public creator account may choose (FOLLOWER_OF_CREATOR is for private accounts). */
export const creatorPrivacyOptions = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'];

type JobState = 'awaiting_upload' | 'downloading' | 'processing' | 'done' | 'failed';

interface PublishJob {
  publishId: string;
  accountId: string;
  kind: 'video' | 'photo';
  source: 'FILE_UPLOAD' | 'PULL_FROM_URL';
  mode: 'DIRECT_POST' | 'MEDIA_UPLOAD';
  caption: string;
  title: string;
  privacy: string;
  disableComment: boolean;
  videoSize: number;
  chunkSize: number;
  totalChunks: number;
  uploadId: string;
  uploadToken: string;
  uploadExpiresAt: number;
  files: Buffer[];
  received: number;
  state: JobState;
  readyAt: number;
  failReason: string | null;
  postId: string | null;
}

const jobsByStore = new WeakMap<object, Map<string, PublishJob>>();

function jobsOf(ctx: TiktokContext): Map<string, PublishJob> {
  let jobs = jobsByStore.get(ctx.store);
  if (!jobs) {
    jobs = new Map();
    jobsByStore.set(ctx.store, jobs);
  }
  return jobs;
}

let lastVideoId = 0n;
/** TikTok video ids: 19 decimal digits, int64, growing with time. */
export function newTiktokVideoId(now: number): string {
  let id = 7_300_000_000_000_000_000n + BigInt(now) * 1000n;
  if (id <= lastVideoId) id = lastVideoId + 1n;
  lastVideoId = id;
  return id.toString();
}

function runes(text: string): number {
  return text.length; // TikTok counts UTF-16 runes
}

type Body = Record<string, unknown>;

function objectOf(value: unknown): Body {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : {};
}

function finishPublish(ctx: TiktokContext, job: PublishJob): void {
  const { store } = ctx;
  const account = store.account(job.accountId);
  if (!account) return;
  if (job.mode === 'MEDIA_UPLOAD') {
    job.state = 'done';
    return;
  }
  const media = job.files.map((data) => store.addMedia({ accountId: job.accountId, mime: sniffMime(data, undefined), alt: '', bytes: data.length, data }));
  const id = newTiktokVideoId(store.now());
  store.addPost({
    id,
    accountId: job.accountId,
    network: 'tiktok',
    text: job.caption,
    ...(job.kind === 'photo' && job.title !== '' ? { title: job.title } : {}),
    createdAt: new Date(store.now()).toISOString(),
    replyTo: null,
    media: media.map((m) => ({ mime: m.mime, alt: '', bytes: m.bytes })),
    mediaIds: media.map((m) => m.id),
    visibility: job.privacy,
    url: `${ctx.webUrl()}/tiktok/${encodeURIComponent(account.handle)}#post-${id}`,
    deleted: false,
    views: 0,
    reposts: 0,
    extra: { kind: job.kind, publishId: job.publishId, disableComment: job.disableComment },
  } satisfies StoredPost);
  job.postId = id;
  job.state = 'done';
}

/** Moves a job on once its processing time has passed (called by a timer and on every status read). */
function settle(ctx: TiktokContext, job: PublishJob): void {
  if (job.state === 'processing' && ctx.store.now() >= job.readyAt) finishPublish(ctx, job);
}

/** Brings every publish up to the sandbox clock (a test clock may run ahead of the timers). */
export function settleAll(ctx: TiktokContext): void {
  for (const job of jobsOf(ctx).values()) settle(ctx, job);
}

function isVideo(data: Buffer): boolean {
  return data.length >= 12 && (data.subarray(4, 8).toString('latin1') === 'ftyp' || data.readUInt32BE(0) === 0x1a45dfa3);
}

/** All bytes are in: check them loosely and start processing. */
function startProcessing(ctx: TiktokContext, job: PublishJob): void {
  const bad = job.kind === 'video'
    ? !isVideo(job.files[0] ?? Buffer.alloc(0))
    : job.files.some((data) => !['image/jpeg', 'image/webp'].includes(sniffMime(data, undefined)));
  if (bad) {
    job.state = 'failed';
    job.failReason = 'file_format_check_failed';
    return;
  }
  job.state = 'processing';
  job.readyAt = ctx.store.now() + ctx.store.limits.tiktokProcessingMs;
  setTimeout(() => settle(ctx, job), ctx.store.limits.tiktokProcessingMs + 5).unref();
}

/** PULL_FROM_URL: TikTok downloads the media itself; here the sandbox really fetches each URL. */
async function pull(ctx: TiktokContext, job: PublishJob, urls: string[]): Promise<void> {
  try {
    const files: Buffer[] = [];
    for (const url of urls) {
      const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      files.push(Buffer.from(await response.arrayBuffer()));
    }
    job.files = files;
    job.received = files.reduce((sum, f) => sum + f.length, 0);
    startProcessing(ctx, job);
  } catch {
    job.state = 'failed';
    job.failReason = job.kind === 'video' ? 'video_pull_failed' : 'photo_pull_failed';
  }
}

function httpUrl(value: unknown): string | undefined {
  const text = str(value);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Chunk rules of the media transfer guide; undefined when they hold. */
function chunkProblem(videoSize: number, chunkSize: number, total: number): string | undefined {
  if (!Number.isSafeInteger(videoSize) || videoSize <= 0) return 'video_size must be a positive integer.';
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0 || !Number.isSafeInteger(total) || total <= 0) return 'chunk_size and total_chunk_count must be positive integers.';
  if (videoSize > 4096 * MB) return 'The video is larger than 4 GB.';
  if (videoSize < 5 * MB) {
    return chunkSize === videoSize && total === 1 ? undefined : 'A video smaller than 5 MB must be uploaded whole: chunk_size equal to video_size and total_chunk_count 1.';
  }
  if (chunkSize < 5 * MB || chunkSize > 64 * MB) return 'chunk_size must be between 5 MB and 64 MB.';
  if (total !== Math.floor(videoSize / chunkSize) || total > 1000) return 'total_chunk_count must be video_size divided by chunk_size, rounded down (at most 1000).';
  return undefined;
}

/** Privacy rules every direct post goes through; an answer is sent when they fail. */
function refusePrivacy(ctx: TiktokContext, reply: FastifyReply, privacy: string | undefined): boolean {
  if (!privacy || !(privacyLevels as readonly string[]).includes(privacy)) {
    tiktokError(ctx, reply, 400, 'invalid_params', 'post_info.privacy_level is required and must be one of PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY.');
    return true;
  }
  if (!creatorPrivacyOptions.includes(privacy)) {
    tiktokError(ctx, reply, 403, 'privacy_level_option_mismatch', 'privacy_level is not one of the privacy_level_options of the creator.');
    return true;
  }
  if (!ctx.store.limits.tiktokAuditedClient && privacy !== 'SELF_ONLY') {
    tiktokError(ctx, reply, 403, 'unaudited_client_can_only_post_to_private_accounts', 'Unaudited clients can only post to a private account: use privacy_level SELF_ONLY.');
    return true;
  }
  return false;
}

function newJob(ctx: TiktokContext, input: Pick<PublishJob, 'accountId' | 'kind' | 'source' | 'mode' | 'caption' | 'title' | 'privacy' | 'disableComment'>): PublishJob {
  const prefix = input.kind === 'photo' ? 'p_pub_url~v2.' : input.source === 'FILE_UPLOAD' ? 'v_pub_file~v2-1.' : 'v_pub_url~v2-1.';
  const job: PublishJob = {
    ...input,
    publishId: prefix + newTiktokVideoId(ctx.store.now()),
    videoSize: 0,
    chunkSize: 0,
    totalChunks: 0,
    uploadId: newTiktokVideoId(ctx.store.now()),
    uploadToken: randomBytes(16).toString('hex'),
    uploadExpiresAt: ctx.store.now() + 3_600_000,
    files: [],
    received: 0,
    state: input.source === 'FILE_UPLOAD' ? 'awaiting_upload' : 'downloading',
    readyAt: 0,
    failReason: null,
    postId: null,
  };
  jobsOf(ctx).set(job.publishId, job);
  return job;
}

/** The daily post cap is counted per creator when a direct post is initialised. */
function refuseDailyCap(ctx: TiktokContext, reply: FastifyReply, accountId: string): boolean {
  if (ctx.store.hit(`tiktok-posts:${accountId}`, ctx.store.limits.tiktokPostsPerDay).allowed) return false;
  tiktokError(ctx, reply, 403, 'spam_risk_too_many_posts', 'The daily post cap from the API is reached for the current user.');
  return true;
}

/** int64 ids in JSON as numbers, the way TikTok writes publicaly_available_post_id (beyond 2^53). */
function sendWithInt64(reply: FastifyReply, body: Record<string, unknown>, ids: string[]): FastifyReply {
  const json = JSON.stringify(body).replace('"__POST_IDS__"', `[${ids.join(',')}]`);
  return reply.code(200).type('application/json; charset=utf-8').send(json);
}

export function registerTiktokPublish(app: FastifyInstance, ctx: TiktokContext): void {
  const { store } = ctx;
  const limits = store.limits;

  app.post('/v2/post/publish/creator_info/query', async (request, reply) => {
    const call = await admit(ctx, request, reply, { scopes: ['video.publish'], window: limits.tiktokCreatorInfoPerToken, endpoint: 'creator_info', publish: false });
    if (!call) return reply;
    return tiktokAnswer(ctx, reply, {
      creator_avatar_url: `${ctx.baseUrl()}/avatar/${call.account.externalAccountId}.jpeg`,
      creator_username: call.account.handle,
      creator_nickname: call.account.displayName,
      privacy_level_options: creatorPrivacyOptions,
      comment_disabled: false,
      duet_disabled: false,
      stitch_disabled: false,
      max_video_post_duration_sec: 600,
    });
  });

  const initVideo = (mode: 'DIRECT_POST' | 'MEDIA_UPLOAD') => async (request: FastifyRequest, reply: FastifyReply) => {
    const call = await admit(ctx, request, reply, {
      scopes: [mode === 'DIRECT_POST' ? 'video.publish' : 'video.upload'], window: limits.tiktokPostInitPerToken, endpoint: 'post_init', publish: true,
    });
    if (!call) return reply;
    const body = objectOf(request.body);
    const postInfo = objectOf(body.post_info);
    const sourceInfo = objectOf(body.source_info);
    const caption = str(postInfo.title) ?? '';
    if (runes(caption) > 2200) return tiktokError(ctx, reply, 400, 'invalid_params', 'post_info.title is longer than 2200 characters.');
    if (mode === 'DIRECT_POST' && refusePrivacy(ctx, reply, str(postInfo.privacy_level))) return reply;
    const source = str(sourceInfo.source);
    if (source !== 'FILE_UPLOAD' && source !== 'PULL_FROM_URL') {
      return tiktokError(ctx, reply, 400, 'invalid_params', 'source_info.source must be FILE_UPLOAD or PULL_FROM_URL.');
    }
    const videoUrl = source === 'PULL_FROM_URL' ? httpUrl(sourceInfo.video_url) : undefined;
    if (source === 'PULL_FROM_URL' && !videoUrl) return tiktokError(ctx, reply, 400, 'invalid_params', 'source_info.video_url must be an http(s) URL.');
    const sizes = [Number(sourceInfo.video_size), Number(sourceInfo.chunk_size), Number(sourceInfo.total_chunk_count)] as const;
    const problem = source === 'FILE_UPLOAD' ? chunkProblem(...sizes) : undefined;
    if (problem) return tiktokError(ctx, reply, 400, 'invalid_params', problem);
    if (mode === 'DIRECT_POST' && refuseDailyCap(ctx, reply, call.account.id)) return reply;
    const job = newJob(ctx, {
      accountId: call.account.id, kind: 'video', source, mode, caption, title: '',
      privacy: mode === 'DIRECT_POST' ? (str(postInfo.privacy_level) ?? 'SELF_ONLY') : 'SELF_ONLY',
      disableComment: postInfo.disable_comment === true,
    });
    if (source === 'PULL_FROM_URL') {
      void pull(ctx, job, [videoUrl!]);
      return tiktokAnswer(ctx, reply, { publish_id: job.publishId });
    }
    [job.videoSize, job.chunkSize, job.totalChunks] = sizes;
    const uploadUrl = `${ctx.baseUrl()}/video/?upload_id=${job.uploadId}&upload_token=${job.uploadToken}`;
    return tiktokAnswer(ctx, reply, { publish_id: job.publishId, upload_url: uploadUrl });
  };
  app.post('/v2/post/publish/video/init', initVideo('DIRECT_POST'));
  app.post('/v2/post/publish/inbox/video/init', initVideo('MEDIA_UPLOAD'));

  app.post('/v2/post/publish/content/init', async (request, reply) => {
    const body = objectOf(request.body);
    const mode = str(body.post_mode) === 'MEDIA_UPLOAD' ? 'MEDIA_UPLOAD' : 'DIRECT_POST';
    const call = await admit(ctx, request, reply, {
      scopes: [mode === 'DIRECT_POST' ? 'video.publish' : 'video.upload'], window: limits.tiktokPostInitPerToken, endpoint: 'post_init', publish: true,
    });
    if (!call) return reply;
    if (!['DIRECT_POST', 'MEDIA_UPLOAD'].includes(str(body.post_mode) ?? '')) return tiktokError(ctx, reply, 400, 'invalid_params', 'post_mode must be DIRECT_POST or MEDIA_UPLOAD.');
    if (str(body.media_type) !== 'PHOTO') return tiktokError(ctx, reply, 400, 'invalid_params', 'media_type must be PHOTO.');
    const postInfo = objectOf(body.post_info);
    const sourceInfo = objectOf(body.source_info);
    const title = str(postInfo.title) ?? '';
    const description = str(postInfo.description) ?? '';
    if (runes(title) > 90) return tiktokError(ctx, reply, 400, 'invalid_params', 'post_info.title is longer than 90 characters.');
    if (runes(description) > 4000) return tiktokError(ctx, reply, 400, 'invalid_params', 'post_info.description is longer than 4000 characters.');
    if (mode === 'DIRECT_POST' && refusePrivacy(ctx, reply, str(postInfo.privacy_level))) return reply;
    if (str(sourceInfo.source) !== 'PULL_FROM_URL') return tiktokError(ctx, reply, 400, 'invalid_params', 'Photos can only be sent with source PULL_FROM_URL.');
    const images = Array.isArray(sourceInfo.photo_images) ? sourceInfo.photo_images.map(httpUrl) : [];
    if (images.length < 1 || images.length > 35 || images.some((url) => url === undefined)) {
      return tiktokError(ctx, reply, 400, 'invalid_params', 'source_info.photo_images must hold 1 to 35 http(s) URLs.');
    }
    const cover = Number(sourceInfo.photo_cover_index ?? 0);
    if (!Number.isInteger(cover) || cover < 0 || cover >= images.length) return tiktokError(ctx, reply, 400, 'invalid_params', 'source_info.photo_cover_index is out of range.');
    if (mode === 'DIRECT_POST' && refuseDailyCap(ctx, reply, call.account.id)) return reply;
    const job = newJob(ctx, {
      accountId: call.account.id, kind: 'photo', source: 'PULL_FROM_URL', mode, caption: description, title,
      privacy: mode === 'DIRECT_POST' ? (str(postInfo.privacy_level) ?? 'SELF_ONLY') : 'SELF_ONLY',
      disableComment: postInfo.disable_comment === true,
    });
    void pull(ctx, job, images as string[]);
    return tiktokAnswer(ctx, reply, { publish_id: job.publishId });
  });

  // The upload host (open-upload.tiktokapis.com/video/): sequential chunks with Content-Range, no bearer token.
  app.put('/video', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const job = [...jobsOf(ctx).values()].find((j) => j.uploadId === str(query.upload_id) && j.uploadToken === str(query.upload_token));
    if (!job || job.uploadExpiresAt <= store.now()) {
      return reply.code(404).send({ error: { code: 'upload_url_invalid', message: 'The upload URL is invalid or has expired.', log_id: logId(store.now()) } });
    }
    bindAccount(store, request, job.accountId);
    if (job.state !== 'awaiting_upload') return reply.code(400).send({ error: { code: 'invalid_params', message: 'All chunks have already been uploaded.', log_id: logId(store.now()) } });
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(request.headers['content-range'] ?? ''));
    const badRange = (message: string) => reply.code(400).send({ error: { code: 'invalid_params', message, log_id: logId(store.now()) } });
    if (!range) return badRange('Content-Range must be "bytes {FIRST_BYTE}-{LAST_BYTE}/{TOTAL_BYTE_LENGTH}".');
    const [first, last, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (total !== job.videoSize) return badRange('The total in Content-Range differs from video_size.');
    if (last - first + 1 !== body.length) return badRange('The chunk length differs from its Content-Range.');
    if (first !== job.received) {
      return reply.code(416).send({ error: { code: 'invalid_params', message: 'Chunks must be uploaded in order.', log_id: logId(store.now()) } });
    }
    // Every chunk is chunk_size bytes, except the last, which takes the trailing bytes too.
    const chunkIndex = Math.round(first / job.chunkSize);
    const isLast = chunkIndex === job.totalChunks - 1;
    const expected = isLast ? job.videoSize - first : job.chunkSize;
    if (body.length !== expected) return badRange(`Chunk ${chunkIndex + 1} must be ${expected} bytes.`);
    job.files.push(body);
    job.received += body.length;
    if (!isLast) return reply.code(206).send();
    job.files = [Buffer.concat(job.files)];
    startProcessing(ctx, job);
    return reply.code(201).send();
  });

  app.post('/v2/post/publish/status/fetch', async (request, reply) => {
    const call = await admit(ctx, request, reply, { scopes: ['video.upload', 'video.publish'], window: limits.tiktokStatusPerToken, endpoint: 'status', publish: false });
    if (!call) return reply;
    const job = jobsOf(ctx).get(str(objectOf(request.body).publish_id) ?? '');
    if (!job || job.accountId !== call.account.id) return tiktokError(ctx, reply, 400, 'invalid_params', 'publish_id is invalid.');
    settle(ctx, job);
    const status = job.state === 'failed' ? 'FAILED'
      : job.state === 'done' ? (job.mode === 'MEDIA_UPLOAD' ? 'SEND_TO_USER_INBOX' : 'PUBLISH_COMPLETE')
      : job.source === 'FILE_UPLOAD' ? 'PROCESSING_UPLOAD' : 'PROCESSING_DOWNLOAD';
    const data: Record<string, unknown> = { status };
    if (job.source === 'FILE_UPLOAD') data.uploaded_bytes = job.received;
    else data.downloaded_bytes = job.received;
    if (job.failReason) data.fail_reason = job.failReason;
    // Post ids are given for public posts only, once moderation has passed.
    const ids = job.postId && job.privacy !== 'SELF_ONLY' ? [job.postId] : [];
    data.publicaly_available_post_id = '__POST_IDS__';
    return sendWithInt64(reply, { data, error: { code: 'ok', message: '', log_id: logId(store.now()) } }, ids);
  });
}
