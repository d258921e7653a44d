// Tests: tag → hashtag conversion and the per-network habit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NETWORKS } from '../networks/limits.ts';
import { HASHTAG_HABITS, hashtagsFor, toHashtag } from './hashtags.ts';

test('toHashtag: CamelCase, keeps letters and digits, drops punctuation', () => {
  assert.equal(toHashtag('hari jadi kaltim'), '#HariJadiKaltim');
  assert.equal(toHashtag('APBD 2027'), '#APBD2027');
  assert.equal(toHashtag('  gotong-royong, bersama!  '), '#GotongRoyongBersama');
  assert.equal(toHashtag("Jum'at Bersih"), '#JumatBersih');
  assert.equal(toHashtag('#sudah tagar'), '#SudahTagar');
  assert.equal(toHashtag('pembangunan IKN'), '#PembangunanIKN');
  assert.equal(toHashtag('café Ñusantara'), '#CaféÑusantara');
  assert.equal(toHashtag('东京 2027'), '#东京2027');
  assert.equal(toHashtag('2027'), '');
  assert.equal(toHashtag(' !!! '), '');
});

test('hashtagsFor: de-duplicates case-insensitively and caps per network habit', () => {
  const tags = ['banjir', 'Banjir', 'bpbd kaltim', 'siaga', 'cuaca ekstrem', 'samarinda', 'hujan', 'evakuasi', 'posko', 'relawan', 'bantuan'];
  assert.deepEqual(hashtagsFor('x', tags), ['#Banjir', '#BpbdKaltim']);
  assert.deepEqual(hashtagsFor('threads', tags), ['#Banjir']);
  assert.equal(hashtagsFor('instagram', tags).length, 8);
  assert.equal(hashtagsFor('mastodon', tags).length, 4);
  assert.deepEqual(hashtagsFor('linkedin', ['', '2027', 'APBD']), ['#APBD']);
  for (const n of NETWORKS) assert.ok(HASHTAG_HABITS[n].max >= 1 && HASHTAG_HABITS[n].max <= 8, n);
  assert.equal(HASHTAG_HABITS.instagram.placement, 'block');
});
