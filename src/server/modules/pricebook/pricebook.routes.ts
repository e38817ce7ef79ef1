import { z } from 'zod';
import { Pricebook, PricebookDraftInput, PricebookVersionParams } from '../../../shared/schemas/pricebook';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { PricebookService } from './pricebook.service';

export function registerPricebookRoutes(api: ApiRouter, pricebook: PricebookService) {
  api.add({
    method: 'GET',
    path: '/api/pricebook',
    tag: 'Pricebook',
    summary: 'The published pricebook (public): the source of truth for every price Bob quotes',
    auth: 'public',
    response: Pricebook,
    handler(ctx) {
      ctx.set('Cache-Control', 'public, max-age=60');
      return pricebook.published();
    },
  });

  api.add({
    method: 'GET',
    path: '/api/pricebook/versions',
    tag: 'Pricebook',
    summary: 'Every version: drafts, the published one and the archived ones, newest first',
    auth: 'user',
    permission: 'pricebook.manage',
    response: z.object({ data: z.array(Pricebook), next_cursor: z.null() }),
    handler: async () => ({ data: await pricebook.list(), next_cursor: null }),
  });

  api.add({
    method: 'GET',
    path: '/api/pricebook/versions/:version',
    tag: 'Pricebook',
    summary: 'One version',
    auth: 'user',
    permission: 'pricebook.manage',
    params: PricebookVersionParams,
    response: Pricebook,
    errors: [404],
    handler: (_ctx, { params }) => pricebook.get(params.version),
  });

  api.add({
    method: 'POST',
    path: '/api/pricebook/versions',
    tag: 'Pricebook',
    summary: 'Start a new draft from the published version',
    auth: 'user',
    permission: 'pricebook.manage',
    status: 201,
    response: Pricebook,
    handler: (ctx) => pricebook.createDraft(authOf(ctx), ctx.ip),
  });

  api.add({
    method: 'PUT',
    path: '/api/pricebook/versions/:version',
    tag: 'Pricebook',
    summary: 'Edit a draft (published and archived versions are immutable: 409)',
    auth: 'user',
    permission: 'pricebook.manage',
    params: PricebookVersionParams,
    body: PricebookDraftInput,
    response: Pricebook,
    errors: [404, 409],
    handler: (ctx, { params, body }) => pricebook.updateDraft(authOf(ctx), ctx.ip, params.version, body),
  });

  api.add({
    method: 'POST',
    path: '/api/pricebook/versions/:version/publish',
    tag: 'Pricebook',
    summary: 'Publish a draft; the previous version is archived and Bob quotes the new prices at once',
    auth: 'user',
    permission: 'pricebook.manage',
    params: PricebookVersionParams,
    response: Pricebook,
    errors: [404, 409],
    handler: (ctx, { params }) => pricebook.publish(authOf(ctx), ctx.ip, params.version),
  });
}
