import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChatMessage } from '../../../shared/schemas/chat';
import { DEFAULT_STORAGE_MB } from '../../../shared/schemas/pricebook';
import type { Clock } from '../../clock';
import { HttpError, rateLimited } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { LimitStore } from '../../http/rate-limit';
import { timeOrderedUuid } from '../../ids';
import type { UnitOfWork } from '../../storage/unit-of-work';
import { toMessage, type SessionRow } from '../chat/chat.repo';
import type { ChatRepos, ChatService } from '../chat/chat.service';
import type { PricebookRepo } from '../pricebook/pricebook.repo';
import type { AppSettingsRepo } from '../settings/app-settings.repo';
import type { TenantRow } from '../tenants/tenants.repo';
import type { AttachmentRow, AttachmentsRepo } from './attachments.repo';
import type { FileStore } from './file-store';
import { cleanName, MalformedFile, sniff, stripMetadata } from './files';

/** The largest file a conversation takes. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** app_settings key of this install's signing key for visitors' links (made once, never sent). */
const SIGNING_KEY = 'attachments.signing_key';
/** A visitor's link lasts this long (rounded up to the next 5 minutes, so links repeat and cache). */
const LINK_TTL_S = 15 * 60;
const LINK_STEP_S = 5 * 60;

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;

/** Who sends a file: the visitor (widget) or a signed-in person (Live). */
export type Sender = { author: 'visitor'; ip: string } | { author: 'agent'; auth: AuthContext };

export function createAttachmentsService(deps: {
  repo: AttachmentsRepo;
  uow: UnitOfWork<ChatRepos & { attachments: AttachmentsRepo }>;
  chat: Pick<ChatService, 'fileMessage'>;
  store: FileStore;
  appSettings: AppSettingsRepo;
  pricebook: Pick<PricebookRepo, 'published'>;
  limitStore: LimitStore;
  clock: Clock;
}) {
  const { repo, store, clock } = deps;
  const perSession = deps.limitStore.limiter('attachments.session', 10, 60_000);
  const perIp = deps.limitStore.limiter('attachments.ip', 30, 60_000);
  let key: Buffer | undefined;

  const signatureOf = (id: string, exp: number) => createHmac('sha256', key!).update(`${id}.${exp}`).digest('base64url');

  /** The plan's storage in bytes (null: unlimited); plans without `storage_mb` get the default. */
  async function limitOf(tenant: TenantRow): Promise<number | null> {
    const plan = (await deps.pricebook.published())?.plans.find((p) => p.id === tenant.plan_id);
    const mb = plan?.storage_mb === undefined ? DEFAULT_STORAGE_MB : plan.storage_mb;
    return mb === null ? null : mb * 1024 * 1024;
  }

  /** A visitor's link to one file, valid about 15 minutes. */
  const signedPath = (id: string): string => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const exp = Math.ceil((now + LINK_TTL_S) / LINK_STEP_S) * LINK_STEP_S;
    return `/api/widget/attachments/${id}?exp=${exp}&sig=${signatureOf(id, exp)}`;
  };

  return {
    /** Loads (or makes, once per install) the signing key; before the first link. */
    async start() {
      await deps.appSettings.putIfAbsent(SIGNING_KEY, JSON.stringify(randomBytes(32).toString('hex')), clock.now().toISOString());
      key = Buffer.from(JSON.parse((await deps.appSettings.get(SIGNING_KEY))!) as string, 'hex');
    },

    signedPath,

    /** A message as the visitor sees it: its files' links signed. */
    forVisitor: <M extends Pick<ChatMessage, 'attachments'>>(m: M): M =>
      m.attachments?.length ? { ...m, attachments: m.attachments.map((a) => ({ ...a, url: signedPath(a.id) })) } : m,

    /** Checks a visitor's link: 403 `link_expired` or `invalid_signature`. */
    verify(id: string, exp: number, sig: string) {
      const expected = Buffer.from(signatureOf(id, exp));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(403, 'invalid_signature', 'This link is not valid');
      if (exp * 1000 < clock.now().getTime()) throw new HttpError(403, 'link_expired', 'This link has expired: reopen the conversation for a new one');
    },

    /** The bytes the tenant's files take, and the plan's limit (null: unlimited). */
    storage: async (tenant: TenantRow): Promise<{ used_bytes: number; limit_bytes: number | null }> => ({ used_bytes: await repo.usedBytes(tenant.id), limit_bytes: await limitOf(tenant) }),

    /**
     * Stores a file sent in a conversation and the message that carries it, with its
     * `message.created`, in one run: the type from the bytes (415 `unsupported_type` for anything
     * but PNG, JPEG, GIF, WebP and PDF), images without their metadata, within the plan's storage
     * (413 `storage_full`). The file is written first and removed again if the run fails.
     */
    async upload(tenant: TenantRow, s: SessionRow, from: Sender, file: { filename: string; data: Buffer }): Promise<ChatMessage> {
      if (from.author === 'visitor') {
        const bySession = await perSession.hit(`${tenant.id}|${s.external_id}`);
        if (bySession) throw rateLimited(bySession, 'Too many files in this conversation. Wait a moment and try again.');
        const byIp = await perIp.hit(from.ip);
        if (byIp) throw rateLimited(byIp, 'Too many files from your network. Wait a moment and try again.');
      }
      const type = sniff(file.data);
      const unsupported = () => new HttpError(415, 'unsupported_type', 'Send an image (PNG, JPEG, GIF, WebP) or a PDF');
      if (!type) throw unsupported();
      let data: Buffer;
      try {
        data = stripMetadata(file.data, type);
      } catch (err) {
        if (err instanceof MalformedFile) throw unsupported();
        throw err;
      }
      const limit = await limitOf(tenant);
      if (limit !== null && (await repo.usedBytes(tenant.id)) + data.length > limit) {
        throw new HttpError(413, 'storage_full', "The business's plan has no room left for files");
      }
      const id = timeOrderedUuid();
      const name = cleanName(file.filename);
      const sha256 = createHash('sha256').update(data).digest('hex');
      await store.write(tenant.id, id, data);
      try {
        return await deps.uow.run(async (t) => {
          const { message } = await deps.chat.fileMessage(t, s, from.author === 'agent' ? from : { author: 'visitor' }, name, [{ id, name, type, size: data.length }]);
          const row: AttachmentRow = { id, tenant_id: tenant.id, session_id: s.id, message_id: message.id, name, type, size: data.length, sha256, created_at: message.created_at };
          await t.attachments.insert(row);
          return toMessage(message);
        });
      } catch (err) {
        await store.remove(tenant.id, [id]);
        throw err;
      }
    },

    /** A file's row and bytes (a row whose file is gone: 404). */
    async read(row: AttachmentRow): Promise<Buffer> {
      try {
        return await store.read(row.tenant_id, row.id);
      } catch {
        throw new HttpError(404, 'not_found', 'Attachment not found');
      }
    },

    /** Unlinks files whose rows a committed run deleted (erasure, retention); never throws. */
    removeFiles: async (tenantId: string, ids: readonly string[]) => {
      if (ids.length) await store.remove(tenantId, ids).catch(() => undefined);
    },
  };
}
