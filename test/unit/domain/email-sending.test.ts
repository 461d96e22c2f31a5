import { describe, expect, it } from 'vitest';
import {
  accountStop,
  REPUTATION_LIMITS,
  reputationLimitsFor,
  reputationTrip,
  sendRatePerSecond,
} from '../../../shared/domain/email-sending';

describe('reputationTrip', () => {
  it('trips past 2.5 % bounces with the figures', () => {
    // Act
    const reason = reputationTrip({ sent: 512, bounced: 16, complained: 0 });

    // Assess
    expect(reason).toBe('reputation: bounce 3.1 % (16/512)');
  });

  it('shows one more decimal when one would not show the rate past the limit', () => {
    // Act
    const reason = reputationTrip({ sent: 516, bounced: 13, complained: 0 });

    // Assess
    expect(reason).toBe('reputation: bounce 2.52 % (13/516)');
  });

  it('trips past 0.08 % complaints with the figures', () => {
    // Act
    const reason = reputationTrip({ sent: 1000, bounced: 0, complained: 1 });

    // Assess
    expect(reason).toBe('reputation: complaint 0.10 % (1/1000)');
  });

  it.each([
    ['at exactly 2.5 % bounces', { sent: 1000, bounced: 25, complained: 0 }],
    ['at exactly 0.08 % complaints', { sent: 10_000, bounced: 0, complained: 8 }],
    ['before 500 sends, whatever the rates', { sent: 499, bounced: 200, complained: 50 }],
    ['with nothing sent', { sent: 0, bounced: 3, complained: 1 }],
  ])('stays closed %s', (_, stats) => {
    // Act
    const reason = reputationTrip(stats);

    // Assess
    expect(reason).toBeUndefined();
  });

  it('holds a resumed campaign (a later round) to SES’s own review thresholds', () => {
    // Prepare
    const stats = { sent: 1000, bounced: 40, complained: 0 };

    // Act
    const first = reputationTrip(stats, reputationLimitsFor(1));
    const resumed = reputationTrip(stats, reputationLimitsFor(2));
    const worse = reputationTrip({ ...stats, bounced: 51 }, reputationLimitsFor(2));

    // Assess
    expect(first).toBe('reputation: bounce 4.0 % (40/1000)');
    expect(resumed).toBeUndefined();
    expect(worse).toBe('reputation: bounce 5.1 % (51/1000)');
    expect(reputationLimitsFor(undefined)).toBe(REPUTATION_LIMITS);
  });
});

describe('accountStop', () => {
  it('pauses on sending disabled, and as suspended on SHUTDOWN', () => {
    // Act
    const paused = accountStop({ maxSendRate: 14, sendingEnabled: false, enforcementStatus: 'HEALTHY' });
    const shutDown = accountStop({ maxSendRate: 14, sendingEnabled: false, enforcementStatus: 'SHUTDOWN' });
    const healthy = accountStop({ maxSendRate: 14, sendingEnabled: true, enforcementStatus: 'PROBATION' });

    // Assess
    expect(paused).toBe('ses_sending_paused: GetAccount SendingEnabled false');
    expect(shutDown).toBe('ses_account_suspended: GetAccount EnforcementStatus SHUTDOWN');
    expect(healthy).toBeUndefined();
  });
});

describe('sendRatePerSecond', () => {
  it('grants whole recipients, at least one (the sandbox has 1/s, some accounts fractions)', () => {
    // Act, Assess
    expect(sendRatePerSecond({ maxSendRate: 14, sendingEnabled: true })).toBe(14);
    expect(sendRatePerSecond({ maxSendRate: 0.5, sendingEnabled: true })).toBe(1);
    expect(sendRatePerSecond({ maxSendRate: 50.9, sendingEnabled: true })).toBe(50);
  });
});
