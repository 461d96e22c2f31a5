import { describe, expect, it } from 'vitest';
import { type PlannedItem, planBatches } from '../../../../shared/adapters/kavenegar/plan-batches';

function items(texts: readonly string[]): PlannedItem[] {
  return texts.map((text, index) => ({
    index,
    message: { receptor: `+98912${String(index).padStart(7, '0')}`, text, localId: `local-${index}` },
  }));
}

describe('planBatches', () => {
  it('sends a shared text through sms/send, 200 receptors a call', () => {
    // Prepare
    const planned = items(Array.from({ length: 450 }, () => 'same'));

    // Act
    const batches = planBatches(planned);

    // Assess
    expect(batches.map((batch) => [batch.kind, batch.items.length])).toEqual([
      ['send', 200],
      ['send', 200],
      ['send', 50],
    ]);
    expect(batches.flatMap((batch) => batch.items.map((item) => item.index))).toEqual(
      planned.map((_, i) => i),
    );
  });

  it('pools texts used once into sms/sendarray calls of at most 200', () => {
    // Prepare
    const planned = items(Array.from({ length: 250 }, (_, i) => `hello ${i}`));

    // Act
    const batches = planBatches(planned);

    // Assess
    expect(batches.map((batch) => [batch.kind, batch.items.length])).toEqual([
      ['sendarray', 200],
      ['sendarray', 50],
    ]);
  });

  it('sends a mix of shared and personalised texts as one sms/sendarray call, each receptor its own text', () => {
    // Prepare
    const planned = items(['a', 'b', 'a', 'c', 'c', 'a']);

    // Act
    const batches = planBatches(planned);

    // Assess: one call, not one per text (Kavenegar throttles calls)
    expect(batches).toEqual([{ kind: 'sendarray', items: planned }]);
  });

  it('sends a lone message through sms/send', () => {
    // Prepare
    const planned = items(['only']);

    // Act
    const batches = planBatches(planned);

    // Assess
    expect(batches).toEqual([{ kind: 'send', text: 'only', items: planned }]);
  });

  it('plans nothing for no message', () => {
    expect(planBatches([])).toEqual([]);
  });
});
