// Files in the widget (issue #23), loaded on demand the first time the visitor attaches, drags a
// file over the panel or pastes an image: the file picker, drag-and-drop, uploads with progress
// (XMLHttpRequest + FormData to POST /api/widget/attachments) and what went wrong, in the
// visitor's language. The core shows the files of messages (a thumbnail or a link).
import { definePart } from '../part-loader';
import type { Lang } from '../i18n';

/** The largest file Bob takes (the server says 413 `too_large` past it). */
const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf';

const STRINGS = {
  en: {
    choose: 'Choose a file to send',
    sending: (name: string) => `Sending ${name}`,
    drop: 'Drop the file here to send it',
    too_large: 'This file is too large: files can be at most 10 MB.',
    unsupported_type: 'This kind of file cannot be sent: send an image (PNG, JPEG, GIF, WebP) or a PDF.',
    storage_full: 'Files cannot be received right now. Write your message instead.',
    conversation_required: 'Write a message first, then send files.',
    rate_limited: 'Too many files at once. Wait a moment, then try again.',
    failed: (name: string) => `${name} could not be sent. Try again.`,
  },
  it: {
    choose: 'Scegli un file da inviare',
    sending: (name: string) => `Invio di ${name}`,
    drop: 'Rilascia qui il file per inviarlo',
    too_large: 'Il file è troppo grande: al massimo 10 MB.',
    unsupported_type: 'Questo tipo di file non si può inviare: invia un\'immagine (PNG, JPEG, GIF, WebP) o un PDF.',
    storage_full: 'Al momento non si possono ricevere file. Scrivi invece un messaggio.',
    conversation_required: 'Scrivi prima un messaggio, poi invia i file.',
    rate_limited: 'Troppi file in poco tempo. Attendi un momento e riprova.',
    failed: (name: string) => `Impossibile inviare ${name}. Riprova.`,
  },
};
type Strings = (typeof STRINGS)['en'];
type Problem = 'too_large' | 'unsupported_type' | 'storage_full' | 'conversation_required' | 'rate_limited';

const CSS = `
.msg progress{display:block;width:100%;margin-top:6px;height:6px;accent-color:var(--i)}
.panel.drop::after{content:attr(data-drop);position:absolute;inset:8px;display:grid;place-items:center;border:3px dashed var(--c);border-radius:12px;background:var(--bg);opacity:.94;color:var(--tx);font-weight:600;pointer-events:none}
`;

type Make = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, text?: string) => HTMLElementTagNameMap[K];
export interface FileRef {
  id: string;
  name: string;
  type: string;
  size: number;
  url: string;
}

export interface AttachContext {
  lang: Lang;
  h: Make;
  root: ShadowRoot;
  panel: HTMLElement;
  /** Bob's base URL and the widget key. */
  api: string;
  key: string;
  /** The conversation's `session_id` now. */
  session: () => string;
  /** The core's message bubble (a file message renders its files). */
  add(m: { author: 'visitor' | 'system'; id?: string; body: string; attachments?: FileRef[] }): HTMLElement;
}

export interface AttachmentsPart {
  /** Wires the part once; then uploads `files`, or opens the file picker when there are none given. */
  use(c: AttachContext, files?: File[]): void;
}

let ctx: AttachContext;
let s: Strings;
let picker: HTMLInputElement | undefined;
// One upload at a time, in the order given.
let queue: Promise<void> = Promise.resolve();

/** Posts one file with progress; the stored message, or what went wrong. */
function post(file: File, progress: HTMLProgressElement): Promise<{ message: { id: string; body: string; attachments?: FileRef[] } } | { problem?: Problem }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${ctx.api}/api/widget/attachments?session_id=${encodeURIComponent(ctx.session())}`);
    xhr.setRequestHeader('X-Widget-Key', ctx.key);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress.value = e.loaded / e.total;
    };
    xhr.onload = () => {
      const body = xhr.response as { message?: never; error?: { code?: string } } | null;
      if (xhr.status === 201 && body?.message) return resolve({ message: body.message });
      const code = xhr.status === 429 ? 'rate_limited' : body?.error?.code;
      resolve({ problem: code && code in s ? (code as Problem) : undefined });
    };
    xhr.onerror = xhr.onabort = () => resolve({});
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

async function upload(file: File) {
  const name = file.name || 'file';
  const say = (text: string) => ctx.add({ author: 'system', body: text }).setAttribute('role', 'alert');
  // Known too large here: not sent at all.
  if (file.size > MAX_BYTES) return say(s.too_large);
  const bubble = ctx.add({ author: 'visitor', body: name });
  bubble.setAttribute('aria-busy', 'true');
  const progress = ctx.h('progress', { max: '1', value: '0', 'aria-label': s.sending(name) });
  bubble.append(progress);
  const r = await post(file, progress);
  // The pending bubble goes with its time row (the stored message brings its own).
  if (bubble.nextElementSibling?.classList.contains('at')) bubble.nextElementSibling.remove();
  bubble.remove();
  if ('message' in r) ctx.add({ ...r.message, author: 'visitor' });
  else say(r.problem ? s[r.problem] : s.failed(name));
}

function wire(c: AttachContext) {
  s = STRINGS[c.lang];
  const style = c.h('style');
  style.textContent = CSS;
  c.root.append(style);
  picker = c.h('input', { type: 'file', accept: ACCEPT, multiple: '', hidden: '', 'aria-label': s.choose, 'data-bob-file': '' });
  picker.onchange = () => {
    send([...(picker!.files ?? [])]);
    picker!.value = '';
  };
  c.panel.append(picker);
  // The panel says where to drop while a file is dragged over it.
  const panel = c.panel;
  panel.dataset.drop = s.drop;
  const over = (on: boolean) => panel.classList.toggle('drop', on);
  panel.addEventListener('dragover', (e) => e.dataTransfer?.types.includes('Files') && over(true));
  panel.addEventListener('dragleave', (e) => !panel.contains(e.relatedTarget as Node | null) && over(false));
  panel.addEventListener('drop', () => over(false));
}

function send(files: File[]) {
  for (const f of files) queue = queue.then(() => upload(f));
}

const part: AttachmentsPart = {
  use(c, files) {
    ctx = c;
    if (!picker) wire(c);
    if (files) send(files);
    else picker!.click();
  },
};
definePart('attachments', part);
