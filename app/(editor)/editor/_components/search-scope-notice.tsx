import { getTranslations } from 'next-intl/server';
import type { Actor } from '@/lib/accounts/actor';
import { describeSearchScope } from '@/lib/review/queue';
import { SEARCH_SCOPE_SIZE } from '@/lib/review/search';
import type { QueueFilters } from '@/lib/review/schema';

/**
 * Above the queue, when a search left reports out of its scope (lib/review/search.ts): more reports
 * hold the words than one search looks at, or every word is too short for the index. Says what was
 * searched and how to reach the rest (another word, or a longer one). Nothing otherwise.
 */
export async function SearchScopeNotice({ actor, filters }: { actor: Actor; filters: QueueFilters }) {
  const notice = describeSearchScope({ actor, filters });
  if (!notice) return null;
  const t = await getTranslations('review.queue.searchScope');
  return (
    <p className="notice warn" role="status" id="search-scope">
      {t(notice, { count: SEARCH_SCOPE_SIZE })}
    </p>
  );
}
