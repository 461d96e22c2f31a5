import { describe, expect, it } from 'vitest';
import { SendLog } from '../../../local/ses-front/send-log';

describe('the SES front’s send log', () => {
  it('gives the median and p90 of accepted calls’ arrival-to-answer times, and forgets them when cleared', () => {
    // Prepare
    const log = new SendLog();
    const answers = [12, 30, 8, 45, 20, 25, 18, 90, 22, 16];
    answers.forEach((ms, i) => {
      log.accepted(1_000 * i, [`r${i}@example.com`], 1_000 * i + ms);
    });
    log.refused('TooManyRequestsException');

    // Act
    const stats = log.stats();
    log.clear();
    const cleared = log.stats();

    // Assess: sorted 8 12 16 18 20 22 25 30 45 90: nearest rank 5 and 9
    expect(stats).toMatchObject({ acceptedCalls: 10, throttled: 1, answerMs: { median: 20, p90: 45 } });
    expect(cleared).toMatchObject({ acceptedCalls: 0, answerMs: { median: null, p90: null } });
  });
});
