import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import type { Locale } from './config';

/**
 * Message catalogues: lib/i18n/messages/<locale>/<namespace>.json, one file per domain, merged into
 * one object keyed by namespace (the file name). Read from disk once per process.
 */
export type Messages = Record<string, Record<string, unknown>>;

const cache = new Map<Locale, Messages>();

/** Directory that holds the message files. */
export function getMessagesDir(): string {
  return path.join(process.cwd(), 'lib', 'i18n', 'messages');
}

/** All namespaces of one locale. Throws if a file is not valid JSON (a build-time mistake). */
export function loadMessages(locale: Locale): Messages {
  const hit = cache.get(locale);
  if (hit) return hit;
  const dir = path.join(getMessagesDir(), locale);
  const messages: Messages = {};
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    messages[file.slice(0, -'.json'.length)] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  }
  if (process.env.NODE_ENV === 'production') cache.set(locale, messages);
  return messages;
}

/** Only the given namespaces, for a client provider (keeps message payloads small). */
export function pickMessages(messages: Messages, namespaces: readonly string[]): Messages {
  const picked: Messages = {};
  for (const ns of namespaces) {
    const value = messages[ns];
    if (value) picked[ns] = value;
  }
  return picked;
}
