// The feedback form's anti-spam check, served as /umpan-balik.js (no inline scripts on the portal).
// When the form is sent: fetch a challenge, find a nonce so that SHA-256(challenge + nonce) starts
// with `difficulty` zero bits, put both in the hidden fields, then send. Without SubtleCrypto (or if
// anything fails) the form is sent as it is and the server offers its slower check instead.
(() => {
  'use strict';
  const encoder = new TextEncoder();
  const BATCH = 512;

  function zeroBits(bytes) {
    let bits = 0;
    for (const byte of bytes) {
      if (byte === 0) {
        bits += 8;
        continue;
      }
      return bits + Math.clz32(byte) - 24;
    }
    return bits;
  }

  // Digests run in batches: one await per batch rather than per hash keeps the page responsive
  // and the search fast (~0.1–0.5 s for 16 bits).
  async function solve(challenge, difficulty) {
    for (let start = 0; start < 1e9; start += BATCH) {
      const tries = [];
      for (let i = 0; i < BATCH; i++) tries.push(crypto.subtle.digest('SHA-256', encoder.encode(challenge + (start + i))));
      const hashes = await Promise.all(tries);
      for (let i = 0; i < BATCH; i++) if (zeroBits(new Uint8Array(hashes[i])) >= difficulty) return String(start + i);
    }
    throw new Error('no nonce');
  }

  function setUp(form) {
    if (form.dataset.siap) return;
    form.dataset.siap = '1';
    const status = form.querySelector('[data-umpan-balik-status]');
    const button = form.querySelector('button[type="submit"]');
    const say = (text) => {
      if (status) status.textContent = text;
    };
    let busy = false;
    form.addEventListener('submit', async (event) => {
      if (!window.crypto || !crypto.subtle || !window.fetch) return;
      event.preventDefault();
      if (busy) return;
      busy = true;
      if (button) button.disabled = true;
      say('Memeriksa pengiriman (pencegah spam)…');
      try {
        const response = await fetch('/umpan-balik/tantangan', { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'omit' });
        if (!response.ok) throw new Error(String(response.status));
        const { challenge, difficulty } = await response.json();
        const nonce = await solve(challenge, difficulty);
        form.elements.namedItem('tantangan').value = challenge;
        form.elements.namedItem('nonce').value = nonce;
        say('Mengirim pesan…');
      } catch {
        say('Mengirim pesan…');
      }
      // submit() sends without firing this handler again.
      form.submit();
    });
    // Back from the next page (page cache): the form is usable again.
    window.addEventListener('pageshow', () => {
      busy = false;
      if (button) button.disabled = false;
      say('');
    });
  }

  function start() {
    for (const form of document.querySelectorAll('form[data-umpan-balik]')) setUp(form);
    // A form shown again with errors: move to the summary so it is read first.
    const summary = document.getElementById('umpan-balik-ringkasan');
    if (summary) summary.focus();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
