import { useQuery } from '@tanstack/react-query';
import type { OutcomeDay, OutcomesReport, UnansweredGroup, UnansweredReport } from '../../../shared/schemas/insights';
import { apiBlob, api } from './client';
import { keys } from './keys';

export type { OutcomeDay, OutcomesReport, UnansweredGroup, UnansweredReport };

/** Visitor questions Bob could not answer, grouped by similar wording (audit.view). */
export const useUnanswered = (from: string, to: string) =>
  useQuery({ queryKey: keys.insights.unanswered(from, to), queryFn: () => api<UnansweredReport>(`/api/insights/unanswered?from=${from}&to=${to}`) });

/** How conversations ended, per day (audit.view). */
export const useOutcomes = (from: string, to: string) =>
  useQuery({ queryKey: keys.insights.outcomes(from, to), queryFn: () => api<OutcomesReport>(`/api/insights/outcomes?from=${from}&to=${to}`) });

/** The same report as CSV (the same URL with Accept: text/csv), saved as a file. */
export async function downloadOutcomesCsv(from: string, to: string): Promise<void> {
  const blob = await apiBlob(`/api/insights/outcomes?from=${from}&to=${to}`, 'text/csv');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `outcomes-${from}-${to}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
