/**
 * Receptors as Kavenegar reads them. Structural parsing accepts the usual written forms;
 * validity also checks the operator range, as Kavenegar does (it answers 411 otherwise).
 */

const STRUCTURE = /^(?:\+98|0098|98|0)?(9\d{9})$/;

/** Mobile ranges in service: MTN/Rightel 090x, MCI 091x and 099x, Rightel 092x, MTN 093x and 0941. */
const OPERATOR_RANGE = /^09(?:0[0-5]|1\d|2[0-3]|3\d|41|9\d)\d{7}$/;

/** Any common form (`+98912...`, `98912...`, `0912...`, `912...`) to `0912...`; undefined otherwise. */
export function normalizeReceptor(value: string): string | undefined {
  const digits = STRUCTURE.exec(value.replace(/[\s-]/g, ''))?.[1];
  return digits === undefined ? undefined : `0${digits}`;
}

/** The national form when the receptor is a mobile of an existing operator range. */
export function validReceptor(value: string): string | undefined {
  const national = normalizeReceptor(value);
  return national !== undefined && OPERATOR_RANGE.test(national) ? national : undefined;
}
