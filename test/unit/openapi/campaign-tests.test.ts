import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routes } from '../../../shared/definitions/routes';
import { campaignTestOperations } from '../../../shared/openapi/operations/campaign-tests';
import { campaignCostSchema, creditRefusalSchema } from '../../../shared/openapi/schemas/campaigns';

describe('campaign-tests operations', () => {
  it('describe routes that exist, with examples valid against their schemas', () => {
    for (const operation of campaignTestOperations) {
      // Assess
      expect(routes.some((route) => route.method === operation.method && route.path === operation.path)).toBe(
        true,
      );
      if (operation.request?.schema)
        expect(z.safeParse(operation.request.schema, operation.request.example).success).toBe(true);
      for (const response of Object.values(operation.responses))
        if (response.schema) expect(z.safeParse(response.schema, response.example).success).toBe(true);
    }
  });

  it('shape the preview cost and the credit refusal as the API answers them', () => {
    // Assess
    expect(
      z.safeParse(campaignCostSchema, {
        sms: { recipients: 3, segments: 3, rial: 3_600 },
        creditRial: null,
        enough: null,
        warning: 'x',
      }).success,
    ).toBe(true);
    expect(
      z.safeParse(creditRefusalSchema, {
        message: 'too dear',
        cost: { recipients: 3, segments: 3, rial: 3_600 },
        creditRial: 3_000,
      }).success,
    ).toBe(true);
  });
});
