import type { ReplyBasis } from '../../../shared/schemas/chat';
import { useMe } from '../api/auth';
import { usePublishedCatalog } from '../api/catalog';
import { useFaq } from '../api/knowledge';
import { useI18n } from '../i18n';

const short = (s: string, n = 48) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * What one of Bob's replies was based on, named for a person: items from the published catalog
 * (the id when an item is gone), FAQ entries by their question (for those who may read the FAQ).
 */
export function Receipt({ basis, businessId }: { basis: ReplyBasis; businessId: string }) {
  const { t } = useI18n();
  const me = useMe();
  const catalog = usePublishedCatalog(basis.items.length ? businessId : undefined);
  const faq = useFaq(basis.faq_ids.length > 0 && !!me.data?.user.permissions.includes('personas.manage'));
  const itemName = (id: string) => catalog.data?.items.find((i) => i.id === id)?.name ?? id;
  const faqName = (id: string) => {
    const entry = faq.data?.data.find((f) => f.id === id);
    return t.receipt.faq(entry ? short(entry.question) : id.slice(0, 8));
  };
  const parts = [
    ...(basis.catalog_version !== null ? [t.receipt.catalog(basis.catalog_version)] : []),
    ...basis.items.map(itemName),
    ...(basis.pricebook_version !== null ? [t.receipt.pricebook(basis.pricebook_version)] : []),
    ...basis.faq_ids.map(faqName),
    ...basis.profile.map((f) => t.receipt.profile[f]),
    t.receipt.responder[basis.responder],
  ];
  return <span className="receipt">{t.receipt.basedOn(parts.join(' · '))}</span>;
}
