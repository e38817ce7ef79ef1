import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WebhookEventType } from '../../../shared/webhook-events';
import { api } from './client';
import { keys } from './keys';
import type { Page, WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookEndpointWithSecret, WebhookList } from './types';

// Waiting and failed counts change as the dispatcher works: the page keeps them fresh.
const LIVE_MS = 4000;

export const useWebhooks = () => useQuery({ queryKey: keys.webhooks.list(), queryFn: () => api<WebhookList>('/api/webhooks'), refetchInterval: LIVE_MS });
export const useDeliveries = (id: string) =>
  useQuery({ queryKey: keys.webhooks.deliveries(id), queryFn: () => api<Page<WebhookDelivery>>(`/api/webhooks/${id}/deliveries?limit=50`), refetchInterval: LIVE_MS });
export const useDelivery = (id: string, deliveryId: number) =>
  useQuery({ queryKey: keys.webhooks.delivery(id, deliveryId), queryFn: () => api<WebhookDeliveryDetail>(`/api/webhooks/${id}/deliveries/${deliveryId}`) });

export type WebhookAction =
  | { kind: 'create'; url: string; description: string; events: WebhookEventType[] }
  | { kind: 'update'; id: string; url?: string; description?: string; events?: WebhookEventType[]; enabled?: boolean }
  | { kind: 'delete' | 'rotate' | 'test'; id: string }
  | { kind: 'redeliver'; id: string; deliveryId: number };

type Result = WebhookEndpoint | WebhookEndpointWithSecret | WebhookDeliveryDetail | undefined;

export function useWebhookAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: WebhookAction): Promise<Result> => {
      switch (a.kind) {
        case 'create':
          return api<WebhookEndpointWithSecret>('/api/webhooks', { method: 'POST', body: { url: a.url, description: a.description, events: a.events } });
        case 'update': {
          const { kind: _k, id, ...patch } = a;
          return api<WebhookEndpoint>(`/api/webhooks/${id}`, { method: 'PATCH', body: patch });
        }
        case 'delete':
          return api<undefined>(`/api/webhooks/${a.id}`, { method: 'DELETE' });
        case 'rotate':
          return api<WebhookEndpointWithSecret>(`/api/webhooks/${a.id}/rotate-secret`, { method: 'POST' });
        case 'test':
          return api<WebhookDeliveryDetail>(`/api/webhooks/${a.id}/test`, { method: 'POST' });
        case 'redeliver':
          return api<WebhookDeliveryDetail>(`/api/webhooks/${a.id}/deliveries/${a.deliveryId}/redeliver`, { method: 'POST' });
      }
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.webhooks.all }),
  });
}
