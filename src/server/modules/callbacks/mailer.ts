// Email through the business's own SMTP server (Settings → Email), with nodemailer. Nothing here
// logs: the password stays in the transport's options, and errors are reported without it.
import nodemailer from 'nodemailer';
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

/** Sends one message through `s`; throws nodemailer's error. */
export async function sendMail(s: EmailSettingsRow, mail: Mail): Promise<void> {
  const transport = nodemailer.createTransport({
    host: s.host,
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
