-- What a network's answer said a person should know about how a post went out (TikTok kept it
-- private until the app is audited, YouTube could not set the thumbnail, ...): Indonesian and
-- English, shown beside the published target.
alter table post_targets add column notice jsonb;
