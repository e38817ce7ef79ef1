import { z } from 'zod';

/** Where Bob listens: this computer only, the local network (private source addresses), or everyone. */
export const ListenScope = z.enum(['loopback', 'lan', 'all']);
export type ListenScope = z.infer<typeof ListenScope>;

/** What kind of host a URL names: visitors on the internet can reach only a public one. */
export const AddressKind = z.enum(['loopback', 'private', 'public']);
export type AddressKind = z.infer<typeof AddressKind>;

const publicUrl = z
  .string()
  .trim()
  .max(500)
  .regex(/^https?:\/\//i, 'must start with http:// or https://, e.g. https://chat.example.com')
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address, e.g. https://chat.example.com' }))
  .refine((u) => {
    if (!URL.canParse(u)) return true; // already reported by z.url
    const url = new URL(u);
    return !url.username && !url.password && !url.search && !url.hash && (url.pathname === '/' || url.pathname === '');
  }, 'must be just scheme, host and optional port (no path, query or credentials), e.g. https://chat.example.com')
  .transform((u) => u.replace(/\/+$/, ''));

export const NetworkSettings = z
  .object({
    public_url: z.string().describe('The address visitors and invitees use: the widget snippet, invite links and the same-origin check'),
    public_url_kind: AddressKind.describe('loopback/private: visitors on the internet cannot reach it'),
    public_url_source: z.enum(['environment', 'settings', 'listening']).describe('listening: no address was set, so the one Bob listens on is used'),
    listen: ListenScope,
    port: z.number().int(),
    listening_url: z.string().describe('Where this Bob answers right now'),
    managed: z
      .object({ public_url: z.boolean(), listen: z.boolean(), port: z.boolean() })
      .describe('Set by BOB_PUBLIC_URL / BOB_HOST / BOB_PORT on the server: read-only here'),
    demo_passwords: z.boolean().describe('Demo accounts still use the published passwords: Bob refuses to be reachable beyond this computer until they change'),
  })
  .meta({ id: 'NetworkSettings' });
export type NetworkSettings = z.infer<typeof NetworkSettings>;

export const NetworkSettingsInput = z
  .object({
    public_url: publicUrl.nullable().optional().describe('null: follow the address Bob listens on'),
    listen: ListenScope.optional(),
    port: z.number().int().min(1).max(65535).optional(),
  })
  .strict()
  .meta({ id: 'NetworkSettingsInput' });
export type NetworkSettingsInput = z.infer<typeof NetworkSettingsInput>;

export const NetworkCheckInput = z
  .object({ public_url: publicUrl.optional().describe('Check this address instead of the saved one (before saving it)') })
  .strict()
  .meta({ id: 'NetworkCheckInput' });

export const NetworkCheckResult = z
  .object({
    url: z.string(),
    result: z.enum(['reachable', 'other_server', 'unreachable']).describe('reachable: this Bob answered the one-time nonce'),
    reason: z
      .enum(['dns', 'tls', 'timeout', 'refused', 'network', 'http_status', 'not_bob'])
      .nullable()
      .describe('Why it is not reachable (null when reachable)'),
    detail: z.string().nullable().describe('The underlying error or status, for support'),
    latency_ms: z.number().int(),
  })
  .meta({ id: 'NetworkCheckResult' });
export type NetworkCheckResult = z.infer<typeof NetworkCheckResult>;
