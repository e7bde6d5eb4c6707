/**
 * Every translation key the code uses exists in the English catalogue (lib/i18n/messages/en).
 * messages.test.ts checks that the other languages have every English key; together they mean a
 * key typed in the code is shown in every language, never as its bare name.
 *
 * A static check, pragmatic by design. It reads every .ts/.tsx file under app/ and lib/ (tests
 * excluded) with the TypeScript parser and checks:
 *  1. Calls of a translator with a literal key: `t('x.y')`, `t("x.y")`, `t(\`x.y\`)` and
 *     `t.rich/markup/has(...)`, where `t` is bound in the same file by
 *     `useTranslations(ns?)` / `getTranslations(ns? | { namespace })` — also inside
 *     `const [a, t] = await Promise.all([..., getTranslations('ns')])` — or the call is made
 *     directly on one: `(await getTranslations('ns'))('key')`. The key is read under that
 *     namespace; a binding is looked up through the enclosing scopes, innermost first.
 *  2. Calls with a template key such as t(`statuses.${status}`): the literal head up to the last
 *     dot before the first `${` must name an existing group of keys (a prefix check).
 *  3. Any string literal anywhere in that code that looks like a full key ('report.errors.x',
 *     'auth.twoFactor.expired', …: a catalogue namespace, a dot, then dotted identifiers) must be a
 *     key. These are the message keys data-layer functions return for pages to translate.
 * Limits: keys built by concatenation or held in variables, translators passed as arguments or
 * props, and template keys past their literal head are not checked; a string that only looks
 * like a key (same shape, not meant for translation) would be reported and needs renaming or an
 * entry in NOT_KEYS below.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const EN_DIR = path.join(__dirname, 'messages', 'en');
const TRANSLATOR_FACTORIES = new Set(['useTranslations', 'getTranslations']);
/** String literals shaped like keys that are not keys (none today). */
const NOT_KEYS = new Set<string>([]);

type Catalogue = Record<string, unknown>;

function loadEnglish(): Catalogue {
  const catalogue: Catalogue = {};
  for (const file of fs.readdirSync(EN_DIR).filter((f) => f.endsWith('.json'))) {
    catalogue[file.slice(0, -'.json'.length)] = JSON.parse(fs.readFileSync(path.join(EN_DIR, file), 'utf8'));
  }
  return catalogue;
}

function lookup(catalogue: Catalogue, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), catalogue);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

type Use = { file: string; line: number; key: string; kind: 'key' | 'prefix' | 'namespace' };

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isAwaitExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** The namespace of `useTranslations(...)` / `getTranslations(...)`, '' for none; null if not such a call or not literal. */
function namespaceOfFactoryCall(node: ts.Expression): string | null {
  const call = unwrap(node);
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || !TRANSLATOR_FACTORIES.has(call.expression.text)) return null;
  const [arg] = call.arguments;
  if (!arg) return '';
  if (ts.isStringLiteralLike(arg)) return arg.text;
  if (ts.isObjectLiteralExpression(arg)) {
    const ns = arg.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'namespace');
    if (!ns) return '';
    return ts.isStringLiteralLike(ns.initializer) ? ns.initializer.text : null;
  }
  return null;
}

/** Keys used in one file (see the header for what is recognised). */
function usesIn(file: string, namespaces: ReadonlySet<string>): Use[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const uses: Use[] = [];
  const rel = path.relative(ROOT, file);
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const scopes: Map<string, string>[] = [new Map()];
  const resolve = (name: string): string | undefined => {
    for (let i = scopes.length - 1; i >= 0; i -= 1) {
      const ns = scopes[i]!.get(name);
      if (ns !== undefined) return ns;
    }
    return undefined;
  };
  const join = (ns: string, key: string) => (ns ? `${ns}.${key}` : key);
  /** Literals already read as a namespace or as a key under one (rule 3 skips them). */
  const handled = new Set<ts.Node>();

  const bind = (declaration: ts.VariableDeclaration) => {
    if (!declaration.initializer) return;
    const scope = scopes[scopes.length - 1]!;
    if (ts.isIdentifier(declaration.name)) {
      const ns = namespaceOfFactoryCall(declaration.initializer);
      if (ns !== null) scope.set(declaration.name.text, ns);
      return;
    }
    // const [a, t] = await Promise.all([..., getTranslations('ns')])
    const init = unwrap(declaration.initializer);
    if (ts.isArrayBindingPattern(declaration.name) && ts.isCallExpression(init) && init.expression.getText(source) === 'Promise.all') {
      const list = init.arguments[0];
      if (!list || !ts.isArrayLiteralExpression(list)) return;
      declaration.name.elements.forEach((element, i) => {
        const item = list.elements[i];
        if (!item || ts.isOmittedExpression(element) || !ts.isIdentifier(element.name)) return;
        const ns = namespaceOfFactoryCall(item);
        if (ns !== null) scope.set(element.name.text, ns);
      });
    }
  };

  const checkCall = (call: ts.CallExpression) => {
    let callee: ts.Expression = call.expression;
    // t.rich('key'), t.markup('key'), t.has('key')
    if (ts.isPropertyAccessExpression(callee) && ['rich', 'markup', 'has'].includes(callee.name.text)) callee = callee.expression;
    let ns: string | undefined;
    if (ts.isIdentifier(callee)) ns = resolve(callee.text);
    else ns = namespaceOfFactoryCall(callee) ?? undefined;
    if (ns === undefined) return;
    const [arg] = call.arguments;
    if (!arg) return;
    handled.add(arg);
    if (ts.isStringLiteralLike(arg)) uses.push({ file: rel, line: lineOf(arg), key: join(ns, arg.text), kind: 'key' });
    else if (ts.isTemplateExpression(arg)) {
      const head = arg.head.text;
      const cut = head.lastIndexOf('.');
      const prefix = join(ns, cut === -1 ? '' : head.slice(0, cut)).replace(/\.$/, '');
      if (prefix !== '') uses.push({ file: rel, line: lineOf(arg), key: prefix, kind: 'prefix' });
    }
  };

  const keyShape = /^([a-z]+)\.[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
  const visit = (node: ts.Node) => {
    const opensScope = ts.isFunctionLike(node) || ts.isBlock(node) || ts.isSourceFile(node);
    if (opensScope && !ts.isSourceFile(node)) scopes.push(new Map());
    if (ts.isVariableDeclaration(node)) bind(node);
    if (ts.isCallExpression(node)) {
      checkCall(node);
      const ns = namespaceOfFactoryCall(node);
      if (ns) {
        const [arg] = node.arguments;
        const literal = arg && ts.isObjectLiteralExpression(arg) ? arg.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === 'namespace')?.initializer : arg;
        if (literal) handled.add(literal);
        uses.push({ file: rel, line: lineOf(node), key: ns, kind: 'namespace' });
      }
    }
    if (ts.isStringLiteralLike(node) && !ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent)) {
      const match = keyShape.exec(node.text);
      if (match && namespaces.has(match[1]!) && !NOT_KEYS.has(node.text) && !handled.has(node)) uses.push({ file: rel, line: lineOf(node), key: node.text, kind: 'key' });
    }
    ts.forEachChild(node, visit);
    if (opensScope && !ts.isSourceFile(node)) scopes.pop();
  };
  visit(source);
  return uses;
}

describe('translation keys used in the code', () => {
  const english = loadEnglish();
  const namespaces = new Set(Object.keys(english));
  const files = [...sourceFiles(path.join(ROOT, 'app')), ...sourceFiles(path.join(ROOT, 'lib'))];
  const uses = files.flatMap((file) => usesIn(file, namespaces));

  it('finds translator calls to check (the scanner itself works)', () => {
    expect(files.length).toBeGreaterThan(50);
    // Known uses in partner and public pages: if these stop being found, the scanner broke.
    const keys = new Set(uses.map((u) => u.key));
    expect(keys).toContain('report.form.buttons.submit');
    expect(keys).toContain('report.list.newReport');
    expect(keys).toContain('public.stats.title');
    expect(keys).toContain('auth.signIn.title');
    expect(uses.filter((u) => u.kind === 'prefix').length).toBeGreaterThan(5);
  });

  it('every literal key exists in the English catalogue as a text', () => {
    const missing = uses.filter((u) => u.kind === 'key' && typeof lookup(english, u.key) !== 'string').map((u) => `${u.file}:${u.line} ${u.key}`);
    expect(missing).toEqual([]);
  });

  it('every namespace and every template key’s literal head names an existing group of keys', () => {
    const missing = uses
      .filter((u) => u.kind === 'prefix' || u.kind === 'namespace')
      .filter((u) => {
        const node = lookup(english, u.key);
        return !node || typeof node !== 'object';
      })
      .map((u) => `${u.file}:${u.line} ${u.key}.…`);
    expect(missing).toEqual([]);
  });
});
