import { requireArea } from '@/lib/auth/session';
import './editor.css';

/** Editor area: every page below also checks for itself; the data layer checks the role. */
export default async function EditorLayout({ children }: { children: React.ReactNode }) {
  await requireArea('editor');
  return children;
}
