import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articleSlug, portalBase, shortLinkCode } from './urls.ts';

test('article slugs: the title as words plus part of the id; never empty', () => {
  const id = '0f8e2c3a-1b2c-4d5e-8f90-123456789abc';
  assert.equal(articleSlug('Gubernur Resmikan Jembatan Mahakam IV!', id), 'gubernur-resmikan-jembatan-mahakam-iv-0f8e2c3a');
  assert.equal(articleSlug('   ', id), 'berita-0f8e2c3a');
  assert.equal(articleSlug('Pemerintah Provinsi Kalimantan Timur menyampaikan capaian kinerja triwulan ketiga tahun anggaran', id).length <= 79, true);
});

test('short link codes are stable per post and network, and differ between networks', () => {
  const id = '0f8e2c3a-1b2c-4d5e-8f90-123456789abc';
  assert.match(shortLinkCode(id, 'x'), /^[0-9A-Za-z]{8}$/);
  assert.equal(shortLinkCode(id, 'x'), shortLinkCode(id, 'x'));
  assert.notEqual(shortLinkCode(id, 'x'), shortLinkCode(id, 'facebook'));
});

test('the portal base: the public URL, else where the server listens', () => {
  assert.equal(portalBase({ publicUrl: 'https://portal.kaltimprov.go.id/', host: '0.0.0.0', port: 3000 }), 'https://portal.kaltimprov.go.id');
  assert.equal(portalBase({ publicUrl: undefined, host: '0.0.0.0', port: 3000 }), 'http://localhost:3000');
});
