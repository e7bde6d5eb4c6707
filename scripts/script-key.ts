/**
 * The data key for the scripts/ tools (migrate, seed, bootstrap-admin, backup, encrypt-data, rekey),
 * which run beside the server, not inside it (docs/security/encryption-at-rest.md):
 * - FIELD_REPORTS_KEY_FILE when set (checked as the server checks it);
 * - otherwise the passphrase of DATA_DIR/passphrase.json, asked on the terminal without echo, or
 *   read as the first line of standard input when that is not a terminal (automation; a new
 *   passphrase is asked twice, so give it on two lines);
 * - on a DATA_DIR with neither a database nor passphrase.json, `allowNew` sets a new passphrase
 *   (asked twice) and writes a fresh salt.
 * The key is installed with setDataKey, so getDb() and the photo store use it.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { getDataKey, KeyError, setDataKey } from '@/lib/at-rest/keys';
import { hasPassphraseFile, keyFromPassphrase, MIN_PASSPHRASE_LENGTH, writeNewPassphraseFile } from '@/lib/at-rest/passphrase';
import { getDatabasePath, getDataDir } from '@/db/client';

let stdinLines: AsyncIterableIterator<string> | null = null;

/**
 * Ask for a secret line: on a terminal the typed characters are not echoed; otherwise the next
 * line of standard input is taken (so `printf '%s\n' "$PASS" | npm run backup` works).
 */
export async function askSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    stdinLines ??= readline.createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
    const next = await stdinLines.next();
    if (next.done) throw new KeyError(`${prompt.trim()} — no input on standard input.`);
    return next.value;
  }
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new KeyError('Cancelled.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}

/**
 * Ask for a new passphrase twice and write a fresh salt to `<dataDir>/passphrase.json`.
 * @param label the folder named in the prompt (default `dataDir`; rekey writes to a staging folder
 *   but asks for the passphrase of DATA_DIR)
 * @returns the data key it gives
 * @throws KeyError when the two entries differ or the passphrase is shorter than 16 characters
 */
export async function setNewPassphrase(dataDir: string = getDataDir(), { label = dataDir }: { label?: string } = {}): Promise<Buffer> {
  const first = await askSecret(`New passphrase for ${label} (at least ${MIN_PASSPHRASE_LENGTH} characters): `);
  if (first.normalize('NFC').length < MIN_PASSPHRASE_LENGTH) throw new KeyError(`The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  const second = await askSecret('Repeat it: ');
  if (first !== second) throw new KeyError('The two passphrases differ; nothing was changed.');
  writeNewPassphraseFile(dataDir);
  return keyFromPassphrase(first, dataDir);
}

/**
 * Make sure this script process has the data key (see the module comment).
 * @param allowNew on a DATA_DIR with no database and no passphrase.json, and no key file, set up a
 *   new passphrase (db:migrate on a fresh server)
 * @throws KeyError with a message naming what to do
 */
export async function ensureScriptDataKey({ allowNew = false }: { allowNew?: boolean } = {}): Promise<void> {
  if (process.env.FIELD_REPORTS_PLAINTEXT === 'benchmark-only') return;
  if (process.env.FIELD_REPORTS_KEY_FILE) {
    getDataKey();
    return;
  }
  const dataDir = getDataDir();
  if (hasPassphraseFile(dataDir)) {
    setDataKey(await keyFromPassphrase(await askSecret(`Passphrase for ${dataDir}: `), dataDir), 'passphrase');
    return;
  }
  if (allowNew && !fs.existsSync(getDatabasePath())) {
    setDataKey(await setNewPassphrase(dataDir), 'passphrase');
    return;
  }
  const demoKey = `${dataDir}.demo-key`;
  throw new KeyError(
    fs.existsSync(demoKey)
      ? `No key for ${dataDir}: this is the demo's data; its key file is ${demoKey}. Run again with FIELD_REPORTS_KEY_FILE=${demoKey}.`
      : `No key for ${dataDir}: set FIELD_REPORTS_KEY_FILE to its key file (outside DATA_DIR). Data set up with a passphrase has DATA_DIR/passphrase.json, and then the passphrase is asked.`,
  );
}
