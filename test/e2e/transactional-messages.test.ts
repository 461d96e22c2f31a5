import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, headerOf, SMS_SENDER, sesEmails, simMessages } from '../support/http';
import { startTestPlatform } from '../support/platform';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
let platform: Platform;
let api: string;

const TEHRAN_OFFSET_MS = 3.5 * 3600_000;
/** Tehran's clock `hours` from now, HH:MM. */
const tehranClock = (hours: number) =>
  new Date(Date.now() + TEHRAN_OFFSET_MS + hours * 3600_000).toISOString().slice(11, 16);

beforeAll(async () => {
  // Quiet hours in force for the whole test: marketing SMS would wait, transactional ones do not.
  platform = await startTestPlatform({ env: { CHAPAR_QUIET_HOURS: `${tehranClock(-3)}-${tehranClock(3)}` } });
  api = platform.apiUrl;
});

afterAll(async () => {
  await platform?.end();
});

const send = (key: string | undefined, body: unknown) =>
  call<{ id: string; status: string; message?: string }>(api, 'POST', '/v1/messages', {
    json: body,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });
const smsWith = async (text: string) =>
  (await simMessages(platform.kavenegarUrl)).filter((message) => message.message.includes(text));

describe('transactional messages over the running platform', () => {
  it('delivers an order-status SMS during quiet hours to a contact who opted out of marketing', async () => {
    // Prepare: Sara opted out of every marketing SMS
    await call(api, 'PUT', '/v1/contacts/tx-sara', { json: { phone: '09121110001', name: 'سارا' } });
    const optOut = await call(api, 'POST', '/v1/contacts/tx-sara/consent', {
      json: { action: 'opt_out', channel: 'sms', topic: '*', evidence: { method: 'api' } },
    });
    expect(optOut.status).toBeLessThan(300);

    // Act
    const accepted = await send('order-1042-shipped', {
      channel: 'sms',
      to: { contactId: 'tx-sara' },
      content: { text: '{{name}} عزیز، سفارش {{orderId}} ارسال شد' },
      data: { orderId: 'A-1042' },
      category: 'transactional',
    });

    // Assess: sent at once from the one verified line, as written (no link, no «لغو۱۱»), then delivered
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('queued');
    const [sms] = await eventually(async () => {
      const found = await smsWith('سفارش A-1042');
      return found.length > 0 ? found : undefined;
    }, 'the order SMS at Kavenegar');
    expect(sms).toMatchObject({
      sender: SMS_SENDER,
      receptor: '09121110001',
      message: 'سارا عزیز، سفارش A-1042 ارسال شد',
    });
    const delivered = await eventually(
      async () => {
        const view = await call<{ status: string }>(api, 'GET', `/v1/messages/${accepted.body.id}`);
        return view.body.status === 'delivered' ? view.body : undefined;
      },
      'the delivered status',
      60_000,
      500,
    );
    expect(delivered).toMatchObject({ id: accepted.body.id, channel: 'sms', status: 'delivered' });
    const exported = await call<{ transactionalMessages: unknown[] }>(
      api,
      'GET',
      '/v1/contacts/tx-sara/export',
    );
    expect(exported.body.transactionalMessages).toEqual([
      expect.objectContaining({
        id: accepted.body.id,
        address: '+989121110001',
        content: { channel: 'sms', text: 'سارا عزیز، سفارش A-1042 ارسال شد' },
        status: 'delivered',
      }),
    ]);
  });

  it('answers the same Idempotency-Key with the same message and sends one SMS; another body is a 409', async () => {
    // Prepare
    const body = {
      channel: 'sms',
      to: { phone: '+98 912 111 0002' },
      content: { text: 'کد پیگیری سفارش شما: 77311' },
      category: 'transactional',
    };

    // Act
    const first = await send('order-77311', body);
    const second = await send('order-77311', body);
    const other = await send('order-77311', { ...body, content: { text: 'کد دیگر: 1' } });

    // Assess
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(other.status).toBe(409);
    await eventually(async () => {
      const view = await call<{ status: string }>(api, 'GET', `/v1/messages/${first.body.id}`);
      return view.body.status !== 'queued' ? view.body : undefined;
    }, 'the message sent');
    expect(await smsWith('77311')).toHaveLength(1);
  });

  it('sends a transactional email with no unsubscribe header; a hard bounce marks it and refuses the address after', async () => {
    // Prepare: SES's mailbox simulator answers this address with a permanent bounce
    const email = {
      channel: 'email',
      to: { email: 'bounce@simulator.amazonses.com' },
      content: { subject: 'رسید سفارش {{orderId}}', html: '<p>مبلغ {{amount}} پرداخت شد</p>' },
      data: { orderId: 'R-55', amount: '۹۸٬۰۰۰ تومان' },
      category: 'transactional',
    };

    // Act
    const accepted = await send('receipt-R-55', email);
    const bounced = await eventually(
      async () => {
        const view = await call<{ status: string }>(api, 'GET', `/v1/messages/${accepted.body.id}`);
        return view.body.status === 'bounced' ? view.body : undefined;
      },
      'the bounced status',
      30_000,
      500,
    );
    const again = await send('receipt-R-56', { ...email, data: { orderId: 'R-56', amount: '1' } });

    // Assess
    expect(accepted.status).toBe(202);
    expect(bounced).toMatchObject({ channel: 'email', status: 'bounced' });
    const mail = (await sesEmails(platform.sesUrl)).find((stored) => stored.subject === 'رسید سفارش R-55');
    expect(mail).toBeDefined();
    expect(mail && headerOf(mail, 'List-Unsubscribe')).toBeUndefined();
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('hard-bounced');
  });

  it('renders a template in the contact’s locale, falling back to the other, with no «لغو۱۱»', async () => {
    // Prepare: an English-speaking contact and a template with only a Persian variant
    await call(api, 'PUT', '/v1/contacts/tx-tom', {
      json: { phone: '09121110005', name: 'Tom', locale: 'en' },
    });
    const template = await call<{ id: string }>(api, 'POST', '/v1/templates', {
      json: {
        name: 'Order shipped',
        channel: 'sms',
        variants: { fa: { text: '{{name}} عزیز، بسته شما در راه است' } },
      },
    });
    expect(template.status).toBe(201);

    // Act
    const accepted = await send('shipped-tom', {
      channel: 'sms',
      to: { contactId: 'tx-tom' },
      templateId: template.body.id,
      category: 'transactional',
    });

    // Assess
    expect(accepted.status).toBe(202);
    const [sms] = await eventually(async () => {
      const found = await smsWith('بسته شما در راه است');
      return found.length > 0 ? found : undefined;
    }, 'the templated SMS');
    expect(sms?.message).toBe('Tom عزیز، بسته شما در راه است');
  });

  it('refuses with 409 and the reason a message to an erased person', async () => {
    // Prepare
    await call(api, 'PUT', '/v1/contacts/tx-erin', { json: { phone: '09121110003' } });
    expect((await call(api, 'DELETE', '/v1/contacts/tx-erin')).status).toBe(204);

    // Act
    const refused = await send('erased-1', {
      channel: 'sms',
      to: { phone: '09121110003' },
      content: { text: 'سفارش شما ارسال شد' },
      category: 'transactional',
    });

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('erased person');
  });

  it('answers bad input with a clear 4xx', async () => {
    // Prepare
    const body = {
      channel: 'sms',
      to: { phone: '09121110004' },
      content: { text: 'x' },
      category: 'transactional',
    };

    // Act
    const noKey = await send(undefined, body);
    const badBody = await send('k-bad', { ...body, category: 'promotion' });
    const unknown = await call(api, 'GET', '/v1/messages/01JDV0000000000000000000B1');
    const notAnId = await call(api, 'GET', '/v1/messages/nope');

    // Assess
    expect(noKey.status).toBe(400);
    expect(noKey.body.message).toContain('Idempotency-Key');
    expect(badBody.status).toBe(400);
    expect(badBody.body.message).toContain('category');
    expect(unknown.status).toBe(404);
    expect(notAnId.status).toBe(404);
  });
});
