import { BackupOutcome, BackupsView } from '../../../shared/schemas/backups';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { BackupsService } from './backups.service';

export function registerBackupsRoutes(api: ApiRouter, deps: { backups: BackupsService }) {
  const { backups } = deps;
  const common = { tag: 'Settings', auth: 'user' as const, permission: 'settings.manage' as const };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/settings/backups',
    summary: "Automatic backups: the last one (ok or its error), when the next is due, the folder and Bob's backup files in it",
    response: BackupsView,
    handler: () => backups.view(),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/settings/backups/run',
    summary: 'Back up now: writes one backup into the backup folder and returns its outcome (ok: false with the error when it failed); 409 while one is running, or in the server mode (PostgreSQL: use pg_dump)',
    response: BackupOutcome,
    errors: [409],
    handler: (ctx) => backups.runNow(authOf(ctx), ctx.ip),
  });
}
