/**
 * A partner's post in a process of its own, for lib/reports/submit.test.ts's parallel posts: it
 * opens the database in DATA_DIR (key from FIELD_REPORTS_KEY_FILE) on its own connection, says
 * 'ready', waits for 'go', calls submitReport once and sends back the result. Started by
 * {@link submitInParallel} under `node --import tsx --conditions=react-server` (the data layer is
 * server-only); never imported by the app.
 */
import { closeDatabase, getSqlite } from '@/db/client';
import { submitReport } from '@/lib/reports/submit';

type Go = { actor: { id: number; role: 'partner' }; values: unknown; now: number };

getSqlite();
process.once('message', (go: Go) => {
  const result = submitReport(go);
  closeDatabase();
  process.send!(result, () => process.disconnect());
});
process.send!('ready');
