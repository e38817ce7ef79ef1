import { spawn } from 'node:child_process';
import path from 'node:path';
import { eventually } from './eventually';

/**
 * `npm run serve` as a child process (what a user runs), with its output captured. Node itself
 * with tsx's loader, not the tsx CLI: the CLI runs the server in a grandchild, which a SIGKILL of
 * the child would leave running.
 */
export function runHeadless(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/server/main.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    out: () => stdout,
    err: () => stderr,
    /** Waits for the "Bob listening on <url> (data: <dir>)" line. */
    async listening(timeoutMs = 20_000): Promise<{ url: string; dataDir: string }> {
      const listening = /^Bob listening on (http:\/\/\S+) \(data: (.+)\)$/m;
      const match = await eventually(() => listening.exec(stdout), timeoutMs).catch(() => {
        throw new Error(`no listening line:\n${stdout}\n${stderr}`);
      });
      return { url: match[1]!, dataDir: match[2]! };
    },
  };
}
