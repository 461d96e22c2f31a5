import { describe, expect, it } from 'vitest';
import { objectCreatedRecord } from '../../../../local/s3-events';
import { importTriggers } from '../../../../shared/adapters/s3/import-event';
import { importIdOfKey } from '../../../../shared/use-cases/import-contacts';

describe('importTriggers', () => {
  it('reads the key of an S3 object-created record back as written, and its import id', () => {
    // Prepare: the record the local platform sends, with a key S3 would URL-encode
    const key = 'uploads/01JD8X3YQ5W6Z7A8B9C0D1E2F3.csv';
    const odd = 'uploads/مشتریان آبان.csv';
    const body = JSON.stringify({
      Records: [key, odd].map((k) =>
        objectCreatedRecord({
          region: 'us-east-1',
          bucket: 'b',
          key: k,
          size: 10,
          etag: '"abc"',
          at: new Date(),
        }),
      ),
    });

    // Act
    const triggers = importTriggers(body);

    // Assess
    expect(triggers).toEqual([
      { kind: 'upload', key, etag: 'abc' },
      { kind: 'upload', key: odd, etag: 'abc' },
    ]);
    expect(importIdOfKey(key)).toBe('01JD8X3YQ5W6Z7A8B9C0D1E2F3');
    expect(importIdOfKey(odd)).toBeUndefined();
  });

  it("takes an import's continuation, ignores S3's test event and other event names", () => {
    expect(importTriggers('{"kind":"continue","importId":"X"}')).toEqual([
      { kind: 'continue', importId: 'X' },
    ]);
    expect(importTriggers('{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}')).toEqual([]);
    const removed = objectCreatedRecord({
      region: 'r',
      bucket: 'b',
      key: 'k',
      size: 0,
      etag: '',
      at: new Date(),
    });
    expect(
      importTriggers(JSON.stringify({ Records: [{ ...removed, eventName: 'ObjectRemoved:Delete' }] })),
    ).toEqual([]);
  });

  it('refuses a body that is neither', () => {
    expect(() => importTriggers('{"hello":1}')).toThrow('Not an S3 event notification');
  });
});
