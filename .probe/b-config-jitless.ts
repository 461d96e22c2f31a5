import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

(globalThis as any).b = [DynamoDBDocumentClient.from(new DynamoDBClient({})), SecretsManagerClient];

import { config as zconfig } from 'zod/mini';

zconfig({ jitless: true });

import { readFunctionConfig } from '../shared/config';

(globalThis as any).x = readFunctionConfig('schedule-dispatch', {
  CAMPAIGNS_TABLE: 'a',
  DISPATCH_QUEUE_URL: 'https://a.b/c',
  CONTACTS_TABLE: 'c',
  DELIVERIES_TABLE: 'd',
});
