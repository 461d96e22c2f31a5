import { describe, expect, it } from 'vitest';
import { functions, queues } from '../../../shared/definitions';
import { CLAIM_LEASE_MS, DISPATCH_LEASE_MS, DISPATCH_PAGE_SIZE } from '../../../shared/domain/dispatch';

describe('dispatch and delivery leases', () => {
  it('pages hold whole SMS messages', () => {
    expect(DISPATCH_PAGE_SIZE % queues.sms.recipientsPerMessage).toBe(0);
  });

  it('gives a dispatch page longer than its function may run', () => {
    expect(DISPATCH_LEASE_MS).toBeGreaterThan(functions['queue-dispatch-campaign'].timeoutSeconds * 1000);
  });

  it.each([
    ['sms', 'queue-send-sms'],
    ['email', 'queue-send-email'],
  ] as const)('lets a %s claim outlive its sender and expire before the message returns', (queue, sender) => {
    expect(CLAIM_LEASE_MS).toBeGreaterThan(functions[sender].timeoutSeconds * 1000);
    expect(CLAIM_LEASE_MS).toBeLessThan(queues[queue].visibilityTimeoutSeconds * 1000);
  });
});
