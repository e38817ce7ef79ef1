import { NetworkCheckInput, NetworkCheckResult, NetworkSettings, NetworkSettingsInput } from '../../../shared/schemas/network';
import { isLoopbackHost } from '../../config';
import { conflict } from '../../errors';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { AppSettingsRepo } from '../settings/app-settings.repo';
import { checkReachable } from './network.check';
import { addressKindOf, type ListenTarget, type NetworkSettings as Settings, type NetworkSettingsView } from './network.settings';

export interface NetworkDeps {
  settings: Settings;
  /** Where the server listens now. */
  listening(): { url: string; port: number };
  /** Binds the new address (the old one stops accepting); throws PortInUseError when taken. */
  relisten(target: ListenTarget): Promise<void>;
  /** Demo accounts whose published passwords still work. */
  demoAccounts(): Promise<string[]>;
  /** Saving: the settings with their audit record in one transaction. */
  uow: UnitOfWork<{ appSettings: AppSettingsRepo }>;
}

export class PortInUseError extends Error {}

export function registerNetworkRoutes(api: ApiRouter, deps: NetworkDeps) {
  const { settings } = deps;
  const common = { tag: 'Settings', auth: 'user' as const, permission: 'settings.manage' as const };

  const view = async (s: NetworkSettingsView = settings): Promise<NetworkSettings> => {
    const { url, port } = deps.listening();
    const publicUrl = s.publicUrl(url);
    return {
      public_url: publicUrl,
      public_url_kind: addressKindOf(publicUrl),
      public_url_source: s.publicUrlSource(),
      listen: s.listen(),
      port,
      listening_url: url,
      managed: settings.managed(),
      demo_passwords: (await deps.demoAccounts()).length > 0,
    };
  };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/settings/network',
    summary: 'Connection: the public address visitors use, where Bob listens and on which port',
    response: NetworkSettings,
    handler: () => view(),
  });

  api.add({
    ...common,
    method: 'PUT',
    path: '/api/settings/network',
    summary: 'Change the public address, where Bob listens or its port; applied at once (Bob re-listens, no restart)',
    description:
      '409 managed_by_environment for a field set by BOB_PUBLIC_URL/BOB_HOST/BOB_PORT; 409 demo_passwords_unchanged when Bob would become reachable beyond this computer while a demo account keeps its published password; 409 port_in_use when the port is taken (nothing changes then).',
    body: NetworkSettingsInput,
    response: NetworkSettings,
    errors: [409],
    async handler(ctx, { body }) {
      const auth = authOf(ctx);
      const { next, target } = settings.plan(body, deps.listening().port);
      const beyondThisComputer = !isLoopbackHost(target.host) || (next.public_url !== null && addressKindOf(next.public_url) !== 'loopback');
      if (beyondThisComputer) {
        const demo = await deps.demoAccounts();
        if (demo.length) {
          throw conflict('demo_passwords_unchanged', `Bob stays on this computer while ${demo.join(', ')} still use the published demo passwords: change them first`, { accounts: demo });
        }
      }
      const before = await view();
      try {
        await deps.relisten(target);
      } catch (err) {
        if (err instanceof PortInUseError) throw conflict('port_in_use', err.message, { port: target.port });
        throw err;
      }
      const after = await view(settings.viewAfter(next));
      await deps.uow.run(async ({ appSettings, audit }) => {
        await settings.save(appSettings, next);
        audit({ tenantId: auth.tenantId, actorId: auth.userId, actorEmail: auth.email, action: 'settings.network_updated', targetType: 'settings', targetId: 'network', before, after, ip: ctx.ip });
      });
      settings.use(next);
      return after;
    },
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/settings/network/check',
    summary: 'Reachability check: fetch <public address>/api/health with a one-time nonce and say whether this Bob answered, another server, or nothing (within 5 s)',
    body: NetworkCheckInput,
    response: NetworkCheckResult,
    handler: (_ctx, { body }) => checkReachable(body.public_url ?? settings.publicUrl(deps.listening().url), settings.checkSecret()),
  });
}
