// The fan-out benchmark's load process (bench/fanout.ts forks it): opens `streams` staff Server-Sent
// Events connections to GET /api/events with one token (plain node:http, one socket each) and, for
// every event frame that arrives on every stream, records the event id and the moment its chunk
// arrived, on the machine-wide clock performance.timeOrigin + performance.now() (comparable across
// processes on one machine). Messages (IPC): → {type:'ready', opened, refused} once every stream has
// its first frame; ← {type:'stop', out} writes the records to `out` as JSON and exits.
import fs from 'node:fs';
import http from 'node:http';

const { url, token, streams } = JSON.parse(process.argv[2]);
const target = new URL('/api/events', url);
const now = () => performance.timeOrigin + performance.now();

/** event id → receive times (one per stream that got it); duplicates per stream are counted apart. */
const received = new Map();
let duplicates = 0;
let frames = 0;
const sockets = [];

function open() {
  return new Promise((resolve) => {
    const req = http.get(
      { hostname: target.hostname, port: target.port, path: target.pathname, agent: false, headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return resolve(res.statusCode ?? 0);
        }
        sockets.push(res.socket);
        res.setEncoding('utf8');
        let rest = '';
        let last = 0; // event ids on one stream only grow: a repeat is a duplicate
        let first = true;
        res.on('data', (chunk) => {
          const at = now();
          if (first) {
            first = false;
            resolve(200);
          }
          let text = rest + chunk;
          let end;
          let from = 0;
          while ((end = text.indexOf('\n\n', from)) >= 0) {
            if (text.startsWith('id: ', from)) {
              const id = Number(text.slice(from + 4, text.indexOf('\n', from)));
              frames++;
              if (id <= last) duplicates++;
              else {
                last = id;
                let times = received.get(id);
                if (!times) received.set(id, (times = []));
                times.push(at);
              }
            }
            from = end + 2;
          }
          rest = text.slice(from);
        });
      },
    );
    req.on('error', () => resolve(0));
  });
}

const statuses = [];
for (let i = 0; i < streams; i += 50) {
  statuses.push(...(await Promise.all(Array.from({ length: Math.min(50, streams - i) }, () => open()))));
}
const opened = statuses.filter((s) => s === 200).length;
process.send({ type: 'ready', opened, refused: statuses.length - opened });

process.on('message', (m) => {
  if (m?.type !== 'stop') return;
  for (const s of sockets) s.destroy();
  fs.writeFileSync(m.out, JSON.stringify({ frames, duplicates, received: [...received] }));
  process.send({ type: 'done' }, () => process.exit(0));
});
