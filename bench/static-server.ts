/**
 * The baseline of the portal page benchmark: a bare node:http server answering every request with
 * the same response Siar gave for the page — its body, and either the same header lines
 * (`same`: status, content type, security and cache headers; Node adds Date and Connection as it
 * does for Siar) or only a content type and length (`minimal`). argv: port, body file, headers
 * file (JSON [name, value] pairs), mode.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [port, file, headersFile, mode] = process.argv.slice(2);
const body = readFileSync(file!);
const recorded = JSON.parse(readFileSync(headersFile!, 'utf8')) as [string, string][];
const skip = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const same = recorded.filter(([name]) => !skip.has(name)).flat();
const minimal = ['content-type', recorded.find(([name]) => name === 'content-type')?.[1] ?? 'text/html; charset=utf-8', 'content-length', String(body.length)];
const lines = mode === 'same' ? same : minimal;
const server = http.createServer((_request, response) => {
  response.writeHead(200, lines).end(body);
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
