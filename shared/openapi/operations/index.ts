/**
 * Every area's operations, imported explicitly so a bundler sees each file. An area adds its
 * `shared/openapi/operations/<area>.ts` here; a test checks each route has exactly one operation.
 */
import type { OperationDoc } from '../types';
import { audienceOperations } from './audiences';
import { authOperations } from './auth';
import { campaignTestOperations } from './campaign-tests';
import { campaignOperations } from './campaigns';
import { contactOperations } from './contacts';
import { docsOperations } from './docs';
import { importOperations } from './imports';
import { insightsOperations } from './insights';
import { messageOperations } from './messages';
import { publicOperations } from './public';
import { settingsOperations } from './settings';
import { templateOperations } from './templates';

/** The operations of each area, by file. */
export const operationsByArea: Readonly<Record<string, readonly OperationDoc[]>> = {
  contacts: contactOperations,
  audiences: audienceOperations,
  campaigns: campaignOperations,
  imports: importOperations,
  public: publicOperations,
  docs: docsOperations,
  templates: templateOperations,
  insights: insightsOperations,
  auth: authOperations,
  settings: settingsOperations,
  campaignTests: campaignTestOperations,
  messages: messageOperations,
};

/** Every operation of the HTTP API. */
export const operations: readonly OperationDoc[] = Object.values(operationsByArea).flat();
