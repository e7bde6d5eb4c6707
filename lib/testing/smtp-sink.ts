/**
 * A local SMTP sink for tests (Vitest only; never imported by the app): smtp-server on 127.0.0.1,
 * a free port, no TLS and no authentication, keeping every message it accepts as raw text with
 * its envelope. `refuseNextTo(address)` makes it answer the next message to that address with a
 * permanent failure (550), so a test can see what the app does when its mail is not taken.
 */
import { SMTPServer } from 'smtp-server';
import type { MailSettings } from '@/lib/env';
import { freePort } from './net';

export type SunkMail = { from: string; to: string[]; raw: string };

export type SmtpSink = {
  mails: SunkMail[];
  /** The app's mail settings pointing at this sink (SMTP_SECURITY=none: loopback). */
  settings: MailSettings;
  refuseNextTo: (address: string) => void;
  close: () => Promise<void>;
};

/** Start a sink; `linkOrigin` goes into the settings it answers. */
export async function startSmtpSink({ linkOrigin = 'https://desk.example.org' }: { linkOrigin?: string } = {}): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const refusing = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refused = session.envelope.rcptTo.find((r) => refusing.has(r.address));
        if (refused) {
          refusing.delete(refused.address);
          const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
          callback(error);
          return;
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    mails,
    settings: { host: '127.0.0.1', port, security: 'none', auth: null, from: 'desk@example.org', linkOrigin },
    refuseNextTo: (address) => {
      refusing.add(address);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
