import { describe, expect, it } from 'vitest';
import { FIRST_TOKEN_KEY_ID } from '../../infra/stacks/data-stack';
import {
  type IndexDefinition,
  type SecretName,
  secrets,
  type TableName,
  tables,
} from '../../shared/definitions';
import { synthChapar } from './support/chapar-app';
import { logicalIdOf, resourceOf, resourcesOfType } from './support/resources';

const { stacks, data } = synthChapar();

describe('data stack: tables', () => {
  it('has exactly one table per definition', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', Object.keys(tables).length);
  });

  describe.each(Object.entries(tables) as [TableName, (typeof tables)[TableName]][])(
    '%s',
    (name, definition) => {
      const table = resourceOf(data, stacks.data.tables[name]);
      const props = table.Properties;

      it('has the defined keys and attribute types', () => {
        const sortKey = 'sortKey' in definition ? definition.sortKey : undefined;
        expect(props.KeySchema).toEqual([
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
        ]);
        const types = Object.fromEntries(
          (props.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]).map((a) => [
            a.AttributeName,
            a.AttributeType,
          ]),
        );
        const indexes: readonly IndexDefinition[] = definition.indexes;
        const keys = [
          definition.partitionKey,
          sortKey,
          ...indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
        ];
        for (const key of keys) if (key) expect(types[key.name]).toBe(key.type);
      });

      it('has the defined global secondary indexes, with their projections', () => {
        const indexes: readonly IndexDefinition[] = definition.indexes;
        expect(props.GlobalSecondaryIndexes ?? []).toEqual(
          indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
            ],
            Projection: {
              ProjectionType: index.projection ?? 'ALL',
              ...(index.projection === 'INCLUDE' ? { NonKeyAttributes: index.include } : {}),
            },
          })),
        );
      });

      it('is on-demand, recoverable to a point in time, encrypted, protected and retained', () => {
        expect(props.BillingMode).toBe('PAY_PER_REQUEST');
        expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        // SSEEnabled true without a key id is the AWS-managed key (aws/dynamodb).
        expect(props.SSESpecification).toEqual({ SSEEnabled: true });
        expect(props.DeletionProtectionEnabled).toBe(true);
        expect(table.DeletionPolicy).toBe('Retain');
        expect(table.UpdateReplacePolicy).toBe('Retain');
      });

      it('expires items only where a TTL attribute is defined', () => {
        const ttl = 'timeToLiveAttribute' in definition ? definition.timeToLiveAttribute : undefined;
        expect(props.TimeToLiveSpecification).toEqual(
          ttl ? { AttributeName: ttl, Enabled: true } : undefined,
        );
      });
    },
  );
});

describe('data stack: the deliveries ledger', () => {
  const deliveries = resourceOf(data, stacks.data.tables.deliveries).Properties;
  const campaigns = resourceOf(data, stacks.data.tables.campaigns).Properties;

  it('expires delivery and attempt records on expiresAt, and counted records beside the campaigns', () => {
    expect(deliveries.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(campaigns.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('keys deliveries by contact and holds no index, so no ledger write pays for one', () => {
    expect(deliveries.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(deliveries.GlobalSecondaryIndexes ?? []).toEqual([]);
  });

  it('finds contacts by phone through a keys-only index, as spoof verdicts ask', () => {
    const contacts = resourceOf(data, stacks.data.tables.contacts).Properties;
    const indexes = contacts.GlobalSecondaryIndexes as { IndexName: string }[];
    expect(indexes.find((index) => index.IndexName === 'byPhone')).toMatchObject({
      KeySchema: [{ AttributeName: 'phone', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });
});

describe('data stack: secrets', () => {
  const secretOf = (name: SecretName) => resourceOf(data, stacks.data.secrets[name]).Properties;

  it('creates every defined secret under its defined name', () => {
    for (const [name, definition] of Object.entries(secrets) as [
      SecretName,
      (typeof secrets)[SecretName],
    ][]) {
      expect(secretOf(name).Name).toBe(definition.name);
    }
  });

  it.each(['apiKey', 'webhookSecret'] as const)('generates %s without punctuation', (name) => {
    expect(secretOf(name).GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
    expect(secretOf(name).SecretString).toBeUndefined();
  });

  it('builds the token keyring from a generated seed, by reference only', () => {
    const seedId = logicalIdOf(stacks.data.tokenKeySeed);
    expect(resourceOf(data, stacks.data.tokenKeySeed).Properties.GenerateSecretString).toMatchObject({
      ExcludePunctuation: true,
    });
    const [separator, parts] = (secretOf('tokenKeys').SecretString as { 'Fn::Join': [string, unknown[]] })[
      'Fn::Join'
    ];
    const json = parts
      .map((part) =>
        typeof part === 'string' ? part : JSON.stringify(part) === `{"Ref":"${seedId}"}` ? 'SEED_ARN' : '?',
      )
      .join(separator);
    expect(JSON.parse(json)).toEqual({
      current: FIRST_TOKEN_KEY_ID,
      keys: { [FIRST_TOKEN_KEY_ID]: '{{resolve:secretsmanager:SEED_ARN:SecretString:::}}' },
    });
  });

  it('leaves the Kavenegar key as a placeholder for the operator', () => {
    expect(secretOf('kavenegarApiKey').SecretString).toBe('SET-ME-AFTER-DEPLOY');
  });

  it('holds no other secret', () => {
    expect(Object.keys(resourcesOfType(data, 'AWS::SecretsManager::Secret'))).toHaveLength(
      Object.keys(secrets).length + 1,
    );
  });
});
