// Where Bob listens and the address the world knows it by (Settings → Connection). The
// environment wins field by field (BOB_PUBLIC_URL, BOB_HOST, BOB_PORT: read-only in Mission
// Control); otherwise what an admin saved; otherwise this computer only, on the configured port.
import crypto from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { AddressKind, ListenScope, type NetworkSettingsInput } from '../../../shared/schemas/network';
import { isLoopbackHost, type Config } from '../../config';
import { conflict } from '../../errors';
import type { AppSettingsRepo } from '../settings/app-settings.repo';
import { isPrivateAddress } from '../webhooks/address-guard';

/** What the HTTP server binds: `lanOnly` drops connections from outside the local network. */
export interface ListenTarget {
  host: string;
  port: number;
  lanOnly: boolean;
}

const LOOPBACK = '127.0.0.1';
const WILDCARD = '0.0.0.0';
const KEY = 'network';
const CHECK_SECRET_KEY = 'reachability_secret';

const Stored = z.object({ public_url: z.string().nullable(), listen: ListenScope, port: z.number().int().nullable() });
type Stored = z.infer<typeof Stored>;
const DEFAULTS: Stored = { public_url: null, listen: 'loopback', port: null };

/** How a host given in BOB_HOST reads as a scope. */
export function listenScopeOf(host: string): ListenScope {
  if (isLoopbackHost(host)) return 'loopback';
  if (host === WILDCARD || host === '::') return 'all';
  return isIP(host) && isPrivateAddress(host) ? 'lan' : 'all';
}

/** Whether people on the internet can reach a URL's host (names: single-label and .local/.lan are local). */
export function addressKindOf(url: string): AddressKind {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (isLoopbackHost(host) || host.endsWith('.localhost')) return 'loopback';
  if (isIP(host)) return isPrivateAddress(host) ? 'private' : 'public';
  return !host.includes('.') || /\.(local|lan|home|internal|intranet|corp)$/.test(host) ? 'private' : 'public';
}

/** A connection from the local network: loopback, private, link-local, carrier-grade NAT, unique-local IPv6. */
export function isLocalNetworkAddress(address: string | undefined): boolean {
  return address !== undefined && isPrivateAddress(address);
}

export type NetworkSettings = Awaited<ReturnType<typeof createNetworkSettings>>;
/** How the settings read: now, or once a planned change is saved. */
export type NetworkSettingsView = Pick<NetworkSettings, 'listen' | 'publicUrl' | 'publicUrlSource'>;

/** Reads the stored settings (at start-up, before the server listens); kept in memory after. */
export async function createNetworkSettings(deps: { repo: AppSettingsRepo; config: Config; now: () => Date }) {
  const { config } = deps;
  const env = config.fromEnvironment;
  const load = async (): Promise<Stored> => {
    const raw = await deps.repo.get(KEY);
    const parsed = raw ? Stored.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : DEFAULTS;
  };
  let stored = await load();
  // The secret that answers reachability checks: one per database, so any instance of this Bob answers.
  await deps.repo.putIfAbsent(CHECK_SECRET_KEY, JSON.stringify(crypto.randomBytes(32).toString('hex')), deps.now().toISOString());
  const checkSecret = JSON.parse((await deps.repo.get(CHECK_SECRET_KEY))!) as string;

  const listen = (s: Stored): ListenScope => (env.host ? listenScopeOf(config.host) : s.listen);
  const targetOf = (s: Stored): ListenTarget => ({
    host: env.host ? config.host : s.listen === 'loopback' ? LOOPBACK : WILDCARD,
    port: env.port ? config.port : (s.port ?? config.port),
    lanOnly: !env.host && s.listen === 'lan',
  });
  const viewOf = (s: () => Stored) => ({
    listen: () => listen(s()),
    /** The address the snippet, invite links and the same-origin check use. */
    publicUrl: (listeningUrl: string) => config.publicUrl ?? s().public_url ?? listeningUrl,
    publicUrlSource: (): 'environment' | 'settings' | 'listening' => (env.publicUrl ? 'environment' : s().public_url ? 'settings' : 'listening'),
  });

  return {
    /** What to bind now. */
    target: () => targetOf(stored),
    /** Reads the stored settings again (another instance saved them: the public URL is shared). */
    async reload() {
      stored = await load();
    },
    ...viewOf(() => stored),
    /** How the settings will read once `next` is saved. */
    viewAfter: (next: Stored) => viewOf(() => next),
    checkSecret: () => checkSecret,
    managed: () => ({ public_url: env.publicUrl, listen: env.host, port: env.port }),

    /**
     * The settings after `input`, with what they would bind. A field the environment sets may be
     * sent unchanged (a form sends every field) but not changed.
     */
    plan(input: NetworkSettingsInput, boundPort: number): { next: Stored; target: ListenTarget } {
      const next: Stored = { ...stored };
      if (input.public_url !== undefined) {
        if (env.publicUrl && input.public_url !== config.publicUrl) throw managedBy('BOB_PUBLIC_URL', 'public address');
        next.public_url = input.public_url;
      }
      if (input.listen !== undefined) {
        if (env.host && input.listen !== listen(stored)) throw managedBy('BOB_HOST', 'listening address');
        next.listen = input.listen;
      }
      if (input.port !== undefined) {
        if (env.port && input.port !== boundPort) throw managedBy('BOB_PORT', 'port');
        if (!env.port) next.port = input.port;
      }
      return { next, target: targetOf(next) };
    },
    /** Writes `next` through `repo` (a unit of work's, beside its audit record); `use` applies it once committed. */
    async save(repo: AppSettingsRepo, next: Stored): Promise<void> {
      await repo.put(KEY, JSON.stringify(next), deps.now().toISOString());
    },
    use(next: Stored): void {
      stored = next;
    },
  };
}

const managedBy = (variable: string, what: string) =>
  conflict('managed_by_environment', `The ${what} is set by ${variable} on the server; change it there`, { variable });
