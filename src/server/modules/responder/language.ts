export type Language = 'en' | 'it';

/** Lowercase without accents, so "perché", "Perche" and "PERCHÉ" compare equal. */
export const normalize = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Normalised words; punctuation and apostrophes split ("l'assistenza" → "l", "assistenza"). */
export const words = (s: string) => normalize(s).match(/[\p{L}\p{N}]+/gu) ?? [];

// Words that lean one way. Words both languages use ("a", "in", "come", "no", "me") are left out.
const IT_MARKERS = new Set(
  `ciao salve buongiorno buonasera arrivederci grazie prego quanto quanta quanti quante costa costano costo prezzo prezzi
  piano piani crediti credito posti utenti vorrei voglio volevo parlare operatore operatrice persona umano il lo la gli le
  che per sono sei siete con del dello della dei degli delle nel nella al alla ai non qual quale quali cosa avete hai ho
  abbiamo orari orario aperti chiusi integrazioni integrazione assistenza supporto differenza confronta mese mensile un uno
  una di da ha hanno mi ti ci puoi potete posso anche ma se chi dove quando perche essere funziona tutti include inclusi
  vostro vostra vostri mio mia e chiami qualcuno`.split(/\s+/),
);
const EN_MARKERS = new Set(
  `hi hello hey thanks thank please the how much many is are was what which who when where why plan plans price prices
  pricing cost costs credit credits seat seats i want would like need talk speak to an of with do does did you your can
  could have has hours open support integrations integration difference compare month monthly and for my there this that
  get include includes included users good morning someone human operator agent person bye yes`.split(/\s+/),
);

/** Italian or English by counting marker words; a tie (or no marker at all) keeps the fallback. */
export function detectLanguage(text: string, fallback: Language = 'en'): Language {
  let it = 0;
  let en = 0;
  for (const w of words(text)) {
    if (IT_MARKERS.has(w)) it++;
    if (EN_MARKERS.has(w)) en++;
  }
  return it > en ? 'it' : en > it ? 'en' : fallback;
}
