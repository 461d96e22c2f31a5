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

  it('mixes both and sends a lone personalised text through sms/send', () => {
    // Prepare
    const planned = items(['a', 'b', 'a', 'c', 'c', 'a']);

    // Act
    const batches = planBatches(planned);

    // Assess
    expect(batches).toEqual([
      { kind: 'send', text: 'a', items: [planned[0], planned[2], planned[5]] },
      { kind: 'send', text: 'c', items: [planned[3], planned[4]] },
      { kind: 'send', text: 'b', items: [planned[1]] },
    ]);
  });

  it('plans nothing for no message', () => {
    expect(planBatches([])).toEqual([]);
  });
});
