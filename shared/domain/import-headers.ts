/**
 * Which column of an imported file holds what: headers in English or Persian, recognised
 * with case, spacing, underscores, dashes, ZWNJ and Arabic letter forms ignored, or named
 * explicitly by the request's `mapping`. Every other column becomes an attribute.
 */

/** The contact fields a column can fill. */
export const IMPORT_FIELDS = ['id', 'phone', 'email', 'name', 'locale'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** The request's explicit choice of column per field, by header as written in the file. */
export type ImportMapping = Partial<Record<ImportField, string>>;

/** Headers each field is recognised by, as people write them. */
export const HEADER_SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  id: ['id', 'contactId', 'contact id', 'customer_id', 'customer id', 'customerId', 'شناسه', 'کد مشتری'],
  phone: [
    'phone',
    'mobile',
    'phone number',
    'mobile number',
    'cell',
    'cellphone',
    'موبایل',
    'شماره موبایل',
    'تلفن همراه',
    'شماره همراه',
    'شماره تلفن همراه',
    'همراه',
  ],
  email: ['email', 'e-mail', 'email address', 'mail', 'ایمیل', 'پست الکترونیک', 'پست الکترونیکی', 'رایانامه'],
  name: ['name', 'full name', 'fullname', 'نام', 'نام و نام خانوادگی', 'نام کامل'],
  locale: ['locale', 'language', 'lang', 'زبان'],
};

/**
 * A header reduced to what recognition compares: lower case, Latin digits, Persian letter
 * forms for Arabic ones (ي ى → ی, ك → ک, ة → ه), and no spaces, underscores, dashes, dots,
 * ZWNJ or bidi marks.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ة/g, 'ه')
    .replace(/\u200d|[\s_\-.\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '');
}

const FIELD_BY_KEY: ReadonlyMap<string, ImportField> = new Map(
  IMPORT_FIELDS.flatMap((field) => HEADER_SYNONYMS[field].map((synonym) => [headerKey(synonym), field])),
);

/** The field a header names, if it is one of the recognised headers. */
export function recogniseHeader(header: string): ImportField | undefined {
  return FIELD_BY_KEY.get(headerKey(header));
}

/** Attribute names: the header trimmed, runs of spaces as `_`, at most 64 characters. */
export function attributeName(header: string): string {
  return header
    .normalize('NFC')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .trim()
    .replace(/\s+/g, '_');
}

/** At most this many attribute columns, as PUT /v1/contacts allows attributes. */
export const MAX_ATTRIBUTE_COLUMNS = 50;
const MAX_ATTRIBUTE_NAME = 64;

/** Where each field and attribute is read from: 0-based column indexes. */
export interface ColumnPlan {
  readonly fields: Partial<Record<ImportField, number>>;
  readonly attributes: readonly { readonly index: number; readonly name: string }[];
  /** The headers as written, for error reports. */
  readonly headers: readonly string[];
}

export type ColumnPlanResult =
  | { readonly ok: true; readonly plan: ColumnPlan }
  | { readonly ok: false; readonly reason: string };

/**
 * Plans the columns of a file from its header row: the mapping first, then recognition, the
 * first column winning when two name the same field. Fails when no column holds a phone or
 * an email, a mapped header is missing, or the attribute columns are too many or unnamed.
 */
export function planColumns(headers: readonly string[], mapping: ImportMapping = {}): ColumnPlanResult {
  const written = headers.map((header) => header.trim());
  const fields: Partial<Record<ImportField, number>> = {};
  const taken = new Set<number>();
  for (const field of IMPORT_FIELDS) {
    const wanted = mapping[field];
    if (wanted === undefined) continue;
    const index = written.findIndex((header) => headerKey(header) === headerKey(wanted));
    if (index < 0)
      return {
        ok: false,
        reason: `the mapping names column "${wanted}" for ${field}, which the file does not have`,
      };
    if (taken.has(index)) return { ok: false, reason: `the mapping names column "${wanted}" for two fields` };
    fields[field] = index;
    taken.add(index);
  }
  written.forEach((header, index) => {
    if (taken.has(index)) return;
    const field = recogniseHeader(header);
    if (field && fields[field] === undefined && mapping[field] === undefined) {
      fields[field] = index;
      taken.add(index);
    }
  });
  if (fields.phone === undefined && fields.email === undefined) {
    return {
      ok: false,
      reason: `no phone or email column: the header row has ${written.map((h) => `"${h}"`).join(', ') || 'no columns'}; name one phone/mobile/موبایل or email/ایمیل, or give a mapping`,
    };
  }
  const attributes: { index: number; name: string }[] = [];
  const names = new Set<string>();
  for (const [index, header] of written.entries()) {
    if (taken.has(index)) continue;
    const name = attributeName(header);
    if (name === '') continue;
    if (name.length > MAX_ATTRIBUTE_NAME)
      return {
        ok: false,
        reason: `column "${header}" has a header longer than ${MAX_ATTRIBUTE_NAME} characters`,
      };
    if (names.has(name)) return { ok: false, reason: `two columns are named "${header}"` };
    names.add(name);
    attributes.push({ index, name });
  }
  if (attributes.length > MAX_ATTRIBUTE_COLUMNS) {
    return {
      ok: false,
      reason: `${attributes.length} attribute columns; a contact holds at most ${MAX_ATTRIBUTE_COLUMNS}`,
    };
  }
  return { ok: true, plan: { fields, attributes, headers: written } };
}
