-- Notifications beyond the bell: e-mail (when SMTP is configured) and live delivery to the admin app.

-- A person may turn e-mail notifications off for themselves (GET/PATCH /api/v1/me).
alter table users add column notify_email boolean not null default true;

-- When the e-mail job of a notification was queued; null while it has not been (yet). A process's
-- notification listener queues it right after commit; the mail sweep queues what a listener missed,
-- reading only recent rows through this partial index.
alter table notifications add column mail_queued_at timestamptz;
create index notifications_mail_pending_idx on notifications (created_at) where mail_queued_at is null;
