import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone, maskText } from '../../../shared/domain/mask';

const digitsOf = (text: string) => text.replace(/\D/g, '');
/** The national significant number of the phone used throughout: what must never survive. */
const SUBSCRIBER = '9121234567';

describe('maskPhone', () => {
  it('keeps the operator prefix and the last two digits of an E.164 number', () => {
    // Prepare
    const phone = '+989121234567';

    // Act
    const masked = maskPhone(phone);

    // Assess
    expect(masked).toBe('+98912***67');
  });

  it.each(['+989121234567', '09121234567', '9121234567', '00989121234567', '+447700900123'])(
    'never contains the whole of %s',
    (phone) => {
      // Prepare: the phone comes from the table

      // Act
      const masked = maskPhone(phone);

      // Assess
      expect(masked).not.toContain(phone);
      expect(digitsOf(masked)).not.toContain(digitsOf(phone));
      expect(masked).toContain('***');
    },
  );

  it.each(['', '1', '123456'])('hides a value as short as %j entirely', (phone) => {
    // Prepare: the phone comes from the table

    // Act
    const masked = maskPhone(phone);

    // Assess
    expect(masked).toBe('***');
  });
});

describe('maskEmail', () => {
  it('keeps the first letter, the first letter of the domain and the top-level domain', () => {
    // Prepare
    const email = 'someone@example.com';

    // Act
    const masked = maskEmail(email);

    // Assess
    expect(masked).toBe('s***@e***.com');
  });

  it.each(['someone@example.com', 'a@b.co', 'ali.rezaei+news@mail.example.ir', 'x@localhost'])(
    'never contains the whole of %s, nor its local part or domain',
    (email) => {
      // Prepare
      const [local = '', domain = ''] = email.split('@');

      // Act
      const masked = maskEmail(email);

      // Assess
      expect(masked).not.toContain(email);
      expect(masked).toContain('***');
      if (local.length > 1) expect(masked).not.toContain(local);
      expect(masked).not.toContain(domain);
    },
  );

  it.each(['', 'not-an-email', '@example.com'])('hides %j entirely when it has no local part', (email) => {
    // Prepare: the value comes from the table

    // Act
    const masked = maskEmail(email);

    // Assess
    expect(masked).toBe('***');
  });
});

describe('maskText', () => {
  describe('finds a phone in every written form', () => {
    it.each([
      '09121234567',
      '9121234567',
      '+989121234567',
      '989121234567',
      '00989121234567',
      '0912 123 4567',
      '0912-123-4567',
      '(0912) 123 4567',
      '+98 912 123 4567',
      '+98-912-123-4567',
      '+98 (912) 123-4567',
      '0098 912 123 4567',
    ])('%s', (phone) => {
      // Prepare
      const text = `Send failed for ${phone}: receptor invalid`;

      // Act
      const masked = maskText(text);

      // Assess
      expect(masked).not.toContain(phone);
      expect(digitsOf(masked)).not.toContain(SUBSCRIBER);
      expect(masked).toContain('***');
      expect(masked.startsWith('Send failed for ')).toBe(true);
      expect(masked.endsWith(': receptor invalid')).toBe(true);
    });
  });

  describe('finds an email address', () => {
    it.each([
      { label: 'between words', text: 'bounce from someone@example.com today' },
      { label: 'at the end of a sentence', text: 'It bounced: someone@example.com.' },
      { label: 'in angle brackets', text: 'From: Ali <someone@example.com>' },
      { label: 'in quotes', text: '{"email":"someone@example.com"}' },
      { label: 'after a comma', text: 'to ali@example.ir,someone@example.com' },
      { label: 'in capitals', text: 'bounce from SOMEONE@EXAMPLE.COM today' },
    ])('$label', ({ text }) => {
      // Prepare: the text comes from the table

      // Act
      const masked = maskText(text);

      // Assess
      expect(masked.toLowerCase()).not.toContain('someone@example.com');
      expect(masked.toLowerCase()).not.toContain('someone');
      expect(masked).toMatch(/s\*\*\*@e\*\*\*\.com/i);
    });
  });

  it('masks every phone and email in one text', () => {
    // Prepare
    const text = 'contacts 09121234567, ali@example.ir and +989351112233 (sara.m@mail.example.com) failed';

    // Act
    const masked = maskText(text);

    // Assess
    expect(masked).toBe('contacts +98912***67, a***@e***.ir and +98935***33 (s***@m***.com) failed');
  });

  it('masks a phone used as the local part of an address', () => {
    // Prepare
    const text = 'alias 09121234567@sms.example.com';

    // Act
    const masked = maskText(text);

    // Assess
    expect(digitsOf(masked)).not.toContain(SUBSCRIBER);
    expect(masked).not.toContain('@sms.example.com');
  });

  it('leaves text without personal data untouched', () => {
    // Prepare
    const text = 'campaign 01JD5Z campaign sent 1200 of 1500 (80%) in 42 s; credit 12345 Rial';

    // Act
    const masked = maskText(text);

    // Assess
    expect(masked).toBe(text);
  });

  it('gives the same result when run twice', () => {
    // Prepare
    const once = maskText('ali@example.ir 09121234567');

    // Act
    const twice = maskText(once);

    // Assess
    expect(twice).toBe(once);
  });
});

describe('maskText on national forms', () => {
  it('hides as many digits of 09… and 9… numbers as of +98… ones', () => {
    // Prepare
    const forms = ['09121234567', '9121234567', '+989121234567'];
    // Act
    const masked = forms.map((form) => maskText(`call ${form} now`));
    // Assess
    expect(new Set(masked)).toEqual(new Set(['call +98912***67 now']));
  });
});
