import { describe, expect, it } from 'vitest';
import { checkActionRequest } from './action-request';
import type { ActionShape } from './action-shapes';

const SHAPES: Record<string, ActionShape> = { aa01: 'state-form', bb02: 'form', cc03: 'values' };
const shapeOf = (id: string) => SHAPES[id] ?? null;

function post(headers: Record<string, string>, body?: BodyInit) {
  return new Request('http://localhost:3000/x', { method: 'POST', headers, body });
}

function multipart(fields: [string, string][]): FormData {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  return form;
}

async function verdict(request: Request) {
  return (await checkActionRequest(request, shapeOf)).ok;
}

describe('checkActionRequest', () => {
  it('passes calls as React makes them', async () => {
    expect(await verdict(post({ 'next-action': 'aa01' }, multipart([['_1_title', 'x'], ['0', '[{"ok":true},"$K1"]']])))).toBe(true);
    expect(await verdict(post({ 'next-action': 'bb02' }, multipart([['_1_locale', 'ko'], ['0', '["$K1"]']])))).toBe(true);
    expect(await verdict(post({ 'next-action': 'cc03', 'content-type': 'text/plain;charset=UTF-8' }, '[{"title":"x"}]'))).toBe(true);
    expect(await verdict(post({}, multipart([['$ACTION_ID_bb02', ''], ['locale', 'ko']])))).toBe(true);
    expect(await verdict(post({}, multipart([['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"aa01","bound":"$@1"}'], ['$ACTION_1:1', '[{}]']])))).toBe(true);
    // Not Server Action calls at all.
    expect(await verdict(post({ 'content-type': 'application/x-www-form-urlencoded' }, 'a=b'))).toBe(true);
    expect(await verdict(new Request('http://localhost:3000/x'))).toBe(true);
  });

  it('refuses bodies Next.js cannot decode', async () => {
    const bad = post({ 'next-action': 'aa01', 'content-type': 'multipart/form-data; boundary=xyz' }, '--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\n[broken');
    expect(await verdict(bad)).toBe(false);
    expect(await verdict(post({ 'next-action': 'aa01', 'content-type': 'multipart/form-data; boundary=xyz' }, 'garbage'))).toBe(false);
    expect(await verdict(post({ 'content-type': 'multipart/form-data; boundary=xyz' }, 'garbage'))).toBe(false);
    expect(await verdict(post({ 'next-action': 'aa01', 'content-type': 'application/json' }, '{"a":1}'))).toBe(false);
    expect(await verdict(post({ 'next-action': 'cc03', 'content-type': 'text/plain' }, 'garbage{'))).toBe(false);
    expect(await verdict(post({ 'next-action': 'aa01' }, multipart([['1', 'x']])))).toBe(false);
    expect(await verdict(post({ 'next-action': 'not hex!' }, multipart([['0', '[]']])))).toBe(false);
  });

  it('refuses arguments that do not fit the action (JSON where a form is expected)', async () => {
    expect(await verdict(post({ 'next-action': 'aa01', 'content-type': 'text/plain' }, '["a","b"]'))).toBe(false);
    expect(await verdict(post({ 'next-action': 'aa01' }, multipart([['0', '["a","b"]']])))).toBe(false);
    expect(await verdict(post({ 'next-action': 'aa01' }, multipart([['_1_x', 'y'], ['0', '[null,"$K1"]']])))).toBe(false);
    expect(await verdict(post({ 'next-action': 'bb02' }, multipart([['0', '[{},"$K1"]']])))).toBe(false);
    // A no-script post may name only a plain form action with $ACTION_ID_.
    expect(await verdict(post({}, multipart([['$ACTION_ID_aa01', ''], ['codeName', 'x']])))).toBe(false);
  });

  it('checks only the body when the action is unknown (Next.js answers unknown ids itself)', async () => {
    expect(await verdict(post({ 'next-action': 'ffff' }, multipart([['0', '["a","b"]']])))).toBe(true);
    expect(await verdict(post({ 'next-action': 'ffff', 'content-type': 'multipart/form-data; boundary=q' }, 'garbage'))).toBe(false);
  });
});
