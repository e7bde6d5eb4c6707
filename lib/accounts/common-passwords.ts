/**
 * The common-password check of NIST SP 800-63B §3.1.1.2 ("passwords obtained from previous breach
 * corpuses, dictionary words, repetitive or sequential characters, context-specific words").
 *
 * The list: the `passwords` dictionary of @zxcvbn-ts/language-common (49,233 of the most used
 * passwords of public breach corpora, ranked, lower case, 3–20 characters; MIT), shipped in the npm
 * package and read offline. Only 308 of its entries are 12 characters or longer (shorter passwords
 * are refused by length anyway), so a password is also refused when it is a listed password with
 * trivial changes that attackers' guessing rules try first: padding of digits, punctuation or
 * spaces before or after it ("sunshine1234", "!!password2024"), the entry repeated
 * ("qwertyqwerty"), or spaces, dots, dashes and underscores removed ("i love you" is "iloveyou");
 * runs along the alphabet, the digits or the keyboard ("abcdefghijkl", "qwertyuiopasdf") count as
 * listed words too.
 * Context words (the service, the region it covers, the demo passwords README publishes, famous
 * example passphrases) and the account's code name get the same treatment, and more: an attacker
 * who targets this service or this account starts from them, so any number of digits before and
 * after them, any punctuation, symbols or spaces anywhere, and the word written backwards are
 * refused too ("ed-test79612345" for the code name "ed-test796", "697tset-de!!").
 *
 * Server-only: the list is ~380 kB of JavaScript and must never reach a browser bundle (the
 * `server-only` import makes a client import a build error). It is decompressed when this module
 * is first imported and turned into a Set on the first check, once per process (measured figures
 * in docs/security/README.md "Accounts and sessions").
 */
import 'server-only';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Words that are common for this service although no breach list holds them, in compact form
 * (lower case, without spaces, dots, dashes or underscores): the service's name, the region its
 * partners report from (docs/product.md), the demo passwords README publishes, and passphrases
 * famous as examples of good ones.
 */
export const CONTEXT_WORDS: readonly string[] = [
  'fieldreports',
  'fieldreport',
  'northkorea',
  'pyongyang',
  'amrokgang',
  'yaluriver',
  'demoadminpassword',
  'demoeditorpassword',
  'demopartnerk17password',
  'demopartnery04password',
  'correcthorsebatterystaple',
  'thequickbrownfox',
  'thequickbrownfoxjumpsoverthelazydog',
];

/** Padding attackers' rules add around a word: digits, punctuation, symbols, spaces. */
const PADDING_CHAR = /^[\p{Nd}\p{P}\p{S}\s]$/u;
/** Separators people put between the words of a passphrase; "compact" forms drop them. */
const SEPARATORS = /[\s._-]+/gu;
/** Padding is trivial with at most this many digits ("2024", "1234")… */
const TRIVIAL_PADDING_DIGITS = 4;
/** …and at most this many other characters ("!", "@", "!!"). */
const TRIVIAL_PADDING_OTHERS = 2;
/** Shortest run of a keyboard or alphabet sequence that counts as a word ("abcd", "4321"). */
const MIN_SEQUENCE = 4;

/**
 * Sequences people walk along (NIST SP 800-63B: "repetitive or sequential characters"): the
 * alphabet, the digits (cyclic: "7890123"), the QWERTY rows and columns, each also backwards.
 */
const SEQUENCES: readonly string[] = (() => {
  const forwards = [
    'abcdefghijklmnopqrstuvwxyz',
    '0123456789'.repeat(4),
    'qwertyuiopasdfghjklzxcvbnm',
    '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
    'qazwsxedcrfvtgbyhnujmikolp',
    '1q2w3e4r5t6y7u8i9o0p',
    'q1w2e3r4t5y6u7i8o9p0',
    'a1b2c3d4e5f6g7h8i9j0',
  ];
  return [...forwards, ...forwards.map((s) => [...s].reverse().join(''))];
})();

/** What is dropped before a password is compared with a context word: punctuation, symbols, spaces. */
const NOT_LETTER_OR_DIGIT = /[\p{P}\p{S}\s]+/gu;
const DIGIT = /^\p{Nd}$/u;
const isDigit = (char: string) => DIGIT.test(char);

let commonSet: ReadonlySet<string> | undefined;

/**
 * The breach list as a Set of lower-case entries, built on first use and kept for the process.
 * @returns 49,233 entries
 */
export function commonPasswords(): ReadonlySet<string> {
  commonSet ??= new Set(dictionary['passwords-common']);
  return commonSet;
}

/** True when `text` (lower case) is a run of at least MIN_SEQUENCE characters of a keyboard or alphabet sequence. */
export function isSequence(text: string): boolean {
  return text.length >= MIN_SEQUENCE && SEQUENCES.some((sequence) => sequence.includes(text));
}

/** True when padding adds nothing an attacker's rules would not try: a few digits and symbols, one repeated character, or itself a word. */
function isTrivialPadding(padding: string, isWord: (text: string) => boolean): boolean {
  const digits = padding.replace(/\P{Nd}/gu, '').length;
  if (digits <= TRIVIAL_PADDING_DIGITS && padding.length - digits <= TRIVIAL_PADDING_OTHERS) return true;
  if (new Set(padding).size === 1) return true;
  return isWord(padding.trim()) || isWord(padding.replace(SEPARATORS, ''));
}

/** True when `chars` is a word of `isWord` or one repeated ("qwertyqwerty", "123456123456"). */
function isWordOrRepeat(chars: string[], isWord: (text: string) => boolean, minWordLength: number, maxWordLength: number): boolean {
  const text = chars.join('');
  if (isWord(text)) return true;
  const n = chars.length;
  for (let unit = minWordLength; unit <= Math.min(maxWordLength, n / 2); unit++) {
    if (n % unit !== 0) continue;
    const word = chars.slice(0, unit).join('');
    if (word.repeat(n / unit) === text && isWord(word)) return true;
  }
  return false;
}

/** Length of the run of padding characters at the start of `chars`, and of the run of one repeated character there. */
function paddingRuns(chars: readonly string[]): { padding: number; same: number } {
  let padding = 0;
  while (padding < chars.length && PADDING_CHAR.test(chars[padding]!)) padding++;
  let same = 0;
  while (same < padding && chars[same] === chars[0]) same++;
  return { padding, same };
}

/**
 * True when `text` (lower case) is a word of `isWord`, that word repeated, or either of these
 * with trivial padding before or after it ("sunshine1234", "!!adminadmin"). Trivial padding is
 * short or one repeated character (or itself a word, at most 2 × maxWordLength long), so only
 * that many split points at each end are tried: a 1,024-character password costs about as much
 * as a short one.
 */
function isWordVariant(text: string, isWord: (candidate: string) => boolean, minWordLength: number, maxWordLength: number): boolean {
  const chars = [...text];
  const n = chars.length;
  if (n === 0) return false;
  if (isWordOrRepeat(chars, isWord, minWordLength, maxWordLength)) return true;
  const maxPadding = Math.max(TRIVIAL_PADDING_DIGITS + TRIVIAL_PADDING_OTHERS, 2 * maxWordLength);
  const head = paddingRuns(chars);
  const tail = paddingRuns([...chars].reverse());
  const starts = new Set([...Array(Math.min(head.padding, maxPadding) + 1).keys(), head.same]);
  const ends = new Set([...Array(Math.min(tail.padding, maxPadding) + 1).keys(), tail.same].map((k) => n - k));
  // chars[start, end) is the word; everything before and after it is padding.
  for (const start of starts) {
    for (const end of ends) {
      const length = end - start;
      if ((start === 0 && end === n) || length < minWordLength || length > 2 * maxWordLength) continue;
      if (!isWordOrRepeat(chars.slice(start, end), isWord, minWordLength, maxWordLength)) continue;
      if (isTrivialPadding(chars.slice(0, start).join(''), isWord) && isTrivialPadding(chars.slice(end).join(''), isWord)) return true;
    }
  }
  return false;
}

/**
 * True when `core` (a password's letters and digits) is `word` once or repeated, with any number of
 * digits before and after it. Linear in the password's length: the word's first non-digit must
 * line up with the password's, which fixes where the word starts. A word of digits alone never
 * matches here (a long digit string is no variant of it; the trivial-padding rule covers it).
 */
function isWordWithAnyDigits(core: readonly string[], word: readonly string[]): boolean {
  const firstLetterInWord = word.findIndex((char) => !isDigit(char));
  const firstLetterInCore = core.findIndex((char) => !isDigit(char));
  if (firstLetterInWord < 0 || firstLetterInCore < 0) return false;
  const start = firstLetterInCore - firstLetterInWord;
  if (start < 0) return false;
  const matchesAt = (at: number) => at + word.length <= core.length && word.every((char, i) => core[at + i] === char);
  let end = start;
  while (matchesAt(end)) end += word.length;
  return end > start && core.slice(end).every(isDigit);
}

/**
 * True when a password is a context word or the code name with any amount of padding: the
 * password's letters and digits (punctuation, symbols and spaces dropped wherever they are) are
 * the word, once or repeated, forwards or backwards, with only digits around it.
 * @param lower the password, NFC and lower case
 * @param context context words and the code name, lower case
 */
function isContextWordPadded(lower: string, context: ReadonlySet<string>): boolean {
  const core = [...lower.replace(NOT_LETTER_OR_DIGIT, '')];
  for (const word of context) {
    const chars = [...word.replace(NOT_LETTER_OR_DIGIT, '')];
    if (isWordWithAnyDigits(core, chars) || isWordWithAnyDigits(core, [...chars].reverse())) return true;
  }
  return false;
}

/**
 * True when a password is a commonly used one (NIST SP 800-63B §3.1.1.2): a listed password in any
 * case, with trivial padding, repeated, or with the separators between its words removed; or a
 * context word or the code name in the same ways, and also with any number of digits around it,
 * any punctuation, symbols or spaces anywhere, or backwards. Pure apart from building the list once; no length or
 * composition rule here (lib/accounts/new-password.ts applies the length rule first).
 * @param password the password as typed (normalised to NFC here)
 * @param codeName the account's code name ('' when unknown)
 * @returns true when the password must be refused as too easy to guess
 */
export function isCommonPassword(password: string, codeName = ''): boolean {
  const lower = password.normalize('NFC').toLowerCase();
  const forms = new Set([lower, lower.trim(), lower.replace(SEPARATORS, '')]);
  const list = commonPasswords();
  const name = codeName.normalize('NFC').toLowerCase();
  const context = new Set([...CONTEXT_WORDS, ...(name ? [name, name.replace(SEPARATORS, '')] : [])]);
  const isListed = (word: string) => list.has(word) || isSequence(word);
  const isContext = (word: string) => context.has(word) || context.has(word.replace(SEPARATORS, ''));
  const longestContext = Math.max(...[...context].map((w) => [...w].length));
  for (const form of forms) {
    if (isWordVariant(form, isListed, 3, 20)) return true;
    if (isWordVariant(form, isContext, 1, longestContext)) return true;
  }
  return isContextWordPadded(lower, context);
}
