import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoKey } from '../helpers/chat';
import { startMissionControl } from '../helpers/mission-control';
import { setOnboarded, signInAs } from '../helpers/mission-control-pages';
import { DEMO_OWNER } from '../helpers/server';

// Settings → Business: the widget's "Bob or a person?" question and its sound (issue #23), set by the owner.
let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  await setOnboarded(mc.bob, true);
});
afterAll(() => mc?.close());

it('the owner turns on the "Bob or a person?" question and the sound, and the widget is told', async () => {
  const { context, page } = await signInAs(mc.browser, mc.bob, DEMO_OWNER, { path: 'settings', lang: 'it' });
  try {
    const form = page.getByRole('form', { name: 'Impostazioni' });
    await form.getByLabel('Prima del primo messaggio, chiedi ai visitatori se vogliono Bob o una persona').check();
    await form.getByLabel(/Suona un breve avviso nel widget/).check();
    await form.getByRole('button', { name: 'Salva' }).click();
    await form.getByRole('status').waitFor();
    const res = await mc.bob.fetch('/api/widget/config', { headers: { 'X-Widget-Key': await demoKey(mc.bob), Origin: 'http://localhost:5173' } });
    expect(await res.json()).toMatchObject({ ask_bob_or_person: true, sound: true });
  } finally {
    await context.close();
  }
});
