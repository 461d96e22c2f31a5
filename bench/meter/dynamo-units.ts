/**
 * DynamoDB capacity as on-demand tables bill it, computed from item sizes, because DynamoDB
 * Local's ConsumedCapacity under-reports (it ignores index writes, and the functions do not
 * even ask for it). The correction, per item:
 *
 * - a write costs ceil(max(size before, size after) / 1 KB) write units (at least 1), and a
 *   write whose condition fails still costs what the item it tested weighs;
 * - each global secondary index whose keys the item has costs one more write of the projected
 *   item (KEYS_ONLY: the keys only), two when the write moves the item to another index key,
 *   none when the index's keys and projected attributes did not change;
 * - writes inside TransactWriteItems cost double on the table (index writes at the standard
 *   rate), a ConditionCheck counts as a transactional write of the item it tests;
 * - reads cost ceil(total size / 4 KB) read units per Query or Scan page, per item for
 *   GetItem and BatchGetItem; half when eventually consistent, double in TransactGetItems.
 *
 * The sizes come from reading the item just before and just after each write through an
 * uncounted client: exact for one writer, close for counter shards that many update at once.
 * Query and Scan pages are sized by the items they return (a filter's discarded items are not
 * seen, so reads behind a FilterExpression are under-counted).
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type TableDefinition, tables } from '../../shared/definitions';
import { leaveUncounted, observeSdk, type SdkRequest } from './sdk-counter';

type Value = Record<string, unknown>;
type Item = Record<string, Value>;

/** Capacity units of the DynamoDB requests made in one scope. */
export interface Capacity {
  writeUnits: number;
  readUnits: number;
}

const KB = 1024;

/** Bytes of an item as DynamoDB sizes it: attribute names plus values. */
export function itemSize(item: Item | undefined): number {
  if (item === undefined) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: Value): number {
  const [type, content] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(content as string);
    case 'N':
      return numberSize(content as string);
    case 'B':
      return Buffer.from(content as string, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (content as string[]).reduce((sum, s) => sum + Buffer.byteLength(s), 0);
    case 'NS':
      return (content as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'L':
      return 3 + (content as Value[]).reduce((sum, element) => sum + 1 + valueSize(element), 0);
    case 'M':
      return (
        3 +
        Object.entries(content as Item).reduce(
          (sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueSize(element),
          0,
        )
      );
    default:
      return 0;
  }
}

/** About one byte per two significant digits, plus one. */
function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace(/\./, '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Write units of one item written to `table`, before and after images as DynamoDB saw them. */
export function writeUnits(
  table: TableDefinition | undefined,
  before: Item | undefined,
  after: Item | undefined,
  transactional: boolean,
): number {
  const base = Math.max(1, Math.ceil(Math.max(itemSize(before), itemSize(after)) / KB));
  let units = transactional ? 2 * base : base;
  for (const index of table?.indexes ?? []) {
    const keys = [index.partitionKey.name, index.sortKey?.name].filter((k): k is string => k !== undefined);
    const tableKeys = [table?.partitionKey.name, table?.sortKey?.name].filter((k): k is string => !!k);
    const project = (item: Item | undefined): Item | undefined => {
      if (item === undefined || keys.some((key) => item[key] === undefined)) return undefined;
      if (index.projection !== 'KEYS_ONLY') return item;
      return Object.fromEntries([...keys, ...tableKeys].map((key) => [key, item[key] as Value]));
    };
    const old = project(before);
    const next = project(after);
    if (old === undefined && next === undefined) continue;
    const indexUnits = (item: Item | undefined) => Math.max(1, Math.ceil(itemSize(item) / KB));
    if (old === undefined || next === undefined) units += indexUnits(old ?? next);
    else if (keys.some((key) => JSON.stringify(old[key]) !== JSON.stringify(next[key])))
      units += indexUnits(old) + indexUnits(next);
    else if (JSON.stringify(old) !== JSON.stringify(next))
      units += Math.max(indexUnits(old), indexUnits(next));
  }
  return units;
}

/** Read units of `items` read in one request (a page, or one item). */
export function readUnits(
  items: readonly (Item | undefined)[],
  consistency: 'eventual' | 'strong' | 'transactional',
): number {
  const size = items.reduce((sum, item) => sum + itemSize(item), 0);
  const units = Math.max(1, Math.ceil(size / (4 * KB)));
  return consistency === 'eventual' ? units / 2 : consistency === 'transactional' ? units * 2 : units;
}

const byName = new Map<string, TableDefinition>(Object.values(tables).map((table) => [table.id, table]));

/** A write of one item that the model weighs. */
interface ItemWrite {
  readonly table: string;
  readonly key: Item;
  /** The item a Put writes (known before the write); otherwise read after it. */
  readonly put?: Item;
  readonly remove?: boolean;
  readonly transactional: boolean;
}

/** Capacity by scope since the last reset. */
const capacity = new Map<string, Capacity>();

export function dynamoCapacity(): ReadonlyMap<string, Capacity> {
  return capacity;
}

/** Write units by function scope and table (`<scope> <table>`) since the last reset. */
const tableWrites = new Map<string, number>();

export function dynamoWritesByTable(): ReadonlyMap<string, number> {
  return tableWrites;
}

export function resetDynamoCapacity(): void {
  capacity.clear();
  tableWrites.clear();
}

function addTableWrite(scope: string, table: string, units: number): void {
  const key = `${scope} ${table}`;
  tableWrites.set(key, (tableWrites.get(key) ?? 0) + units);
}

function add(scope: string, units: Partial<Capacity>): void {
  const current = capacity.get(scope) ?? { writeUnits: 0, readUnits: 0 };
  current.writeUnits += units.writeUnits ?? 0;
  current.readUnits += units.readUnits ?? 0;
  capacity.set(scope, current);
}

/**
 * Starts weighing every counted DynamoDB request; `endpoint` is DynamoDB Local's, read through
 * a client of the bench's own that the counter leaves out. Returns that client to destroy.
 */
export function installDynamoCapacityModel(endpoint: string, region: string): DynamoDBClient {
  const reader = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  leaveUncounted(reader as never);
  const read = async (table: string, key: Item): Promise<Item | undefined> => {
    const answer = await reader.send(
      new GetItemCommand({ TableName: table, Key: key as never, ConsistentRead: true }),
    );
    return answer.Item as Item | undefined;
  };
  const keyOf = (table: string, item: Item): Item => {
    const definition = byName.get(table);
    const names = [definition?.partitionKey.name, definition?.sortKey?.name].filter((n): n is string => !!n);
    return Object.fromEntries(names.map((name) => [name, item[name] as Value]));
  };

  observeSdk(async (request) => {
    if (request.service !== 'DynamoDB' || request.input === undefined) return undefined;
    const writes = itemWrites(request.command, request.input, keyOf);
    if (writes.length === 0) {
      return async (answered: SdkRequest) => {
        if (!answered.failed) add(answered.scope, { readUnits: readUnitsOf(answered) });
      };
    }
    const before = await Promise.all(writes.map((write) => read(write.table, write.key)));
    return async (answered: SdkRequest) => {
      const unprocessed = JSON.stringify(answered.output?.UnprocessedItems ?? {});
      let units = 0;
      for (const [i, write] of writes.entries()) {
        if (request.command === 'BatchWriteItem' && unprocessed.includes(JSON.stringify(write.key))) continue;
        const old = before[i];
        if (answered.failed) {
          // A failed condition (or a cancelled transaction) still pays for the item it tested.
          const paid = writeUnits(undefined, old, undefined, write.transactional);
          units += paid;
          addTableWrite(answered.scope, write.table, paid);
          continue;
        }
        const after = write.remove ? undefined : (write.put ?? (await read(write.table, write.key)));
        const paid = writeUnits(byName.get(write.table), old, after, write.transactional);
        units += paid;
        addTableWrite(answered.scope, write.table, paid);
      }
      add(answered.scope, { writeUnits: units });
    };
  });
  return reader;
}

function itemWrites(
  command: string,
  input: Record<string, unknown>,
  keyOf: (table: string, item: Item) => Item,
): ItemWrite[] {
  const table = input.TableName as string;
  switch (command) {
    case 'PutItem':
      return [
        { table, key: keyOf(table, input.Item as Item), put: input.Item as Item, transactional: false },
      ];
    case 'UpdateItem':
      return [{ table, key: input.Key as Item, transactional: false }];
    case 'DeleteItem':
      return [{ table, key: input.Key as Item, remove: true, transactional: false }];
    case 'BatchWriteItem':
      return Object.entries(
        input.RequestItems as Record<string, Record<string, { Item?: Item; Key?: Item }>[]>,
      ).flatMap(([name, requests]) =>
        requests.map((entry) =>
          entry.PutRequest?.Item
            ? {
                table: name,
                key: keyOf(name, entry.PutRequest.Item),
                put: entry.PutRequest.Item,
                transactional: false,
              }
            : { table: name, key: entry.DeleteRequest?.Key ?? {}, remove: true, transactional: false },
        ),
      );
    case 'TransactWriteItems':
      return (input.TransactItems as Record<string, { TableName: string; Item?: Item; Key?: Item }>[]).map(
        (entry) => {
          if (entry.Put) {
            const put = entry.Put;
            return {
              table: put.TableName,
              key: keyOf(put.TableName, put.Item ?? {}),
              put: put.Item,
              transactional: true,
            };
          }
          if (entry.Delete)
            return {
              table: entry.Delete.TableName,
              key: entry.Delete.Key ?? {},
              remove: true,
              transactional: true,
            };
          const other = (entry.Update ?? entry.ConditionCheck) as { TableName: string; Key?: Item };
          // A ConditionCheck leaves the item as it was: its after-image is its before-image.
          return { table: other.TableName, key: other.Key ?? {}, transactional: true };
        },
      );
    default:
      return [];
  }
}

function readUnitsOf(request: SdkRequest): number {
  const input = request.input ?? {};
  const output = request.output ?? {};
  const consistency = input.ConsistentRead === true ? 'strong' : 'eventual';
  switch (request.command) {
    case 'GetItem':
      return readUnits([output.Item as Item | undefined], consistency);
    case 'Query':
    case 'Scan':
      return readUnits((output.Items as Item[] | undefined) ?? [], consistency);
    case 'BatchGetItem':
      return Object.values((output.Responses as Record<string, Item[]> | undefined) ?? {})
        .flat()
        .reduce((sum, item) => sum + readUnits([item], 'eventual'), 0);
    case 'TransactGetItems':
      return ((output.Responses as { Item?: Item }[] | undefined) ?? []).reduce(
        (sum, response) => sum + readUnits([response.Item], 'transactional'),
        0,
      );
    default:
      return 0;
  }
}
