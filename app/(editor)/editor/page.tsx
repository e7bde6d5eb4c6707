import { requireArea } from '@/lib/auth/session';

/** The moderation queue: the editor's home. */
export default async function QueuePage() {
  await requireArea('editor');
  return <h1>Moderation queue</h1>;
}
