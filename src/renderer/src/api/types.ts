// Types only: the renderer bundle never carries zod.
import type { z } from 'zod';
import type { ChatMessage, ChatReply, ChatSession, SessionListItem, SessionTranscript } from '../../../shared/schemas/chat';
import type { Persona, PersonaVersion } from '../../../shared/schemas/personas';
import type { Plan, Pricebook } from '../../../shared/schemas/pricebook';
import type { Tenant } from '../../../shared/schemas/tenants';
import type { WidgetKey, WidgetSetup } from '../../../shared/schemas/widget-keys';
import type { TeamList, TeamMember, TeamMemberCreated } from '../../../shared/schemas/team';
import type { AuditEntry } from '../../../shared/schemas/audit';
import type { Usage } from '../../../shared/schemas/usage';
import type { ModelConfig, ModelTestResult as ModelTestResultSchema } from '../../../shared/schemas/model';
import type { WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookEndpointWithSecret, WebhookList } from '../../../shared/schemas/webhooks';

export type { WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookEndpointWithSecret, WebhookList };
export type { ChatMessage, ChatReply, ChatSession, SessionListItem, Persona, Plan, Pricebook, Tenant, WidgetKey, TeamMember };
export type Team = z.infer<typeof TeamList>;
export type NewMember = z.infer<typeof TeamMemberCreated>;
export type Audit = z.infer<typeof AuditEntry>;
export type UsageReport = z.infer<typeof Usage>;
export type Transcript = z.infer<typeof SessionTranscript>;
export type PersonaVersionT = z.infer<typeof PersonaVersion>;
export type Setup = z.infer<typeof WidgetSetup>;
export type { ModelConfig };
export type ModelTestResult = z.infer<typeof ModelTestResultSchema>;
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
