import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
(globalThis as any).b = [DynamoDBDocumentClient.from(new DynamoDBClient({})), SecretsManagerClient];
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Logger } from '@aws-lambda-powertools/logger';
(globalThis as any).x = middy().use(injectLambdaContext(new Logger()));
