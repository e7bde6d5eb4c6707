/**
 * The browser's photo queue and its upload loop, with a scripted transport and connection: each
 * photo keeps one client photo id through every try, a try without an answer waits for the
 * connection (offline) or fails with Retry (online), and photos picked before the report exists
 * wait for it (issue 18 item 6).
 */
import { describe, expect, it } from 'vitest';
import type { PhotoErrorCode } from './outcomes';
import { createMemoryPhotoQueue, type QueuedPhoto } from './photo-queue';
import { createPhotoUploader, readUploadAnswer, type UploadAnswer } from './photo-uploader';
import { MAX_PHOTO_BYTES } from './rules';

/** A transport whose answers the test gives, one try at a time. */
function scriptedTransport() {
  const tries: { clientId: string; reportId: number | null; answer: (value: UploadAnswer) => void }[] = [];
  const transport = (photo: QueuedPhoto, onProgress: (percent: number) => void) =>
    new Promise<UploadAnswer>((resolve) => {
      onProgress(50);
      tries.push({ clientId: photo.clientId, reportId: photo.reportId, answer: resolve });
    });
  return { tries, transport };
}

/** Let the loop run up to its next await. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  let online = true;
  let nextId = 0;
  const store = createMemoryPhotoQueue({ newId: () => `id-${++nextId}`, now: () => 1000 });
  const { tries, transport } = scriptedTransport();
  const uploader = createPhotoUploader({ store, transport, isOnline: () => online });
  const states = () => store.list().map((photo) => [photo.name, photo.state, photo.isWaitingForConnection, photo.error, photo.canRetry]);
  const pick = (names: string[], reportId: number | null = 7, formClientId: string | null = null) => {
    store.enqueue(names.map((name) => ({ file: new Blob([name]), name, caption: '', reportId, formClientId })));
    uploader.kick();
  };
  return { store, uploader, tries, states, pick, setOnline: (value: boolean) => (online = value) };
}

const stored = (photoId: number): UploadAnswer => ({ kind: 'stored', photoId, photos: [] });

describe('the photo uploader', () => {
  it('sends one photo at a time, in order, and marks each stored with its photo id', async () => {
    const { store, tries, states, pick } = setup();
    pick(['a.jpg', 'b.jpg']);
    await settle();
    expect(states()).toEqual([
      ['a.jpg', 'uploading', false, null, false],
      ['b.jpg', 'waiting', false, null, false],
    ]);
    expect(store.list()[0]!.percent).toBe(50);
    expect(tries).toHaveLength(1);
    tries[0]!.answer(stored(11));
    await settle();
    tries[1]!.answer(stored(12));
    await settle();
    expect(store.list().map((photo) => [photo.state, photo.photoId, photo.percent])).toEqual([
      ['stored', 11, 100],
      ['stored', 12, 100],
    ]);
    expect(tries.map((t) => t.clientId)).toEqual(['id-1', 'id-2']);
  });

  it('fails a try whose answer was lost while online, and Retry sends it again with the same client photo id', async () => {
    const { tries, states, pick, uploader } = setup();
    pick(['a.jpg']);
    await settle();
    tries[0]!.answer({ kind: 'no_answer' });
    await settle();
    expect(states()).toEqual([['a.jpg', 'failed', false, 'failed', true]]);
    uploader.retry('id-1');
    await settle();
    expect(tries.map((t) => t.clientId)).toEqual(['id-1', 'id-1']);
    tries[1]!.answer(stored(5));
    await settle();
    expect(states()).toEqual([['a.jpg', 'stored', false, null, false]]);
  });

  it('puts a photo whose try failed offline back to waiting, sends nothing while offline, and resumes when the connection is back', async () => {
    const { tries, states, pick, setOnline, uploader } = setup();
    pick(['a.jpg', 'b.jpg', 'c.jpg']);
    await settle();
    tries[0]!.answer(stored(1));
    await settle();
    setOnline(false);
    tries[1]!.answer({ kind: 'no_answer' });
    await settle();
    expect(states()).toEqual([
      ['a.jpg', 'stored', false, null, false],
      ['b.jpg', 'waiting', true, null, false],
      ['c.jpg', 'waiting', true, null, false],
    ]);
    uploader.kick();
    await settle();
    expect(tries).toHaveLength(2);

    setOnline(true);
    uploader.connectionBack();
    await settle();
    expect(tries.map((t) => t.clientId)).toEqual(['id-1', 'id-2', 'id-2']);
    tries[2]!.answer(stored(2));
    await settle();
    tries[3]!.answer(stored(3));
    await settle();
    expect(states().map(([name, state]) => [name, state])).toEqual([
      ['a.jpg', 'stored'],
      ['b.jpg', 'stored'],
      ['c.jpg', 'stored'],
    ]);
  });

  it('tries a network failure again when the connection comes back, but never a refused photo', async () => {
    const { tries, states, pick, uploader } = setup();
    pick(['lost.jpg', 'vector.jpg']);
    await settle();
    tries[0]!.answer({ kind: 'no_answer' });
    await settle();
    tries[1]!.answer({ kind: 'refused', code: 'svg' });
    await settle();
    uploader.retry('id-2');
    uploader.connectionBack();
    await settle();
    expect(tries.map((t) => t.clientId)).toEqual(['id-1', 'id-2', 'id-1']);
    expect(states()[1]).toEqual(['vector.jpg', 'failed', false, 'svg', false]);
  });

  it('keeps photos picked before the report exists until the form is saved, then sends them to that report', async () => {
    const { store, tries, states, pick, uploader } = setup();
    pick(['early.jpg'], null, 'form-1');
    pick(['other-form.jpg'], null, 'form-2');
    await settle();
    expect(tries).toHaveLength(0);
    expect(states()[0]).toEqual(['early.jpg', 'waiting', false, null, false]);
    store.assignReport('form-1', 42);
    uploader.kick();
    await settle();
    expect(tries.map((t) => [t.clientId, t.reportId])).toEqual([['id-1', 42]]);
    expect(store.list()[1]!.reportId).toBeNull();
  });

  it('refuses a file over the size cap without sending it', async () => {
    const { store, tries, uploader } = setup();
    store.enqueue([{ file: new Blob([new Uint8Array(MAX_PHOTO_BYTES + 1)]), name: 'huge.jpg', caption: '', reportId: 7 }]);
    uploader.kick();
    await settle();
    expect(tries).toHaveLength(0);
    expect(store.list()[0]).toMatchObject({ state: 'failed', error: 'too_large', canRetry: false });
  });

  it('tells listeners the report’s photo list after each stored photo', async () => {
    const { tries, pick, uploader } = setup();
    const heard: [number, number[]][] = [];
    const unsubscribe = uploader.subscribeListed((reportId, photos) => heard.push([reportId, photos.map((photo) => photo.id)]));
    pick(['a.jpg']);
    await settle();
    tries[0]!.answer({ kind: 'stored', photoId: 3, photos: [{ id: 3, width: 1, height: 1, caption: '' }] });
    await settle();
    unsubscribe();
    expect(heard).toEqual([[7, [3]]]);
  });
});

describe('readUploadAnswer', () => {
  it('reads a stored photo, a refusal by its code, and anything else as a failure', () => {
    expect(readUploadAnswer(201, { ok: true, photoId: 9, photos: [] })).toEqual({ kind: 'stored', photoId: 9, photos: [] });
    expect(readUploadAnswer(409, { ok: false, error: 'too_many' satisfies PhotoErrorCode })).toEqual({ kind: 'refused', code: 'too_many' });
    expect(readUploadAnswer(502, null)).toEqual({ kind: 'refused', code: 'failed' });
    expect(readUploadAnswer(200, { ok: true })).toEqual({ kind: 'refused', code: 'failed' });
    expect(readUploadAnswer(400, { ok: false, error: '<script>' })).toEqual({ kind: 'refused', code: 'failed' });
  });
});
