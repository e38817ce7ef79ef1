import { useI18n } from '../i18n';
import { THEMES, useUserTheme } from '../theme';

/** Light, dark or as the system: a native select, so the keyboard works as everywhere else. */
export function ThemeSwitch({ userId }: { userId: string }) {
  const { t } = useI18n();
  const [choice, setChoice] = useUserTheme(userId);
  return (
    <label className="theme">
      <select value={choice} onChange={(e) => setChoice(e.target.value as typeof choice)} aria-label={t.theme.label}>
        {THEMES.map((c) => <option key={c} value={c}>{t.theme[c]}</option>)}
      </select>
    </label>
  );
}
