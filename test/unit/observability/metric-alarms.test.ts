import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { METRICS, MetricAlarms } from '../../../shared/observability';

function fakes() {
  const logger = { error: vi.fn() } as unknown as Logger & { error: ReturnType<typeof vi.fn> };
  const metrics = { addMetric: vi.fn(), publishStoredMetrics: vi.fn() };
  const build = vi.fn(() => metrics as unknown as Metrics);
  return { logger, metrics, build };
}

describe('MetricAlarms', () => {
  it('builds its Metrics on the first alarm only, and once', () => {
    // Prepare
    const { logger, metrics, build } = fakes();
    const alarms = new MetricAlarms(logger, build);

    // Act
    const builtBefore = build.mock.calls.length;
    alarms.campaignPaused('camp-1', 'provider 418');
    alarms.campaignPaused('camp-2', 'provider 418');

    // Assess
    expect(builtBefore).toBe(0);
    expect(build).toHaveBeenCalledTimes(1);
    expect(metrics.addMetric).toHaveBeenCalledTimes(2);
    expect(metrics.addMetric).toHaveBeenCalledWith(METRICS.campaignPaused, 'Count', 1);
    expect(metrics.publishStoredMetrics).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('ALARM campaign paused'), {
      campaignId: 'camp-2',
      reason: 'provider 418',
    });
  });

  it('takes ready Metrics too', () => {
    // Prepare
    const { logger, metrics } = fakes();
    const alarms = new MetricAlarms(logger, metrics as unknown as Metrics);

    // Act
    alarms.campaignPaused('camp-1', 'quota');

    // Assess
    expect(metrics.addMetric).toHaveBeenCalledWith(METRICS.campaignPaused, 'Count', 1);
    expect(metrics.publishStoredMetrics).toHaveBeenCalledOnce();
  });
});
