import http from 'node:http';

export interface AddressedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or undefined for an event stream (left open until close()). */
  json?: { error?: { code: string; message: string } } & Record<string, unknown>;
  /** Ends the connection (an event stream stays open until then). */
  close(): void;
}

/**
 * A request whose client socket is bound to `localAddress`, so the server sees that source
 * address: on Linux every 127.x.y.z is loopback, so tests can be many clients at once.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<AddressedResponse> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = http.request(
      url,
      {
        method: init.method ?? 'GET',
        localAddress,
        agent: false,
        headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
      },
      (res) => {
        const close = () => res.destroy();
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode!, headers: res.headers, close });
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : undefined, close }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
