import { useId, useMemo, useState, type KeyboardEvent, type TextareaHTMLAttributes } from 'react';
import { useCanned, type CannedResponse } from '../api/agent-tools';
import { useI18n } from '../i18n';

/** "/sho" at the end of what was typed (at the start, or after a space): the quick reply being looked for. */
const SLASH = /(^|\s)\/([a-z0-9-]*)$/;
const MAX_SHOWN = 8;

/**
 * Live's reply box with quick replies (#23): typing `/` opens a list of the business's quick
 * replies matching what follows (arrows move, Enter or a click inserts, Escape closes). The box
 * stays a multi-line textbox (role combobox is for one-line inputs) that owns a listbox popup:
 * aria-autocomplete="list", aria-controls and aria-activedescendant, as a combobox would. The text goes in, in the conversation's language, and can be edited before sending.
 * Every other prop is the textarea's; its own Enter-to-send keeps working while the list is shut.
 */
export function CannedTextarea({
  value,
  onValue,
  language,
  onKeyDown,
  ...props
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> & { value: string; onValue: (v: string) => void; language: 'en' | 'it' }) {
  const { t } = useI18n();
  const id = useId();
  const canned = useCanned();
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const query = SLASH.exec(value)?.[2];
  const matches = useMemo(() => {
    if (query === undefined) return [];
    const q = query.toLowerCase();
    const all = canned.data ?? [];
    return [...all.filter((c) => c.shortcut.startsWith(q)), ...all.filter((c) => !c.shortcut.startsWith(q) && (c.shortcut.includes(q) || c.title.toLowerCase().includes(q)))].slice(0, MAX_SHOWN);
  }, [query, canned.data]);
  const open = query !== undefined && dismissed !== value && matches.length > 0;
  const current = Math.min(active, matches.length - 1);

  const pick = (c: CannedResponse) => {
    const body = language === 'it' ? c.body_it : c.body_en;
    onValue(value.replace(SLASH, (_, space: string) => `${space}${body}`));
    setActive(0);
  };
  const keyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((current + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(matches[current]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissed(value);
        return;
      }
    }
    onKeyDown?.(e);
  };
  const optionId = (i: number) => `${id}-opt-${i}`;

  return (
    <div className="canned-box">
      <textarea
        {...props}
        value={value}
        aria-autocomplete="list"
        aria-controls={`${id}-list`}
        aria-activedescendant={open ? optionId(current) : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          onValue(e.target.value);
          setActive(0);
        }}
        onKeyDown={keyDown}
      />
      <span id={`${id}-hint`} className="sr-only">{t.agentTools.cannedHint}</span>
      <ul id={`${id}-list`} role="listbox" aria-label={t.agentTools.quickReplies} className="canned-list" hidden={!open}>
        {open &&
          matches.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              className={i === current ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
            >
              <strong>/{c.shortcut}</strong> <span>{c.title}</span>
              <span className="muted small ellipsis">{language === 'it' ? c.body_it : c.body_en}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
