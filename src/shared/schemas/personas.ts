import { z } from 'zod';
import { isoDateTime, uuid } from './common';

// The seed's field names: { name, description, tone, systemPrompt }.
const fields = {
  name: z.string().trim().min(1).max(60),
  description: z.string().trim().max(500),
  tone: z.string().trim().min(1).max(40),
  systemPrompt: z.string().max(8000),
};

export const PersonaInput = z
  .object({ name: fields.name, description: fields.description.default(''), tone: fields.tone.default('friendly'), systemPrompt: fields.systemPrompt.default('') })
  .meta({ id: 'PersonaInput' });
export const PersonaPatch = z.object(fields).partial().meta({ id: 'PersonaPatch' });

export const Persona = z
  .object({
    id: uuid,
    name: z.string(),
    description: z.string(),
    tone: z.string(),
    systemPrompt: z.string(),
    is_default: z.boolean(),
    version: z.number().int(),
    updated_at: isoDateTime,
    draft: z
      .object({ name: z.string(), description: z.string(), tone: z.string(), systemPrompt: z.string(), updated_at: isoDateTime })
      .nullable()
      .describe('unpublished edits (PUT /api/personas/:id/draft); visitors see them once published'),
  })
  .meta({ id: 'Persona' });
export type Persona = z.infer<typeof Persona>;

export const PersonaVersion = z
  .object({ version: z.number().int(), name: z.string(), description: z.string(), tone: z.string(), systemPrompt: z.string(), created_at: isoDateTime })
  .meta({ id: 'PersonaVersion' });

export const PersonaExport = z
  .object({ format: z.literal('bob.personas.v1'), personas: z.array(PersonaInput).min(1).max(100) })
  .meta({ id: 'PersonaExport' });
