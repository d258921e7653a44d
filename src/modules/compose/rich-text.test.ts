// Tests: the body sanitizer against an XSS corpus (OWASP cheat-sheet style),
// idempotence, the plain-text rendering and the plain-text cleaner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sanitizeHtml from 'sanitize-html';
import { cleanPlainText, htmlToPlainText, sanitizeBody } from './rich-text.ts';

const XSS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC=# onmouseover="alert(\'xxs\')">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">klik</a>',
  '<a href="JaVaScRiPt:alert(1)">klik</a>',
  '<a href="jav&#x09;ascript:alert(1)">klik</a>',
  '<a href="jav&#x0A;ascript:alert(1)">klik</a>',
  '<a href="jav\tascript:alert(1)">klik</a>',
  '<a href=" &#14;  javascript:alert(1)">klik</a>',
  '<a href="&#106;avascript:alert(1)">klik</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">klik</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">klik</a>',
  '<a href="javascript&colon;alert(1)">klik</a>',
  '<a href="vbscript:msgbox(1)">klik</a>',
  '<a href="VBScript:msgbox(1)">klik</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klik</a>',
  '<a href="DATA:text/html,<script>alert(1)</script>">klik</a>',
  '<a href="//evil.example/x">klik</a>',
  '<a href="https://ok.example" onclick="alert(1)" style="color:red" class="x">klik</a>',
  '<p style="background:url(javascript:alert(1))">gaya</p>',
  '<div style="width: expression(alert(1));">ekspresi</div>',
  '<style>@import "javascript:alert(1)";</style><p>x</p>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<form action="javascript:alert(1)"><button>kirim</button></form>',
  '<input onfocus=alert(1) autofocus>',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><img src=x onerror=alert(1)></template>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<!-- unclosed comment <script>alert(1)</script>',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<p>teks<img src=x onerror=alert(1)//',
  '<<SCRIPT>alert("XSS");//<</SCRIPT>',
  '<a href="https://ok.example"><img src=x onerror=alert(1)></a>',
  '<b <script>alert(1)</script>>tebal</b>',
  '<p onmouseover=alert(1)>paragraf</p>',
  '<strong/onmouseover=alert(1)>tebal</strong>',
  '<a href="https://ok.example" target="_top">klik</a>',
  '<math href="javascript:alert(1)">CLICKME</math>',
  '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
  '<a href="\u0001javascript:alert(1)">klik</a>',
  '<a href="java\u0000script:alert(1)">klik</a>',
  '<base href="javascript:alert(1)//">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<table background="javascript:alert(1)"><td>sel</td></table>',
  '<a href="mailto:humas@example.go.id" onclick="alert(1)">surat</a>',
];

const FORBIDDEN_TAG_RE = /<\s*\/?\s*(script|iframe|svg|object|embed|style|img|math|template|form|input|base|meta|link|video|source|table|xmp|noscript)\b/i;
const EVENT_ATTR_RE = /<[^>]*\son[a-z]+\s*=/i;

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/gi)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

test(`XSS corpus (${XSS.length} vectors): nothing executable survives, output is idempotent`, () => {
  assert.ok(XSS.length >= 40);
  for (const vector of XSS) {
    const out = sanitizeBody(vector);
    assert.doesNotMatch(out, /<script/i, vector);
    assert.doesNotMatch(out, EVENT_ATTR_RE, vector);
    assert.doesNotMatch(out, FORBIDDEN_TAG_RE, vector);
    assert.doesNotMatch(out, /\s(style|class|src|srcdoc|xlink:href|action|background)=/i, vector);
    for (const href of hrefs(out)) {
      assert.match(href, /^(https?:\/\/|mailto:)/i, `${vector} → ${href}`);
      assert.doesNotMatch(href.replace(/\s/g, ''), /(javascript|vbscript|data):/i, vector);
    }
    assert.equal(sanitizeBody(out), out, `idempotent: ${vector}`);
    // A second, independent reading with sanitize-html's permissive defaults changes nothing
    // an allowlist would care about: no new tags or attributes appear.
    const reparsed = sanitizeHtml(out, { allowedTags: false, allowedAttributes: false, allowVulnerableTags: true });
    assert.doesNotMatch(reparsed, FORBIDDEN_TAG_RE, vector);
    assert.doesNotMatch(reparsed, EVENT_ATTR_RE, vector);
  }
});

test('dangerous links lose the link but keep their text', () => {
  assert.equal(sanitizeBody('<a href="jav&#x09;ascript:alert(1)">klik</a>'), 'klik');
  assert.equal(sanitizeBody('<a href="data:text/html,x">klik</a>'), 'klik');
  assert.equal(sanitizeBody('<a href="/relatif">klik</a>'), 'klik');
  assert.equal(sanitizeBody('<p>a<script>alert(1)</script>b</p>'), '<p>ab</p>');
  assert.equal(sanitizeBody('<iframe srcdoc="x">isi</iframe><p>ok</p>'), '<p>ok</p>');
});

test('allowed formatting survives intact; links get rel, target only when _blank', () => {
  const html = '<h2>Judul</h2><p>Teks <strong>tebal</strong>, <b>b</b>, <em>miring</em>, <i>i</i>, <u>garis</u>, <s>coret</s>, <code>kode</code>.</p>'
    + '<blockquote><p>Kutipan</p></blockquote><ul><li>satu</li></ul><ol><li>dua</li></ol><h3>Sub</h3><h4>Subsub</h4><pre>a  b</pre><hr />';
  assert.equal(sanitizeBody(html), html);
  assert.equal(
    sanitizeBody('<a href="https://kaltimprov.go.id/?a=1&amp;b=2" target="_blank">portal</a>'),
    '<a href="https://kaltimprov.go.id/?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">portal</a>',
  );
  assert.equal(
    sanitizeBody('<a href="https://kaltimprov.go.id" target="_top" rel="opener">portal</a>'),
    '<a href="https://kaltimprov.go.id" rel="noopener noreferrer nofollow">portal</a>',
  );
  assert.equal(
    sanitizeBody('<a href="mailto:humas@kaltimprov.go.id">surat</a>'),
    '<a href="mailto:humas@kaltimprov.go.id" rel="noopener noreferrer nofollow">surat</a>',
  );
  // span, div, img are not in the allowlist: their text stays, the tag goes; h1/h5/h6 become h2/h4.
  assert.equal(sanitizeBody('<h1>Besar</h1><div><span>isi</span></div><img src="a.jpg" alt="x"><h6>kecil</h6>'), '<h2>Besar</h2>isi<h4>kecil</h4>');
});

test('bidi overrides and control characters are removed from the body', () => {
  assert.equal(sanitizeBody('<p>ab\u202Ecd\u0007e</p>'), '<p>abcde</p>');
});

test('htmlToPlainText: paragraphs, breaks, lists, links, entities, whitespace', () => {
  const html = '<h2>Pengumuman</h2><p>Halo   <b>warga</b>\n Kaltim &amp; sekitarnya&nbsp;!</p><p>Baris satu<br>baris dua</p>'
    + '<ul><li>Pertama</li><li>Kedua<ol><li>a</li><li>b</li></ol></li></ul>'
    + '<p>Lihat <a href="https://kaltimprov.go.id/info">situs resmi</a>, <a href="https://kaltimprov.go.id/">kaltimprov.go.id</a> '
    + 'atau <a href="mailto:humas@kaltimprov.go.id">humas@kaltimprov.go.id</a>.</p><p>5 &lt; 6 &quot;kutip&quot; &#x1F600;</p>';
  assert.equal(
    htmlToPlainText(html),
    'Pengumuman\n\nHalo warga Kaltim & sekitarnya !\n\nBaris satu\nbaris dua\n\n• Pertama\n• Kedua\n  1. a\n  2. b\n\n'
      + 'Lihat situs resmi (https://kaltimprov.go.id/info), kaltimprov.go.id atau humas@kaltimprov.go.id.\n\n5 < 6 "kutip" 😀',
  );
  assert.equal(htmlToPlainText('<ol><li>satu</li><li>dua</li></ol><p>akhir</p>'), '1. satu\n2. dua\n\nakhir');
  assert.equal(htmlToPlainText('<p>a<script>alert(1)</script></p>'), 'a');
  assert.equal(htmlToPlainText(''), '');
  assert.equal(htmlToPlainText('   teks <em>polos</em>   '), 'teks polos');
});

test('cleanPlainText keeps < and & as typed, removes controls and bidi overrides, NFC', () => {
  assert.equal(cleanPlainText('  A < B & C  '), 'A < B & C');
  assert.equal(cleanPlainText('Nama\u202Egpj.exe'), 'Namagpj.exe');
  assert.equal(cleanPlainText('a\u2066b\u2069c\u202Ad'), 'abcd');
  assert.equal(cleanPlainText('baris\r\nkedua\tkolom\u0000\u0085\u001B'), 'baris\nkedua\tkolom');
  assert.equal(cleanPlainText('Cafe\u0301'), 'Café');
  assert.equal(cleanPlainText('Cafe\u0301').length, 4);
  assert.equal(cleanPlainText('x\uD800y'), 'x\uFFFDy');
  assert.equal(cleanPlainText('<script>'), '<script>');
});
