import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The two rooms of signing in and accounts (issue 17, "one home per rule"):
 * - lib/auth: sign-in — throttle, known device, pending second step, the sign-in flow, next-auth's
 *   glue, sessions; it uses the accounts room;
 * - lib/accounts: accounts — administration, invitations, password rules and storage, two-factor
 *   state, the audit log's reading; it never uses sign-in. Its one import from lib/auth is the pure
 *   role table lib/auth/roles.ts (which imports nothing of either room).
 * Checked over the import lines of the non-test modules.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ROOMS = ['lib/auth', 'lib/accounts'];
/** lib/auth modules the accounts room may read: pure data that imports neither room. */
const SHARED_LEAVES = new Set(['lib/auth/roles.ts']);

function modulesOf(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir))
    .filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name))
    .map((name) => `${dir}/${name}`);
}

/** The repository paths a module imports (static, `export … from` and dynamic), as far as they are ours. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'([^']+)'/gm)].map((m) => m[1] as string);
  const resolved: string[] = [];
  for (const specifier of specifiers) {
    let base: string;
    if (specifier.startsWith('@/')) base = specifier.slice(2);
    else if (specifier.startsWith('.')) base = path.posix.join(path.posix.dirname(file), specifier);
    else continue;
    const hit = ['.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find((candidate) => fs.existsSync(path.join(ROOT, candidate)));
    if (hit) resolved.push(hit);
  }
  return resolved;
}

const modules = ROOMS.flatMap(modulesOf);
const graph = new Map(modules.map((file) => [file, importsOf(file).filter((target) => ROOMS.some((room) => target.startsWith(`${room}/`)))]));

describe('sign-in and accounts: arrows one way', () => {
  it('finds the modules of both rooms (so the checks cannot pass by reading nothing)', () => {
    expect(modules).toContain('lib/auth/sign-in-flow.ts');
    expect(modules).toContain('lib/accounts/accounts.ts');
    expect(graph.get('lib/auth/sign-in-flow.ts')).toContain('lib/accounts/two-factor.ts');
  });

  it('lib/accounts imports nothing of lib/auth but the pure role table', () => {
    const backwards = [...graph].flatMap(([file, targets]) =>
      file.startsWith('lib/accounts/') ? targets.filter((t) => t.startsWith('lib/auth/') && !SHARED_LEAVES.has(t)).map((t) => `${file} → ${t}`) : [],
    );
    expect(backwards).toEqual([]);
    for (const leaf of SHARED_LEAVES) expect(graph.get(leaf), leaf).toEqual([]);
  });

  it('no import cycle runs through the two rooms', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of modules) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
