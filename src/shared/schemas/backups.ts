import { z } from 'zod';

export const BackupOutcome = z
  .object({
    at: z.string().describe('when the backup was attempted (ISO 8601)'),
    file: z.string().nullable().describe('the backup file name in the backup folder (null when it failed before naming one)'),
    size: z.number().int().nullable().describe('bytes of the backup file (null when it failed)'),
    ok: z.boolean(),
    error: z.string().optional().describe('why it failed, for the administrator'),
    trigger: z.enum(['schedule', 'manual']),
  })
  .meta({ id: 'BackupOutcome' });
export type BackupOutcome = z.infer<typeof BackupOutcome>;

export const BackupsView = z
  .object({
    mode: z.enum(['sqlite', 'postgres']).describe('sqlite: the data dir\'s database file; postgres: the server mode, backed up with pg_dump'),
    automatic: z.boolean().describe('a backup is made at start and every day (BOB_BACKUPS=off turns it off)'),
    running: z.boolean(),
    last: BackupOutcome.nullable(),
    last_ok_at: z.string().nullable().describe('the last successful backup'),
    next_at: z.string().nullable().describe('when the next automatic backup is due (null when there are none)'),
    directory: z.string().nullable().describe('the backup folder (BOB_BACKUP_DIR, default <data dir>/backups)'),
    files: z.array(z.object({ name: z.string(), size: z.number().int(), created_at: z.string() })).describe("Bob's own backups in the folder, newest first: 7 daily and 4 weekly are kept"),
  })
  .meta({ id: 'BackupsView' });
export type BackupsView = z.infer<typeof BackupsView>;
