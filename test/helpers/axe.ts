import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * axe-core with its default rules on the page as it is now (open shadow roots included, so the
 * widget is checked too). Returns every violation of any impact, for the caller to assert none.
 * The page must come from `browser.newContext()` (AxeBuilder refuses `browser.newPage()` pages).
 */
export async function axeViolations(page: Page, opts: { include?: string } = {}): Promise<AxeFinding[]> {
  let builder = new AxeBuilder({ page });
  if (opts.include) builder = builder.include(opts.include);
  const { violations } = await builder.analyze();
  return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}
