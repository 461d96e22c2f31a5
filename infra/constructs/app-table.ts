import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** A key attribute: its name and DynamoDB scalar type. */
export interface AppTableKey {
  readonly name: string;
  readonly type: 'S' | 'N';
}

/** A global secondary index. */
export interface AppTableIndex {
  readonly name: string;
  readonly partitionKey: AppTableKey;
  /** @default - no sort key */
  readonly sortKey?: AppTableKey;
  /** @default 'ALL' */
  readonly projection?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** With projection `INCLUDE`: the non-key attributes copied. @default - none */
  readonly include?: readonly string[];
}

export interface AppTableProps {
  /** Partition key of the table. */
  readonly partitionKey: AppTableKey;
  /** @default - no sort key */
  readonly sortKey?: AppTableKey;
  /** @default - no global secondary index */
  readonly indexes?: readonly AppTableIndex[];
  /** Attribute holding an epoch-seconds expiry. @default - items never expire */
  readonly timeToLiveAttribute?: string;
  /**
   * What CloudFormation does with the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN (data outlives a mistaken stack change)
   */
  readonly removalPolicy?: RemovalPolicy;
  /** @default true */
  readonly deletionProtection?: boolean;
}

/**
 * A DynamoDB table with our defaults: on-demand billing, point-in-time recovery,
 * AWS-managed KMS encryption, deletion protection, retained on stack removal, and
 * global secondary indexes that project every attribute unless they ask for keys only (or
 * keys and a few named attributes).
 */
export class AppTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, props: AppTableProps) {
    super(scope, id, {
      partitionKey: toAttribute(props.partitionKey),
      sortKey: props.sortKey && toAttribute(props.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      timeToLiveAttribute: props.timeToLiveAttribute,
    });
    for (const index of props.indexes ?? []) {
      this.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: toAttribute(index.partitionKey),
        sortKey: index.sortKey && toAttribute(index.sortKey),
        projectionType: PROJECTIONS[index.projection ?? 'ALL'],
        ...(index.projection === 'INCLUDE' ? { nonKeyAttributes: [...(index.include ?? [])] } : {}),
      });
    }
  }
}

const PROJECTIONS = {
  ALL: dynamodb.ProjectionType.ALL,
  KEYS_ONLY: dynamodb.ProjectionType.KEYS_ONLY,
  INCLUDE: dynamodb.ProjectionType.INCLUDE,
} as const;

function toAttribute(key: AppTableKey): dynamodb.Attribute {
  return {
    name: key.name,
    type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
  };
}
