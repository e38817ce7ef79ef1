import { randomUUID } from 'node:crypto';
import { originMatches } from '../../../shared/origins';
import { KNOWLEDGE_CONTENT_MAX, KNOWLEDGE_IMPORT_MAX, type KnowledgeDocument, type KnowledgeDocumentDetail, type KnowledgeType } from '../../../shared/schemas/knowledge';
import type { Clock } from '../../clock';
import { conflict, HttpError, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { Audit } from '../audit/audit.repo';
import { redactedUrl } from '../webhooks/address-guard';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import { decodeText, extractDocument, htmlToText, isHtml, isMarkdown, noText } from './extract';
import { DEFAULT_FETCH_TIMEOUT_MS, fetchPage, MAX_REDIRECTS, type FetchedPage, type FetchPolicy } from './fetch-page';
import type { KnowledgeRepo, KnowledgeRow, KnowledgeSummaryRow } from './knowledge.repo';
import { normalizeText, splitPassages } from './passages';

export interface KnowledgeActor {
  tenantId: string;
  auth: AuthContext;
  ip: string;
}

export const toDocument = ({ tenant_id: _t, created_by: _c, content: _content, ...d }: KnowledgeSummaryRow & { content?: string }): KnowledgeDocument => d;
export const toDetail = (row: KnowledgeRow): KnowledgeDocumentDetail => ({ ...toDocument(row), content: row.content });

/** What the audit log keeps of a document: never its text. */
const summary = (d: Pick<KnowledgeRow, 'title' | 'type' | 'size' | 'chunks' | 'source_url'>) => ({
  title: d.title,
  type: d.type,
  size: d.size,
  chunks: d.chunks,
  ...(d.source_url ? { source_url: redactedUrl(d.source_url) } : {}),
});

const TITLE_MAX = 200;
const cleanTitle = (t: string | null | undefined) => {
  const v = t?.replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX).trim();
  return v ? v : null;
};
/** "delivery-terms.pdf" → "delivery-terms"; a name that is only an extension stays as it is. */
const baseName = (filename: string) => cleanTitle(filename.replace(/^.*[\\/]/, '').replace(/(.)\.[A-Za-z0-9]{1,8}$/, '$1'));

/** Readable text that is not empty and not too long to keep. */
function checkedText(text: string): string {
  if (!text.trim()) throw noText();
  if (text.length > KNOWLEDGE_CONTENT_MAX) {
    throw new HttpError(400, 'document_too_long', `This document has more than ${KNOWLEDGE_CONTENT_MAX.toLocaleString('en')} characters of text; split it into smaller documents`);
  }
  return text;
}

/** Passages of a text that has some (a text of only headings still gives one). */
function passagesOf(text: string): string[] {
  const p = splitPassages(text);
  if (p.length === 0) throw noText();
  return p;
}

/** Now, or just after the last change when the clock has not moved on (the responder's cache key must change). */
const laterThan = (now: Date, previous: string) => new Date(Math.max(now.getTime(), Date.parse(previous) + 1)).toISOString();

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;

export function createKnowledgeService(deps: {
  /** Reads outside a unit of work. */
  repo: KnowledgeRepo;
  /** Writes: a document with its passages and its audit record in one transaction. */
  uow: UnitOfWork<{ knowledge: KnowledgeRepo }>;
  keys: WidgetKeysRepo;
  clock: Clock;
  /** Imports: BOB_ALLOW_PRIVATE_WEBHOOKS and BOB_KNOWLEDGE_FETCH_TIMEOUT. */
  fetch: { allowPrivate: boolean; timeoutMs?: number };
}) {
  const { repo, uow, keys, clock } = deps;
  const policy: FetchPolicy = {
    allowPrivate: deps.fetch.allowPrivate,
    timeoutMs: deps.fetch.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
    maxBytes: KNOWLEDGE_IMPORT_MAX,
    maxRedirects: MAX_REDIRECTS,
  };

  const find = async (r: KnowledgeRepo, tenantId: string, id: string) => {
    const row = await r.byId(tenantId, id);
    if (!row) throw notFound('Document');
    return row;
  };
  const record = (audit: Audit, a: KnowledgeActor, action: string, id: string, before: unknown, after: unknown) =>
    audit({ tenantId: a.tenantId, actorId: a.auth.userId, actorEmail: a.auth.email, action, targetType: 'knowledge', targetId: id, before, after, ip: a.ip });

  function add(a: KnowledgeActor, doc: { title: string; type: KnowledgeType; size: number; content: string; source_url: string | null; fetched_at: string | null }, action: string) {
    const content = checkedText(doc.content);
    const texts = passagesOf(content);
    const id = randomUUID();
    return uow.run(async ({ knowledge, audit }) => {
      await knowledge.insert({ id, tenant_id: a.tenantId, created_by: a.auth.userId, at: clock.now().toISOString(), ...doc, content }, texts);
      const row = await find(knowledge, a.tenantId, id);
      record(audit, a, action, id, null, summary(row));
      return toDocument(row);
    });
  }

  /** The origins a business's site is on: every active widget key's allowlist. */
  async function allowedOrigins(tenantId: string): Promise<string[]> {
    const now = clock.now().toISOString();
    const active = (await keys.forTenant(tenantId)).filter((k) => k.status === 'active' && (!k.expires_at || k.expires_at > now));
    return [...new Set(active.flatMap((k) => k.allowed_origins))];
  }

  /** Fetches a page of one of the business's allowed origins and reads its text. */
  async function fetchReadable(tenantId: string, raw: string) {
    const url = new URL(raw);
    if (url.username || url.password) throw new HttpError(400, 'invalid_request', 'Leave the user name and password out of the page address');
    url.hash = '';
    const allowed = await allowedOrigins(tenantId);
    if (!originMatches(url.origin, allowed)) {
      throw new HttpError(
        400,
        'origin_not_allowed',
        allowed.length
          ? `Bob imports pages only from this business's site: ${allowed.join(', ')} (the widget's allowed origins). Add ${url.origin} in Mission Control → Widget to import from it.`
          : `Bob imports pages only from this business's site, and no site is set yet: add ${url.origin} to a widget key's allowed origins in Mission Control → Widget.`,
        { allowed_origins: allowed },
      );
    }
    const page = await fetchPage(url.href, policy);
    return { url: url.href, size: page.body.length, ...readPage(page) };
  }

  return {
    list: async (tenantId: string) => (await repo.list(tenantId)).map(toDocument),
    get: async (tenantId: string, id: string) => toDetail(await find(repo, tenantId, id)),

    /** Typed text (JSON). */
    create: (a: KnowledgeActor, input: { title: string; content: string; type: 'markdown' | 'text' }) => {
      const content = normalizeText(input.content);
      return add(a, { title: input.title, type: input.type, size: Buffer.byteLength(content), content, source_url: null, fetched_at: null }, 'knowledge.created');
    },

    /** An uploaded file: its type from its bytes; the title from the form, the file's name or the document's own. */
    async upload(a: KnowledgeActor, file: { filename: string; data: Buffer }, title?: string) {
      const doc = await extractDocument(file.data);
      const name = cleanTitle(title) ?? baseName(file.filename) ?? cleanTitle(doc.title) ?? 'Untitled document';
      return add(a, { title: name, type: doc.type, size: file.data.length, content: doc.text, source_url: null, fetched_at: null }, 'knowledge.created');
    },

    /** A new title and/or text; new text is split again at once. */
    update(a: KnowledgeActor, id: string, input: { title?: string; content?: string }) {
      const content = input.content === undefined ? undefined : checkedText(normalizeText(input.content));
      const texts = content === undefined ? undefined : passagesOf(content);
      return uow.run(async ({ knowledge, audit }) => {
        const before = await find(knowledge, a.tenantId, id);
        const at = laterThan(clock.now(), before.updated_at);
        const title = input.title ?? before.title;
        if (content === undefined || texts === undefined) await knowledge.rename(a.tenantId, id, title, at);
        else await knowledge.replace({ id, tenant_id: a.tenantId, title, type: before.type, size: Buffer.byteLength(content), content, at, fetched_at: null }, texts);
        const after = await find(knowledge, a.tenantId, id);
        record(audit, a, 'knowledge.updated', id, summary(before), summary(after));
        return toDocument(after);
      });
    },

    remove(a: KnowledgeActor, id: string): Promise<void> {
      return uow.run(async ({ knowledge, audit }) => {
        const before = await find(knowledge, a.tenantId, id);
        await knowledge.remove(a.tenantId, id);
        record(audit, a, 'knowledge.deleted', id, summary(before), null);
      });
    },

    /** One page of the business's own site, kept with its address to be fetched again. */
    async importPage(a: KnowledgeActor, input: { url: string; title?: string }) {
      const page = await fetchReadable(a.tenantId, input.url);
      const title = cleanTitle(input.title) ?? page.title ?? new URL(page.url).host + new URL(page.url).pathname.replace(/\/$/, '');
      return add(a, { title, type: page.type, size: page.size, content: page.text, source_url: page.url, fetched_at: clock.now().toISOString() }, 'knowledge.imported');
    },

    /** Fetches an imported page again (the same checks) and replaces its text. */
    async refetch(a: KnowledgeActor, id: string) {
      const current = await find(repo, a.tenantId, id);
      if (!current.source_url) throw conflict('not_imported', 'This document was not imported from a page, so there is nothing to fetch again');
      const page = await fetchReadable(a.tenantId, current.source_url);
      const content = checkedText(page.text);
      const texts = passagesOf(content);
      return uow.run(async ({ knowledge, audit }) => {
        const before = await find(knowledge, a.tenantId, id); // it may have been edited or deleted meanwhile
        const at = laterThan(clock.now(), before.updated_at);
        await knowledge.replace({ id, tenant_id: a.tenantId, title: before.title, type: page.type, size: page.size, content, at, fetched_at: at }, texts);
        const after = await find(knowledge, a.tenantId, id);
        record(audit, a, 'knowledge.refetched', id, summary(before), summary(after));
        return toDocument(after);
      });
    },
  };
}

/** A fetched page's text: HTML by its declared type (or its content), Markdown or plain text otherwise. */
export function readPage(page: Pick<FetchedPage, 'mediaType' | 'charset' | 'body'>): { type: KnowledgeType; text: string; title: string | null } {
  let text: string | null;
  if (!page.charset || page.charset === 'utf-8' || page.charset === 'utf8') text = decodeText(page.body);
  else {
    try {
      text = new TextDecoder(page.charset).decode(page.body);
    } catch {
      text = decodeText(page.body); // a charset Node does not know: read it as UTF-8
    }
    if (text?.includes('\0')) text = null;
  }
  if (text === null) throw new HttpError(400, 'unsupported_page_type', 'The page is not text Bob can read; Bob imports HTML, plain text or Markdown pages');
  const html = page.mediaType === 'text/html' || page.mediaType === 'application/xhtml+xml' || (!page.mediaType && isHtml(text));
  if (html) {
    const r = htmlToText(text);
    return { type: 'html', text: r.text, title: r.title };
  }
  const clean = normalizeText(text);
  const markdown = page.mediaType === 'text/markdown' || page.mediaType === 'text/x-markdown' || isMarkdown(clean);
  return { type: markdown ? 'markdown' : 'text', text: clean, title: /^#{1,6}\s+(.+)$/m.exec(clean)?.[1]?.trim().slice(0, TITLE_MAX) ?? null };
}
