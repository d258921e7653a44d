/*
 * Siar news widget for other sites. Paste:
 *   <script src="https://PORTAL/widget.js" data-unit="SLUG" data-rubrik="SLUG" data-jumlah="5" async></script>
 * It puts a short list of the latest news (title, how long ago, link) right after its own tag,
 * inside a Shadow DOM so the host's styles and this list's styles do not touch each other. It
 * reads only public data, sends no cookies, and builds the list with text nodes only.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;

  var dataUrl = new URL('widget/data.json', script.src);
  ['unit', 'rubrik', 'jumlah'].forEach(function (name) {
    var value = script.getAttribute('data-' + name);
    if (value) dataUrl.searchParams.set(name, value);
  });

  var host = document.createElement('div');
  host.className = 'siar-widget';
  host.setAttribute('data-siar-widget', '');
  script.parentNode.insertBefore(host, script.nextSibling);
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;

  var css = [
    ':host{all:initial;display:block}',
    '.w{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1f2937;background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px 16px;max-width:28rem;box-sizing:border-box}',
    '.judul{font-size:16px;font-weight:700;margin:0 0 6px}',
    'ul{list-style:none;margin:0;padding:0}',
    'li{padding:8px 0;border-top:1px solid #e5e7eb}',
    'li:first-child{border-top:0}',
    'a{color:#1d4ed8;text-decoration:none}',
    'a:hover,a:focus-visible{text-decoration:underline}',
    'a:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}',
    '.waktu{display:block;font-size:13px;color:#4b5563}',
    '.sumber{font-size:13px;color:#4b5563;margin:8px 0 0}',
    '.pesan{margin:0;color:#374151}',
  ].join('');
  // A constructed style sheet is not an inline <style>, so a host page's strict CSP still lets it apply.
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    var style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }

  var box = document.createElement('section');
  box.className = 'w';
  box.setAttribute('aria-label', 'Berita terbaru');
  box.setAttribute('aria-busy', 'true');
  root.appendChild(box);
  message('Memuat berita…');

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function message(text) {
    box.textContent = '';
    var p = el('p', 'pesan', text);
    p.setAttribute('role', 'status');
    box.appendChild(p);
  }

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
  /** How long ago, as the portal says it; past four weeks, the day in WITA (UTC+8, no daylight saving). */
  function ago(iso) {
    var at = new Date(iso);
    var seconds = Math.floor((Date.now() - at.getTime()) / 1000);
    if (seconds < 60) return 'baru saja';
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + ' menit lalu';
    var hours = Math.floor(minutes / 60);
    if (hours < 24) return hours + ' jam lalu';
    var days = Math.floor(hours / 24);
    if (days === 1) return 'kemarin';
    if (days < 7) return days + ' hari lalu';
    if (days < 30) return Math.floor(days / 7) + ' minggu lalu';
    var wita = new Date(at.getTime() + 8 * 3600000);
    return wita.getUTCDate() + ' ' + MONTHS[wita.getUTCMonth()] + ' ' + wita.getUTCFullYear();
  }

  function show(data) {
    box.textContent = '';
    box.setAttribute('aria-label', data.title);
    var heading = el('p', 'judul');
    var headingLink = el('a', '', data.title);
    headingLink.href = data.url;
    heading.appendChild(headingLink);
    box.appendChild(heading);
    if (data.items.length === 0) {
      box.appendChild(el('p', 'pesan', 'Belum ada berita.'));
    } else {
      var list = el('ul');
      data.items.forEach(function (item) {
        var li = el('li');
        var link = el('a', '', item.title);
        link.href = item.url;
        var time = el('time', 'waktu', ago(item.publishedAt));
        time.setAttribute('datetime', item.publishedAt);
        li.appendChild(link);
        li.appendChild(time);
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    var source = el('p', 'sumber', 'Sumber: ');
    var sourceLink = el('a', '', data.site.name);
    sourceLink.href = data.site.url;
    source.appendChild(sourceLink);
    box.appendChild(source);
  }

  fetch(dataUrl.href, { credentials: 'omit', mode: 'cors' })
    .then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    })
    .then(function (answer) {
      box.removeAttribute('aria-busy');
      if (answer.ok) return show(answer.body);
      var issue = answer.body && answer.body.error && answer.body.error.details && answer.body.error.details.issues && answer.body.error.details.issues[0];
      message(issue && issue.message ? issue.message : 'Berita tidak dapat dimuat.');
    })
    .catch(function () {
      box.removeAttribute('aria-busy');
      message('Berita tidak dapat dimuat.');
    });
})();
