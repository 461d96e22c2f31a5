import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

(globalThis as any).b = [DynamoDBDocumentClient.from(new DynamoDBClient({})), SecretsManagerClient];
