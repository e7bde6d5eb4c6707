/**
 * Message keys of the report form. Validation never returns English text: it returns these i18n
 * keys, whose English and Korean texts live in lib/i18n/messages/{en,ko}/report.json under
 * "errors". Some texts carry ICU placeholders ({max}, {min}); their values are static and come from
 * {@link reportMessageValues}, so a page renders any key with `t(key, reportMessageValues(key))`.
 */
import { REPORT_LIMITS } from './limits';

/** The last segment of every report error key, e.g. 'titleTooLong' for 'report.errors.titleTooLong'. */
export const REPORT_ERROR_NAMES = [
  // form-wide
  'invalidValue',
  'unknownField',
  'fieldNotAllowed',
  'invalidCharacters',
  'clientIdInvalid',
  'fixFields',
  // when
  'observedFromRequired',
  'observedToRequired',
  'dateTimeInvalid',
  'timeZoneRequired',
  'timeZoneInvalid',
  'timeChoiceInvalid',
  'timeNoteTooLong',
  'timeInGap',
  'timeAmbiguous',
  'timeInFuture',
  'toBeforeFrom',
  // where
  'placeRequired',
  'placeInvalid',
  'placeDetailTooLong',
  'placePrecisionRequired',
  'placePrecisionInvalid',
  // what
  'titleRequired',
  'titleTooLong',
  'narrativeRequired',
  'narrativeTooLong',
  'sourceTypeRequired',
  'sourceTypeInvalid',
  'safetyNoteTooLong',
  // rows, shared
  'directionRequired',
  'directionInvalid',
  // vehicle sightings
  'tooManyVehicles',
  'vehicleTypeRequired',
  'vehicleTypeInvalid',
  'countRequired',
  'countNotWholeNumber',
  'countOutOfRange',
  'coloursTooLong',
  'cargoTooLong',
  // goods
  'tooManyGoods',
  'categoryRequired',
  'categoryInvalid',
  'goodsDescriptionTooLong',
  'quantityInvalid',
  'quantityWithoutUnit',
  'unitTooLong',
  'unitWithoutQuantity',
  'valueInvalid',
  'valueWithoutCurrency',
  'currencyInvalid',
  'currencyWithoutValue',
  // agencies
  'tooManyAgencies',
  'agencyRequired',
  'agencyInvalid',
  'otherNameRequired',
  'otherNameTooLong',
  'otherNameOnlyForOther',
  'agencyRoleRequired',
  'agencyRoleInvalid',
  'agencyNoteTooLong',
  // the HTML form's FormData (form-data.ts)
  'forbiddenFieldName',
  'rowIndexInvalid',
  'rowIndexOutOfRange',
  'duplicateField',
  'tooManyFields',
  'valueTooLarge',
  'fileNotAllowed',
  'invalidIntent',
] as const;

export type ReportErrorName = (typeof REPORT_ERROR_NAMES)[number];

/** An i18n key such as 'report.errors.titleTooLong'. */
export type ReportMessageKey = `report.errors.${ReportErrorName}`;

/** The i18n key for an error name: `reportMessage('titleTooLong')` → 'report.errors.titleTooLong'. */
export function reportMessage(name: ReportErrorName): ReportMessageKey {
  return `report.errors.${name}`;
}

const REPORT_ERROR_NAME_SET: ReadonlySet<string> = new Set(REPORT_ERROR_NAMES);

/** True when `value` is one of this module's keys (used to keep zod's English defaults out). */
export function isReportMessageKey(value: unknown): value is ReportMessageKey {
  return (
    typeof value === 'string' &&
    value.startsWith('report.errors.') &&
    REPORT_ERROR_NAME_SET.has(value.slice('report.errors.'.length))
  );
}

const L = REPORT_LIMITS;

const MESSAGE_VALUES: Partial<Record<ReportErrorName, Record<string, number>>> = {
  timeNoteTooLong: { max: L.timeNoteMaxChars },
  placeDetailTooLong: { max: L.placeDetailMaxChars },
  titleTooLong: { max: L.titleMaxChars },
  narrativeTooLong: { max: L.narrativeMaxChars },
  safetyNoteTooLong: { max: L.safetyNoteMaxChars },
  tooManyVehicles: { max: L.vehicleRowsMax },
  countOutOfRange: { min: L.countMin, max: L.countMax },
  coloursTooLong: { max: L.coloursMaxChars },
  cargoTooLong: { max: L.cargoMaxChars },
  tooManyGoods: { max: L.goodsRowsMax },
  goodsDescriptionTooLong: { max: L.goodsDescriptionMaxChars },
  quantityInvalid: { max: L.amountMax },
  unitTooLong: { max: L.unitMaxChars },
  valueInvalid: { max: L.amountMax },
  tooManyAgencies: { max: L.agencyRowsMax },
  otherNameTooLong: { max: L.otherAgencyNameMaxChars },
  agencyNoteTooLong: { max: L.agencyNoteMaxChars },
  tooManyFields: { max: L.formFieldsMax },
  valueTooLarge: { maxKb: L.formValueMaxBytes / 1024 },
};

/**
 * The ICU placeholder values a message needs, e.g. `{ max: 120 }` for 'report.errors.titleTooLong';
 * `{}` for messages without placeholders. Values are numbers; format them per locale in the page.
 */
export function reportMessageValues(key: ReportMessageKey): Record<string, number> {
  const name = key.slice('report.errors.'.length) as ReportErrorName;
  return MESSAGE_VALUES[name] ?? {};
}
