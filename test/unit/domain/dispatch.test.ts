import { describe, expect, it } from 'vitest';
import { functions, queues } from '../../../shared/definitions';
import {
  CLAIM_LEASE_MS,
  DISPATCH_LEASE_MS,
  DISPATCH_PAGE_SIZE,
  DISPATCH_SCAN_SEGMENTS,
  type DispatchUnitState,
  dispatchTotals,
  MAX_DISPATCH_UNITS,
  roundDispatched,
  unitsToRun,
} from '../../../shared/domain/dispatch';

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

describe('dispatch units', () => {
  const NOW = new Date('2025-06-01T10:00:00.000Z');
  const unit = (index: number, fields: Partial<DispatchUnitState> = {}): DispatchUnitState => ({
    unit: index,
    cursor: 'k',
    done: false,
    added: 0,
    segments: 0,
    ...fields,
  });

  it('runs units not started and unfinished units whose lease ran out, from their cursor', () => {
    const states = [
      unit(0, { done: true, cursor: null }),
      unit(1, { leaseUntil: '2025-06-01T10:00:30.000Z' }),
      unit(2, { leaseUntil: '2025-06-01T09:59:59.000Z', cursor: 'p2' }),
    ];

    expect(unitsToRun(4, states, NOW)).toEqual([
      { unit: 2, cursor: 'p2' },
      { unit: 3, cursor: null },
    ]);
  });

  it('calls a round dispatched only when every unit finished', () => {
    expect(roundDispatched(2, [unit(0, { done: true }), unit(1, { done: true })])).toBe(true);
    expect(roundDispatched(3, [unit(0, { done: true }), unit(1, { done: true })])).toBe(false);
    expect(roundDispatched(2, [unit(0, { done: true }), unit(1)])).toBe(false);
  });

  it('takes the totals of the round that enqueued the most, never a sum of rounds', () => {
    const totals = dispatchTotals([
      { round: 1, added: 600, segments: 900 },
      { round: 2, added: 700, segments: 1000 },
      { round: 2, added: 300, segments: 400 },
      { round: 3, added: 200, segments: 200 },
    ]);

    expect(totals).toEqual({ total: 1000, segments: 1400 });
    expect(dispatchTotals([])).toEqual({ total: 0, segments: 0 });
  });

  it('lets the dispatch queue run every scan segment at once', () => {
    expect(queues.dispatch.maximumConcurrency).toBeGreaterThanOrEqual(DISPATCH_SCAN_SEGMENTS);
    expect(DISPATCH_SCAN_SEGMENTS).toBeLessThanOrEqual(MAX_DISPATCH_UNITS);
  });
});
