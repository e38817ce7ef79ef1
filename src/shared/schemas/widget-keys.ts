import { z } from 'zod';
import { isoDateTime, uuid } from './common';

export const WidgetKey = z
  .object({
    id: uuid,
    key: z.string(),
    label: z.string(),
    mode: z.enum(['live', 'test']),
    allowed_origins: z.array(z.string()),
    status: z.enum(['active', 'revoked']),
    created_at: isoDateTime,
    last_used_at: isoDateTime.nullable(),
  })
  .meta({ id: 'WidgetKey' });
export type WidgetKey = z.infer<typeof WidgetKey>;
