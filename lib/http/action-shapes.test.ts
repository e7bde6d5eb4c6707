import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_SHAPES, type ActionShape } from './action-shapes';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Split a parameter list at its top-level commas. */
function splitParams(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if ('<({['.includes(ch)) depth += 1;
    if ('>)}]'.includes(ch)) depth -= 1;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Every exported Server Action's shape, read from its signature in the source. */
function shapesFromSource(): Record<string, ActionShape | 'unsupported'> {
  const shapes: Record<string, ActionShape | 'unsupported'> = {};
  for (const dir of ['app', 'lib']) {
    for (const file of walk(path.join(ROOT, dir))) {
      if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
      const source = fs.readFileSync(file, 'utf8');
      if (!/^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*['"]use server['"]/.test(source)) continue;
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      for (const m of source.matchAll(/^export\s+(?:async\s+)?function\s+([A-Za-z_$][\w$]*)\s*\(/gm)) {
        let depth = 1;
        let i = m.index! + m[0].length;
        const start = i;
        while (depth > 0 && i < source.length) {
          if (source[i] === '(') depth += 1;
          if (source[i] === ')') depth -= 1;
          i += 1;
        }
        const params = splitParams(source.slice(start, i - 1));
        const formIndex = params.findIndex((p) => /:\s*FormData\s*$/.test(p));
        let shape: ActionShape | 'unsupported';
        if (formIndex === -1) shape = 'values';
        else if (formIndex !== params.length - 1) shape = 'unsupported';
        else if (params.length === 1) shape = 'form';
        else if (params.length === 2) shape = 'state-form';
        else shape = 'unsupported';
        shapes[`${rel}#${m[1]}`] = shape;
      }
      if (/^export\s+(?:const|let)\s/m.test(source)) shapes[`${rel}#(non-function export)`] = 'unsupported';
    }
  }
  return shapes;
}

describe('Server Action shapes (proxy.ts refuses calls that do not fit)', () => {
  it('lists every Server Action with the shape its signature has', () => {
    expect(ACTION_SHAPES, 'update lib/http/action-shapes.ts (bound arguments and FormData not last are not supported)').toEqual(shapesFromSource());
  });
});
