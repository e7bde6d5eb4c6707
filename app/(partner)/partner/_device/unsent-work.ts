/**
 * How much of the partner's work exists only on this phone: reports in the outbox not sent yet
 * (waiting, sending or refused; outbox.ts), drafts whose last changes never reached the server
 * (local-copy.ts) and photos picked but not uploaded yet (photo-store.ts; a queued report's own
 * photos travel inside its outbox record and are counted with it). Sign-out and "Wipe this device" delete them (wipe.ts), so both ask first when
 * this is above zero; the quick exit never asks: getting the phone clean at once comes first
 * (docs/decisions/0010-partner-device-copies.md, "What a wipe costs").
 *
 * Loaded on demand (a dynamic import at the moment of signing out or wiping), with the photo
 * queue's code (photo-store.ts), which no partner page's first-load script carries.
 * @returns the count of reports, copies and photos (0 where the device keeps nothing: no IndexedDB, or a store that cannot be read)
 */
export async function countUnsentWork(accountId: number): Promise<number> {
  const [{ readOutbox }, { readLocalCopies }, { readKeptPhotos, isKeptPhotoUnsent }] = await Promise.all([
    import('./outbox'),
    import('../reports/_components/local-copy'),
    import('./photo-store'),
  ]);
  const [outbox, copies, photos] = await Promise.all([
    readOutbox(accountId).catch(() => []),
    readLocalCopies(accountId).catch(() => []),
    readKeptPhotos(accountId).catch(() => []),
  ]);
  const queued = new Set(outbox.filter((record) => record.state !== 'sent').map((record) => record.clientId));
  return queued.size + copies.filter((copy) => !queued.has(copy.values.clientId)).length + photos.filter(isKeptPhotoUnsent).length;
}
