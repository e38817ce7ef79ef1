import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import type { Acked } from './chat';

const ROOT = path.resolve(__dirname, '../..');

/** `npm run <command>` of a server tool (backup, restore, migrate-to-postgres) in a process of its own: its exit code and output. */
export async function runServerTool(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'run-server-tool.mjs'), ...args], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

/**
 * What a backup made while visitors chatted must hold (`restored`: the restored messages' bodies).
 * Acknowledged (200) before the backup started: always in it. Acknowledged while it ran: in it or
 * not, as the moment of its snapshot falls. Acknowledged after it finished: never.
 */
export function expectBackupHolds(run: { acked: Acked[]; started: number; ended: number }, restored: Set<string>): void {
  // The visitors went on writing while the backup ran: the copy was made under concurrent writes.
  expect(run.acked.filter((a) => a.at > run.started && a.at < run.ended).length).toBeGreaterThan(0);
  const before = run.acked.filter((a) => a.at < run.started);
  expect(before.length).toBeGreaterThanOrEqual(40);
  expect(before.filter((a) => !restored.has(a.text))).toEqual([]);
  expect(run.acked.filter((a) => a.at > run.ended && restored.has(a.text))).toEqual([]);
}
