import { describe, expect, it } from 'vitest';
import { platformFacts } from '../../../shared/domain/platform-facts';
import { parseQuietHours } from '../../../shared/domain/quiet-hours';

const base = {
  smsSender: '50004001051233',
  smsRate: 100,
  transactionalShare: 0.2,
  fromEmail: 'news@brand.example',
};

describe('platformFacts', () => {
  it('names the quiet-hours window and whether it is in force in Tehran now', () => {
    // 20:00 UTC is 23:30 in Tehran: inside 22:00-08:00
    const night = platformFacts(
      { ...base, quietHours: parseQuietHours('22:00-08:00') },
      new Date('2026-12-02T20:00:00Z'),
    );
    const day = platformFacts(
      { ...base, quietHours: parseQuietHours('22:00-08:00') },
      new Date('2026-12-02T08:00:00Z'),
    );
    expect(night).toMatchObject({
      quietHours: '22:00-08:00',
      quietHoursInForce: true,
      smsSender: '50004001051233',
    });
    expect(day.quietHoursInForce).toBe(false);
    expect(day.topics).toEqual(['newsletter', 'events', 'promotions', 'surveys']);
  });

  it('says null when quiet hours are off', () => {
    const off = platformFacts({ ...base, quietHours: parseQuietHours('') }, new Date('2026-12-02T20:00:00Z'));
    expect(off).toMatchObject({ quietHours: null, quietHoursInForce: false });
  });
});
