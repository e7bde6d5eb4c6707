/**
 * {@link import('./unsent-work').countUnsentWork} through a dynamic import, so the first-load script
 * of the partner pages does not carry the photo queue's code (the device store's is there: wipe.ts).
 * When that code cannot be loaded (a page opened offline before the file was kept), the answer
 * is 1: better to ask once too often than to delete a report waiting to be sent without asking.
 * @returns the count of reports and form copies that exist only on this phone, or 1 when unknown
 */
export async function countUnsentWorkOrAssume(accountId: number): Promise<number> {
  try {
    const { countUnsentWork } = await import('./unsent-work');
    return await countUnsentWork(accountId);
  } catch {
    return 1;
  }
}
