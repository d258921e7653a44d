/**
 * The baseline of the portal page benchmark: a bare node:http server answering every request with
 * the same bytes and content type that Siar served for the page (argv: port, file, content type).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [port, file, type] = process.argv.slice(2);
const body = readFileSync(file!);
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': type!, 'content-length': body.length });
  response.end(body);
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
