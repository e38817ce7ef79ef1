#!/usr/bin/env node
// `npm run demo:site`: a small business's website on a second origin with Bob's widget embedded,
// using the snippet from Widget Setup exactly as a customer would paste it.
// Start Bob first (npm start). BOB_URL, DEMO_EMAIL, DEMO_PASSWORD and DEMO_PORT override the defaults.
import http from 'node:http';

const bob = (process.env.BOB_URL ?? 'http://127.0.0.1:4600').replace(/\/$/, '');
const port = Number(process.env.DEMO_PORT ?? 4601);
const email = process.env.DEMO_EMAIL ?? 'customer@business.com';
const password = process.env.DEMO_PASSWORD ?? 'customer_password';

async function snippet() {
  const login = await fetch(`${bob}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!login.ok) throw new Error(`signing in as ${email} at ${bob} failed (${login.status}); set DEMO_EMAIL/DEMO_PASSWORD`);
  const { token } = await login.json();
  const setup = await fetch(`${bob}/api/widget/setup`, { headers: { Authorization: `Bearer ${token}` } });
  return (await setup.json()).snippet;
}

const page = (lang, tag) => `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Business Co</title>
<style>
body{margin:0;font-family:Georgia,serif;color:#3b2f2f;background:#fbf7f2}
header{padding:28px 40px;background:#3b2f2f;color:#fbf7f2}header h1{margin:0}
main{padding:40px;max-width:720px}a{color:#a0522d}
</style></head>
<body>
<header><h1>Business Co</h1><p>${lang === 'it' ? 'Consulenza per piccole imprese, dal 1998' : 'Advice for small businesses, since 1998'}</p></header>
<main>
<h2>${lang === 'it' ? 'Benvenuti' : 'Welcome'}</h2>
<p>${lang === 'it' ? 'Questa è una pagina di prova: la chat in basso a destra è Bob, incorporato con un solo tag script.' : 'This is a demo page: the chat at the bottom right is Bob, embedded with a single script tag.'}</p>
<p><a href="?lang=${lang === 'it' ? 'en' : 'it'}">${lang === 'it' ? 'English version' : 'Versione italiana'}</a></p>
</main>
${tag}
</body></html>`;

const tag = await snippet();
http
  .createServer((req, res) => {
    const lang = new URL(req.url ?? '/', 'http://x').searchParams.get('lang') === 'it' ? 'it' : 'en';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page(lang, tag));
  })
  .listen(port, '127.0.0.1', () => console.log(`Demo site with Bob's widget: http://127.0.0.1:${port}/  (Italian: ?lang=it)\nSnippet: ${tag}`));
