import { z } from 'zod';
import { isoDateTime, uuid } from './common';

export const FaqInput = z
  .object({ question: z.string().trim().min(3).max(500), answer: z.string().trim().min(1).max(4000) })
  .meta({ id: 'FaqInput' });

export const FaqEntry = z
  .object({ id: uuid, question: z.string(), answer: z.string(), created_at: isoDateTime, updated_at: isoDateTime })
  .meta({ id: 'FaqEntry' });
