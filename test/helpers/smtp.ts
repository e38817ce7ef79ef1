// A local SMTP server for tests (issue #23): 127.0.0.1, port 0, no TLS; keeps what it receives.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail { from: string; to: string[]; data: string }
export interface LocalSmtp { port: number; mails: ReceivedMail[]; close: () => Promise<void> }

/** `password`: the one AUTH accepts (any user); without AUTH the mail is taken too. */
export function startSmtp(password?: string): Promise<LocalSmtp> {
  const mails: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth: (auth, _session, cb) => (password !== undefined && auth.password === password ? cb(null, { user: auth.username }) : cb(new Error('Invalid credentials'))),
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  return new Promise((resolve) => {
    smtp.listen(0, '127.0.0.1', () => resolve({ port: (smtp.server.address() as AddressInfo).port, mails, close: () => new Promise((r) => smtp.close(() => r())) }));
  });
}
