/** Maps every value of a record built from shared/definitions.ts, keeping its keys typed. */
export function mapRecord<K extends string, V, R>(
  record: Readonly<Record<K, V>>,
  map: (value: V, key: K) => R,
): Record<K, R> {
  return Object.fromEntries(
    (Object.entries(record) as [K, V][]).map(([key, value]) => [key, map(value, key)]),
  ) as Record<K, R>;
}
