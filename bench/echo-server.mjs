// A bare JSON echo server for the baselines, in its own process: `koa` (Koa 3, the same
// framework Bob uses) or `http` (node:http alone). Prints "listening on <url>".
import http from 'node:http';
import Koa from 'koa';

const kind = process.argv[2] ?? 'koa';

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : null;
}

let handler;
if (kind === 'koa') {
  const app = new Koa();
  app.use(async (ctx) => {
    ctx.body = { echo: await readJson(ctx.req) };
  });
  handler = app.callback();
} else if (kind === 'http') {
  handler = async (req, res) => {
    const body = JSON.stringify({ echo: await readJson(req) });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
  };
} else {
  console.error(`unknown echo server "${kind}" (koa or http)`);
  process.exit(2);
}

const server = http.createServer(handler);
server.listen(0, '127.0.0.1', () => console.log(`${kind} echo listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
