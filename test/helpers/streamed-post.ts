import http from 'node:http';

export interface StreamedAnswer {
  status: number;
  type: string;
  body: string;
}

/**
 * POSTs `payload` through node:http in 64 KB writes, with a Content-Length or, when `chunked`,
 * without one (Transfer-Encoding: chunked). The server may answer and close before the whole body
 * is sent (a 413, which is usually the point): that is not an error here.
 */
export function streamedPost(url: URL, payload: Buffer, headers: Record<string, string>, chunked = false): Promise<StreamedAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { ...headers, ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(payload.length) }) },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.on('error', (err) => (req.writableEnded ? undefined : reject(err)));
    void (async () => {
      for (let i = 0; i < payload.length && !req.destroyed; i += 64 * 1024) {
        if (!req.write(payload.subarray(i, i + 64 * 1024))) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })();
  });
}
