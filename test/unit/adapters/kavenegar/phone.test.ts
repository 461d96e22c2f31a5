import { describe, expect, it } from 'vitest';
import { fromKavenegarReceptor, toKavenegarReceptor } from '../../../../shared/adapters/kavenegar/phone';

describe('toKavenegarReceptor', () => {
  it.each([
    '+989121234567',
    '989121234567',
    '00989121234567',
    '09121234567',
    '9121234567',
    '۰۹۱۲۱۲۳۴۵۶۷',
    '٠٩١٢١٢٣٤٥٦٧',
    '+98 (912) 123-4567',
    '\u200e+98\u200c912 123 4567\u200f',
  ])('turns %s into the national form', (phone) => {
    expect(toKavenegarReceptor(phone)).toBe('09121234567');
  });

  it.each(['', '+98912123456', '+9891212345678', '+982112345678', '+19121234567', '0912abc4567'])(
    'refuses %s',
    (phone) => {
      expect(toKavenegarReceptor(phone)).toBeUndefined();
    },
  );
});

describe('fromKavenegarReceptor', () => {
  it('turns the national form back into E.164', () => {
    expect(fromKavenegarReceptor('09121234567')).toBe('+989121234567');
  });

  it('keeps a value it does not recognise as is', () => {
    expect(fromKavenegarReceptor('10008663')).toBe('10008663');
  });
});
