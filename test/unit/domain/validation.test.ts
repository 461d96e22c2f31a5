import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../shared/domain/errors';
import { parseWith } from '../../../shared/domain/validation';

const schema = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  sms: z.strictObject({ text: z.string().max(5, 'is too long') }),
});

describe('parseWith', () => {
  it('returns the parsed value', () => {
    // Prepare
    const input = { name: 'Ali', sms: { text: 'hi' } };

    // Act
    const parsed = parseWith(schema, input, 'campaign');

    // Assess
    expect(parsed).toEqual(input);
  });

  it('throws a ValidationError naming each field by its dotted path', () => {
    // Prepare
    const input = { name: '', sms: { text: 'too long' } };

    // Act
    const parse = () => parseWith(schema, input, 'campaign');

    // Assess
    expect(parse).toThrow(ValidationError);
    try {
      parse();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { field: 'name', message: 'must not be empty' },
        { field: 'sms.text', message: 'is too long' },
      ]);
      expect((error as ValidationError).message).toBe(
        'Invalid campaign: name must not be empty; sms.text is too long',
      );
    }
  });

  it('names a problem with the whole body (body)', () => {
    // Prepare
    const input = { name: 'Ali', sms: { text: 'hi' }, extra: true };

    // Act
    const parse = () => parseWith(schema, input, 'campaign');

    // Assess
    expect(parse).toThrow(/^Invalid campaign: \(body\) /);
  });
});

describe('parseWith on a missing field', () => {
  it('says the field is required instead of naming types', () => {
    // Prepare
    const schema = z.strictObject({ sender: z.string(), text: z.string() });
    // Act
    let caught: unknown;
    try {
      parseWith(schema, { sender: 'x' }, 'report');
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues).toEqual([{ field: 'text', message: 'is required' }]);
  });
});
