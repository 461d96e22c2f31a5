import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

(globalThis as any).b = [DynamoDBDocumentClient.from(new DynamoDBClient({})), SecretsManagerClient];

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

(globalThis as any).x = middy().use(injectLambdaContext(new Logger()));
