import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages } from 'next-intl/server';
import { listAgencyOptions } from '@/lib/places/gazetteer';
import { pickMessages } from '@/lib/i18n/messages';
import { toLocale } from '@/lib/i18n/config';
import { MapOtherAgencyForm } from './form';

/**
 * For the editor's review page: map a partner's "other" agency (a report_agencies row with
 * agencyId null and an otherName) to an entry of the agency list. A Server Component: it loads the
 * active agencies itself and brings its own messages, so the review page only renders
 * `<MapOtherAgency rowId={row.id} otherName={row.otherName} />` for each unmapped row.
 */
export async function MapOtherAgency({ rowId, otherName }: { rowId: number; otherName: string }) {
  const locale = toLocale(await getLocale());
  const agencies = listAgencyOptions({ locale });
  return (
    <NextIntlClientProvider messages={pickMessages(await getMessages(), ['reference', 'accounts'])}>
      <MapOtherAgencyForm rowId={rowId} otherName={otherName} agencies={agencies} />
    </NextIntlClientProvider>
  );
}
