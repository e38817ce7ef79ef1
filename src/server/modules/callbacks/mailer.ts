// Email through the business's own SMTP server (Settings → Email), with nodemailer. Nothing here
// logs: the password stays in the transport's options, and errors are reported without it.
import dns from 'node:dns';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import { isPrivateAddress, UnsafeTargetError } from '../webhooks/address-guard';
import type { EmailSettingsRow } from './callbacks.repo';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  replyTo?: string;
}

/** The SMTP error as a person can act on it (never the credentials). */
export function smtpError(err: unknown, password: string): string {
  const e = err as { message?: string; code?: string; responseCode?: number };
  let text = e.message ?? String(err);
  if (password) text = text.split(password).join('***');
  return e.code && !text.includes(e.code) ? `${e.code}: ${text}` : text;
}

/**
 * The address Bob connects to for an SMTP host, with the webhooks' guard: a loopback, private or
 * link-local address (or a name resolving to one) is refused unless BOB_ALLOW_PRIVATE_SMTP=1.
 * Checked when the settings are saved and again before every connection (the resolved address is
 * the one dialled, so a name that later resolves inside is refused too).
 */
export async function smtpAddress(host: string, allowPrivate: boolean, lookup = dns.promises.lookup): Promise<string> {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(h)) {
    if (!allowPrivate && isPrivateAddress(h)) throw new UnsafeTargetError(`${h} is a private, loopback or link-local address`);
    return h;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(h, { all: true, verbatim: true });
  } catch {
    throw new UnsafeTargetError(`the host name ${h} does not resolve`);
  }
  const inside = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
  if (inside) throw new UnsafeTargetError(`${h} resolves to ${inside.address}, a private, loopback or link-local address`);
  if (!addresses[0]) throw new UnsafeTargetError(`the host name ${h} does not resolve`);
  return addresses[0].address;
}

/** Sends one message through `s` (its host checked by smtpAddress); throws nodemailer's or the guard's error. */
export async function sendMail(s: EmailSettingsRow, mail: Mail, allowPrivate: boolean): Promise<void> {
  const address = await smtpAddress(s.host, allowPrivate);
  const name = s.host.replace(/^\[(.*)\]$/, '$1');
  const transport = nodemailer.createTransport({
    host: address,
    // TLS still checks the certificate against the name the business gave.
    ...(isIP(name) ? {} : { tls: { servername: name } }),
    port: s.port,
    secure: s.secure === 1,
    ...(s.username ? { auth: { user: s.username, pass: s.password } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    logger: false,
    debug: false,
  });
  try {
    await transport.sendMail({ from: s.from_address, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) });
  } finally {
    transport.close();
  }
}
