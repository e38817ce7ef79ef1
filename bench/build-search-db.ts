// Builds the search benchmark's data dir: Bob's schema and demo data, then 1,000,000 messages in
// 50,000 conversations of Business Co (English and Italian, visitor, bot and the odd agent reply
// or internal note), spread over a year, inserted in time order as Bob appends them. The words
// follow a Zipf-like distribution, so a few ("price", "hours", "tax") are in most conversations
// and a long tail is rare. Deterministic: the same text every time (the ids are random).
//
//   npx tsx bench/build-search-db.ts <dir>      (bench/search.ts calls buildSearchDb itself)
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { closeDatabase, openDatabase } from '../src/server/db/client';
import { migrate } from '../src/server/db/migrate';
import { seedDemoData } from '../src/server/modules/demo/demo.seed';
import { createPersonasRepo } from '../src/server/modules/personas/personas.repo';
import { createTeamRepo } from '../src/server/modules/team/team.repo';
import { createTenantsRepo } from '../src/server/modules/tenants/tenants.repo';
import { bulkLoadChat } from '../src/server/storage/bulk-load';
import { sqliteStorage } from '../src/server/storage/sqlite';
import { sqliteDialect } from '../src/server/storage/dialect';

/** Changes whenever the data built here changes: the cache key of bench/search.ts. */
export const SEARCH_DB_VERSION = 'search-db-v1';

export const SESSIONS = 50_000;
export const MESSAGES = 1_000_000;

// Ranked by frequency: the first words are the most common. The long tail follows.
const EN = (
  'price hours tax order delivery open shipping help account payment return product time today ' +
  'week store service card invoice refund available cost booking table support size colour discount ' +
  'thanks please need question email phone address change cancel status weekend monday friday saturday ' +
  'sunday morning evening closed holiday parking menu vegan gluten allergy wine pizza dessert lunch dinner ' +
  'reservation people group birthday gift voucher coupon code subscription plan upgrade downgrade trial ' +
  'login password reset receipt warranty repair broken missing damaged late tracking courier pickup ' +
  'collection stock colours medium large small cotton leather wool linen shoes jacket shirt dress trousers ' +
  'bag wallet belt scarf hat gloves socks boots sandals sneakers glasses watch ring necklace bracelet ' +
  'earrings perfume cream shampoo soap towel blanket pillow sheet lamp chair sofa desk shelf mirror rug ' +
  'curtain kettle toaster blender fridge oven microwave dishwasher washer dryer vacuum heater fan ' +
  'battery charger cable adapter headphones speaker keyboard mouse monitor laptop tablet printer router ' +
  'camera lens tripod bicycle helmet tent backpack bottle thermos umbrella passport visa ticket flight ' +
  'train bus taxi hotel apartment deposit contract lease mortgage loan insurance claim quote estimate ' +
  'appointment consultation checkup dentist doctor pharmacy prescription vaccine therapy massage ' +
  'haircut manicure pedicure facial yoga pilates gym membership locker shower sauna pool lesson course ' +
  'certificate diploma exam tuition scholarship internship interview salary payroll pension vat ' +
  'customs duty import export wholesale retail supplier catalogue brochure newsletter unsubscribe ' +
  'privacy cookies gdpr complaint feedback review rating recommend urgent asap tomorrow yesterday'
).split(' ');
const IT = (
  'prezzo orari tasse ordine consegna aperto spedizione aiuto conto pagamento reso prodotto oggi ' +
  'settimana negozio servizio carta fattura rimborso disponibile costo prenotazione tavolo assistenza ' +
  'taglia colore sconto grazie perché città più qualità disponibilità caffè lunedì martedì mercoledì ' +
  'giovedì venerdì sabato domenica mattina sera chiuso festivo parcheggio menù vegano glutine allergia ' +
  'vino pizza dolce pranzo cena persone gruppo compleanno regalo buono codice abbonamento piano prova ' +
  'accesso password ricevuta garanzia riparazione rotto mancante danneggiato ritardo tracciamento ' +
  'corriere ritiro magazzino scarpe giacca camicia vestito pantaloni borsa portafoglio cintura sciarpa ' +
  'cappello guanti calzini stivali occhiali orologio anello collana profumo crema sapone asciugamano ' +
  'coperta cuscino lampada sedia divano scrivania specchio tappeto bollitore forno lavatrice ' +
  'asciugatrice aspirapolvere stufa batteria caricatore cavo cuffie tastiera stampante fotocamera ' +
  'bicicletta casco zaino bottiglia ombrello biglietto volo treno autobus albergo appartamento ' +
  'caparra contratto affitto mutuo prestito assicurazione preventivo appuntamento visita dentista ' +
  'medico farmacia ricetta terapia massaggio taglio palestra iscrizione lezione corso certificato ' +
  'esame stipendio pensione iva dogana ingrosso dettaglio fornitore catalogo reclamo recensione urgente domani ieri'
).split(' ');

// Not indexed for ranking: the little words between the content words, as real sentences have.
const EN_GLUE = 'the a is do you have what how when can i my for on in to and of it this with'.split(' ');
const IT_GLUE = 'il la è avete che come quando posso io mio per su in a e di questo con un una'.split(' ');

/** mulberry32: a small seeded PRNG, so every build writes the same text. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The rare tail: made-up product names and codes, a few thousand of them. */
function tail(rand: () => number, n: number): string[] {
  const syll = ['ka', 'lo', 'mi', 'ze', 'ru', 'ta', 'vo', 'ni', 'pe', 'sa', 'do', 'fe', 'gu', 'bri', 'tro', 'ski', 'nel', 'mar'];
  const out = new Set<string>();
  while (out.size < n) {
    const k = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < k; i++) w += syll[Math.floor(rand() * syll.length)];
    out.add(w);
  }
  return [...out];
}

/** A sampler of a Zipf-like distribution (weight 1/rank^s) over `words`. */
function zipf(words: string[], s: number, rand: () => number): () => string {
  const cdf = new Float64Array(words.length);
  let sum = 0;
  for (let i = 0; i < words.length; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = words.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
}

/** The words the texts are made of, most common first; `rare`: the long tail. */
export function vocabulary(rand = rng(19)) {
  return { en: EN, it: IT, rare: tail(rand, 6000) };
}

export interface SearchDbInfo {
  tenantId: string;
  sessions: number;
  messages: number;
  ms: number;
}

/** Writes the data dir `dir` (which must not hold a database yet). */
export async function buildSearchDb(dir: string): Promise<SearchDbInfo> {
  const t0 = performance.now();
  const db = openDatabase(dir);
  migrate(db);
  await seedDemoData(sqliteStorage(db), sqliteDialect, new Date('2026-01-01T00:00:00Z'));
  const storage = sqliteStorage(db);
  const tenantId = (await createTenantsRepo(storage).bySlug('business-co'))!.id;
  const personaId = (await createPersonasRepo(storage).defaultFor(tenantId))!.id;
  const ownerId = (await createTeamRepo(storage).list(tenantId))[0]!.id;

  const rand = rng(19);
  const { rare } = vocabulary(rand);
  // Business Co's visitors write 70 % English; both languages share the made-up product names.
  const en = zipf([...EN, ...rare], 1.0, rand);
  const it = zipf([...IT, ...rare], 1.0, rand);
  const enGlue = zipf(EN_GLUE, 0.8, rand);
  const itGlue = zipf(IT_GLUE, 0.8, rand);
  const sentence = (lang: 'en' | 'it', words: number, question: boolean) => {
    const content = lang === 'en' ? en : it;
    const glue = lang === 'en' ? enGlue : itGlue;
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(rand() < 0.35 ? glue() : content());
    const s = out.join(' ');
    return s[0]!.toUpperCase() + s.slice(1) + (question ? '?' : '.');
  };

  // Conversations start uniformly over a year; their messages follow each other by 5–90 s.
  const yearStart = Date.parse('2025-01-01T00:00:00Z');
  const year = 365 * 24 * 3600 * 1000;
  const starts = Array.from({ length: SESSIONS }, () => yearStart + Math.floor(rand() * year)).sort((a, b) => a - b);
  const counts = new Int32Array(SESSIONS);
  let total = 0;
  for (let i = 0; i < SESSIONS; i++) total += counts[i] = 2 + Math.floor(rand() * 37); // 2..38, mean 20
  // Scale to exactly MESSAGES.
  let diff = MESSAGES - total;
  for (let i = 0; diff !== 0; i = (i + 1) % SESSIONS) {
    if (diff > 0) (counts[i]!++, diff--);
    else if (counts[i]! > 2) (counts[i]!--, diff++);
  }
  // Every message's time, then all of them in time order (Bob appends in time order).
  const at = new Float64Array(MESSAGES);
  const sess = new Int32Array(MESSAGES);
  const nth = new Int16Array(MESSAGES);
  for (let i = 0, k = 0; i < SESSIONS; i++) {
    let t = starts[i]!;
    for (let j = 0; j < counts[i]!; j++, k++) {
      at[k] = t;
      sess[k] = i;
      nth[k] = j;
      t += 5000 + Math.floor(rand() * 85_000);
    }
  }
  const order = new Uint32Array(MESSAGES).map((_, i) => i).sort((a, b) => at[a]! - at[b]! || a - b);

  const ids = Array.from({ length: SESSIONS }, () => randomUUID());
  const lang = Array.from({ length: SESSIONS }, () => (rand() < 0.7 ? 'en' : 'it') as 'en' | 'it');
  const statuses = ['closed', 'bot', 'waiting_for_agent', 'agent'] as const;
  const status = Array.from({ length: SESSIONS }, () => {
    const x = rand();
    return statuses[x < 0.8 ? 0 : x < 0.95 ? 1 : x < 0.98 ? 2 : 3];
  });
  const last = new Array<string>(SESSIONS).fill('');
  const lastAt = new Array<string>(SESSIONS).fill('');
  const count = new Int32Array(SESSIONS);

  // One big transaction, the indexes built once at the end (bulkLoadChat).
  bulkLoadChat(db, (add) => {
    for (const k of order) {
      const s = sess[k]!;
      const j = nth[k]!;
      const iso = new Date(at[k]!).toISOString();
      const x = rand();
      // Visitor and bot take turns; now and then a person answers or leaves an internal note.
      const author = j % 2 === 0 ? 'visitor' : x < 0.04 ? 'agent' : x < 0.06 ? 'note' : 'bot';
      const body = author === 'visitor' ? sentence(lang[s]!, 4 + Math.floor(rand() * 11), rand() < 0.6) : sentence(lang[s]!, 8 + Math.floor(rand() * 17), false);
      const staff = author === 'agent' || author === 'note';
      add.message({
        id: randomUUID(),
        tenant_id: tenantId,
        session_id: ids[s]!,
        author,
        author_id: staff ? ownerId : null,
        author_name: staff ? 'Business Owner' : author === 'bot' ? 'Bob' : null,
        body,
        created_at: iso,
        responder: author === 'bot' ? 'builtin' : null,
        basis: null,
      });
      if (author !== 'note') {
        last[s] = body.slice(0, 200);
        lastAt[s] = iso;
        count[s]!++;
      }
    }
    for (let s = 0; s < SESSIONS; s++) {
      const created = new Date(starts[s]!).toISOString();
      const st = status[s]!;
      add.session({
        id: ids[s]!,
        tenant_id: tenantId,
        external_id: `visitor_${s}`,
        channel: s % 3 ? 'widget' : 'web',
        status: st,
        persona_id: personaId,
        visitor_name: null,
        language: lang[s]!,
        origin: s % 3 ? 'https://business.example' : null,
        key_mode: 'live',
        created_by: null,
        assigned_user_id: st === 'agent' ? ownerId : null,
        waiting_since: st === 'waiting_for_agent' ? lastAt[s]! : null,
        last_message_at: lastAt[s]! || created,
        last_message: last[s]!,
        message_count: count[s]!,
        created_at: created,
        updated_at: lastAt[s]! || created,
      });
    }
  });
  closeDatabase(db);
  return { tenantId, sessions: SESSIONS, messages: MESSAGES, ms: performance.now() - t0 };
}

if (process.argv[1] && import.meta.filename === fs.realpathSync(process.argv[1])) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx bench/build-search-db.ts <data dir>');
  const info = await buildSearchDb(dir);
  console.log(`${info.messages} messages in ${info.sessions} conversations in ${(info.ms / 1000).toFixed(1)} s → ${dir}`);
}
