// window.Bob: the business's site drives the widget (issue #23). Calls made before this script
// loaded wait in `window.BobReady` (an array of functions, or one function), each called with Bob:
//   (window.BobReady = window.BobReady || []).push(function (Bob) { Bob.open(); });
export type BobEvent = 'open' | 'close' | 'message' | 'handoff';
type Fn = (data?: unknown) => void;

export interface SiteHooks {
  open(on: boolean): void;
  isOpen(): boolean;
  /** As if the visitor typed it. */
  send(text: string): void;
  post(path: string, body: object): Promise<Response>;
  session(): string;
  /** Continue another conversation (a verified visitor's, from another device). */
  switchTo(id: string): Promise<void>;
}

/** Installs window.Bob; returns `emit`, for the widget to tell the site what happened. */
export function installSiteApi(hooks: SiteHooks): (event: BobEvent, data?: unknown) => void {
  const subs: Partial<Record<BobEvent, Set<Fn>>> = {};
  const safely = (fn: Fn, data?: unknown) => {
    try {
      fn(data);
    } catch (err) {
      console.error(err);
    }
  };
  // The server's answer, or a rejection with its error code (e.g. invalid_identity).
  const call = async (path: string, body: object) => {
    const res = await hooks.post(path, { session_id: hooks.session(), ...body });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw Object.assign(new Error(json.error?.message ?? `HTTP ${res.status}`), { code: json.error?.code });
    return json;
  };
  const Bob = {
    open: () => hooks.open(true),
    close: () => hooks.open(false),
    toggle: () => hooks.open(!hooks.isOpen()),
    send: (text: string) => hooks.send(String(text)),
    setVisitor: (v: { name?: string; email?: string; attributes?: Record<string, unknown> }) => call('/api/widget/visitor', v),
    identify: async (token: string) => {
      const r = await call('/api/widget/identify', { token });
      if (r.session_id !== hooks.session()) await hooks.switchTo(r.session_id);
      return r;
    },
    on: (event: BobEvent, fn: Fn) => {
      (subs[event] ??= new Set()).add(fn);
      return () => void subs[event]!.delete(fn);
    },
  };
  const w = window as unknown as { Bob: typeof Bob; BobReady?: Fn | Fn[] | { push(fn: Fn): void } };
  const waiting = w.BobReady;
  w.Bob = Bob;
  w.BobReady = { push: (fn: Fn) => safely(fn, Bob) };
  for (const fn of Array.isArray(waiting) ? waiting : [waiting]) if (typeof fn === 'function') safely(fn, Bob);
  return (event, data) => subs[event]?.forEach((fn) => safely(fn, data));
}
