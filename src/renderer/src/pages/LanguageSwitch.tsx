import { useI18n, type Lang } from '../i18n';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang">
      <span className="sr-only">{t.language}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t.language}>
        {/* Each language in its own name, marked as such for screen readers. */}
        <option value="en" lang="en">English</option>
        <option value="it" lang="it">Italiano</option>
      </select>
    </label>
  );
}
