// The fan-out's floor for bench:fanout, in its own process: bare node:http. GET /api/events keeps
// each response open as an event stream; POST /api/chat serialises four frames the size of Bob's
// (a chat's session.created, two message.created and a session.updated) once and writes them to
// every stream in one write each, then answers with the frames' ids. Nothing else: no database,
// no auth. Bob cannot deliver faster than this on the same machine. Prints "listening on <url>".
import http from 'node:http';

const streams = new Set();
let lastId = 0;
const PAD = 'x'.repeat(480); // a message.created frame of Bob's is about half a kilobyte

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    return;
  }
  if (req.method !== 'POST') return void res.writeHead(404).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const ids = [];
    let frames = '';
    for (const type of ['session.created', 'message.created', 'message.created', 'session.updated']) {
      ids.push(++lastId);
      frames += `id: ${lastId}\nevent: ${type}\ndata: ${JSON.stringify({ type, body: Buffer.concat(chunks).toString(), pad: PAD })}\n\n`;
    }
    const buf = Buffer.from(frames);
    for (const s of streams) s.write(buf);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ids }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(`fan-out floor listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
