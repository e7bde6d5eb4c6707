import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { actionCallContext, type ActionCallState } from './action-call-context';
import { formAction, SERVER_ACTION_WRAPPERS, stateFormAction, valueAction } from './server-action';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function formWith(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

/** Call a wrapped action with any arguments, as a hostile client can through React's decoder. */
function callWith<F extends (...args: never[]) => unknown>(action: F, ...args: unknown[]): ReturnType<F> {
  return (action as unknown as (...a: unknown[]) => ReturnType<F>)(...args);
}

describe('stateFormAction: a useActionState action refuses calls our pages never make', () => {
  type State = { ok: boolean; messageKey?: string };
  const REFUSED: State = { ok: false, messageKey: 'x.refused' };

  it('runs the action for (previous state, FormData), as React and a no-script post call it', async () => {
    const body = vi.fn(async (_previous: State, formData: FormData): Promise<State> => ({ ok: formData.get('a') === '1' }));
    const action = stateFormAction(REFUSED, body);
    expect(await action({ ok: false }, formWith({ a: '1' }))).toEqual({ ok: true });
    expect(body).toHaveBeenCalledTimes(1);
  });

  it('answers the refusal without running the action for a string, no FormData, a missing state or extra arguments', async () => {
    const body = vi.fn(async (): Promise<State> => ({ ok: true }));
    const action = stateFormAction(REFUSED, body);
    const calls: unknown[][] = [
      [],
      [{ ok: false }],
      [formWith({ a: '1' })],
      ['a', 'b'],
      [{ ok: false }, 'codeName=x'],
      [{ ok: false }, { a: '1' }],
      [null, formWith({ a: '1' })],
      ['state', formWith({ a: '1' })],
      [[1], formWith({ a: '1' })],
      [formWith({}), formWith({ a: '1' })],
      [{ ok: false }, formWith({ a: '1' }), 'third'],
    ];
    for (const args of calls) expect(await callWith(action, ...args), JSON.stringify(args)).toEqual(REFUSED);
    expect(body).not.toHaveBeenCalled();
  });
});

describe('formAction: a plain form action refuses calls our pages never make', () => {
  it('runs the action for one FormData and returns nothing for anything else', async () => {
    const body = vi.fn(async (_formData: FormData) => undefined);
    const action = formAction(body);
    await action(formWith({ locale: 'ko' }));
    expect(body).toHaveBeenCalledTimes(1);
    for (const args of [[], ['locale=ko'], [{ locale: 'ko' }], [{}, formWith({ locale: 'ko' })], [formWith({}), formWith({})]]) {
      expect(await callWith(action, ...args), JSON.stringify(args)).toBeUndefined();
    }
    expect(body).toHaveBeenCalledTimes(1);
  });

  it('lets what the action throws on purpose (redirect, notFound) through', async () => {
    const action = formAction(async () => {
      throw new Error('NEXT_REDIRECT');
    });
    await expect(action(formWith({}))).rejects.toThrow('NEXT_REDIRECT');
  });
});

describe('valueAction: an action called with one plain value', () => {
  it('runs for one value and refuses none, two, or a FormData', async () => {
    const body = vi.fn(async (value: unknown) => ({ ok: true as const, value }));
    const action = valueAction<{ ok: boolean; value?: unknown }>({ ok: false }, body);
    expect(await action({ title: 'x' })).toEqual({ ok: true, value: { title: 'x' } });
    for (const args of [[], [{ title: 'x' }, 'extra'], [formWith({ title: 'x' })]]) expect(await callWith(action, ...args), JSON.stringify(args)).toEqual({ ok: false });
    expect(body).toHaveBeenCalledTimes(1);
  });
});

describe("every wrapper marks its request's action as started, first thing", () => {
  /** Call `run` inside a request's action-call state, as the app's server does; returns the state. */
  async function inRequest(run: () => Promise<unknown>): Promise<ActionCallState> {
    const state: ActionCallState = { actionCall: true, actionStarted: false };
    await actionCallContext.run(state, async () => {
      await run().catch(() => undefined);
    });
    return state;
  }

  it('before looking at the arguments: a refused call and one that throws count as started (a 500 after this is ours, not a malformed call)', async () => {
    type State = { ok: boolean };
    const throws = async (): Promise<never> => {
      throw new Error('a bug of ours');
    };
    const calls: (() => Promise<unknown>)[] = [
      () => formAction(throws)(formWith({ a: '1' })),
      () => callWith(formAction(throws), 'not a form'),
      () => stateFormAction<State>({ ok: false }, throws)({ ok: true }, formWith({})),
      () => callWith(stateFormAction<State>({ ok: false }, throws)),
      () => valueAction<string | null>(null, throws)({ x: 1 }),
      () => callWith(valueAction<string | null>(null, throws), 1, 2),
    ];
    for (const [i, call] of calls.entries()) expect((await inRequest(call)).actionStarted, `call ${i}`).toBe(true);
  });

  it('marks nothing outside a request the server tracks', async () => {
    await expect(valueAction<string | null>(null, async () => 'ran')('x')).resolves.toBe('ran');
  });
});

/** Every file under app/ and lib/ whose first statement is the 'use server' directive. */
function serverActionFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
    });
  return [...walk(path.join(ROOT, 'app')), ...walk(path.join(ROOT, 'lib'))].filter((file) => {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const first = source.statements[0];
    return !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use server';
  });
}

/**
 * Each exported value of a 'use server' file ('file#name'), with the wrapper it is made by
 * (`export const x = stateFormAction(…)`), or what else it is ('function declaration', …).
 * Type exports are not Server Actions and are skipped.
 */
function exportedActions(file: string): Record<string, string> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  const found: Record<string, string> = {};
  const isExported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && isExported(statement)) found[`${rel}#${statement.name?.text ?? 'default'}`] = 'function declaration';
    else if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        const callee = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) ? init.expression.text : null;
        found[`${rel}#${declaration.name.getText(source)}`] = callee && (SERVER_ACTION_WRAPPERS as readonly string[]).includes(callee) ? 'wrapped' : `not wrapped (${init?.getText(source).slice(0, 40) ?? 'no value'})`;
      }
    } else if (ts.isExportAssignment(statement) || (ts.isExportDeclaration(statement) && !statement.isTypeOnly)) {
      found[`${rel}#${statement.getText(source).slice(0, 40)}`] = 'export statement';
    }
  }
  return found;
}

describe('every Server Action is wrapped', () => {
  it('each exported value of every app/ and lib/ "use server" file is made by formAction, stateFormAction or valueAction', () => {
    const files = serverActionFiles();
    expect(files.length, 'the app has Server Action files').toBeGreaterThanOrEqual(12);
    const actions = Object.assign({}, ...files.map(exportedActions)) as Record<string, string>;
    expect(Object.keys(actions).length, 'the app has Server Actions').toBeGreaterThanOrEqual(36);
    const unwrapped = Object.entries(actions).filter(([, how]) => how !== 'wrapped');
    expect(unwrapped, 'wrap these with lib/http/server-action.ts (a call our pages never make must not reach the action)').toEqual([]);
  });

  it('the check sees an unwrapped action (so it cannot pass by finding nothing)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wrapped-check-'));
    try {
      const file = path.join(dir, 'actions.ts');
      fs.writeFileSync(file, "'use server';\nexport type S = { ok: boolean };\nexport async function bare(formData: FormData) {}\nexport const fine = formAction(async (formData: FormData) => {});\nexport const other = withSomething(async () => {});\n");
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      expect(exportedActions(file)).toEqual({
        [`${rel}#bare`]: 'function declaration',
        [`${rel}#fine`]: 'wrapped',
        [`${rel}#other`]: 'not wrapped (withSomething(async () => {}))',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
