import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../shared/domain/errors';
import { BODY_LIMITS, bodyText, formBody, jsonBody, requestFields } from '../../../shared/http/body';
import { errorBody, pathParameter } from '../../../shared/http/respond';

/** A v2 event carrying `body`, base64-encoded when asked, as API Gateway does for forms. */
function eventWith(
  body: string | Buffer | undefined,
  contentType?: string,
  extra: Partial<APIGatewayProxyEventV2> = {},
  base64 = false,
): APIGatewayProxyEventV2 {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    version: '2.0',
    routeKey: 'POST /x',
    rawPath: '/x',
    rawQueryString: '',
    headers: contentType === undefined ? {} : { 'Content-Type': contentType },
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
    ...(bytes === undefined ? {} : { body: base64 ? bytes.toString('base64') : bytes.toString('utf8') }),
    isBase64Encoded: base64,
    ...extra,
  };
}

const ONE_CLICK_MULTIPART = [
  '--XyZ',
  'Content-Disposition: form-data; name="List-Unsubscribe"',
  '',
  'One-Click',
  '--XyZ',
  'Content-Disposition: form-data; name="note"; filename="a.txt"',
  'Content-Type: text/plain',
  '',
  'a file nobody asked for',
  '--XyZ--',
  '',
].join('\r\n');

describe('bodyText', () => {
  it('decodes a base64 body once, in one place', () => {
    // Prepare
    const event = eventWith('سلام {"a":1}', 'application/octet-stream', {}, true);

    // Act
    const text = bodyText(event, { maxBytes: 1024 });

    // Assess
    expect(text).toBe('سلام {"a":1}');
  });

  it('refuses a body one byte past the cap with 413 and a message naming both sizes', () => {
    // Prepare: 2 bytes per Persian letter in UTF-8, so the cap counts bytes, not characters
    const event = eventWith('س'.repeat(6), 'text/plain', {}, true);

    // Act
    const refuse = () => bodyText(event, { maxBytes: 11 });

    // Assess
    expect(refuse).toThrow(PayloadTooLargeError);
    expect(refuse).toThrow('Request body is 12 bytes; this route accepts at most 11 bytes');
    expect(errorBody(catchError(refuse)).status).toBe(413);
    expect(bodyText(event, { maxBytes: 12 })).toBe('س'.repeat(6));
  });
});

describe('jsonBody', () => {
  it('parses JSON, with or without a Content-Type', () => {
    // Prepare, Act, Assess
    expect(jsonBody(eventWith('{"a":[1]}', 'application/json; charset=utf-8'), { maxBytes: 100 })).toEqual({
      a: [1],
    });
    expect(jsonBody(eventWith('[1]'), { maxBytes: 100 })).toEqual([1]);
  });

  it.each([
    ['', 'Request body is required (JSON)'],
    ['{"a":', 'Request body must be valid JSON'],
  ])('refuses %j with a 400 that says why', (body, message) => {
    // Prepare
    const event = eventWith(body, 'application/json');

    // Act
    const error = catchError(() => jsonBody(event, { maxBytes: 100 }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(errorBody(error)).toEqual({ status: 400, body: { message } });
  });

  it('refuses another content type with 415', () => {
    // Prepare
    const event = eventWith('a=1', 'application/x-www-form-urlencoded');

    // Act
    const error = catchError(() => jsonBody(event, { maxBytes: 100 }));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(errorBody(error)).toEqual({
      status: 415,
      body: {
        message: 'Content-Type application/x-www-form-urlencoded is not accepted here; send application/json',
      },
    });
  });

  it('checks the cap before parsing: an oversized malformed body is a 413, not a 400', () => {
    // Prepare
    const event = eventWith(`{${'x'.repeat(200)}`, 'application/json');

    // Act, Assess
    expect(() => jsonBody(event, { maxBytes: 100 })).toThrow(PayloadTooLargeError);
  });
});

describe('formBody', () => {
  it('reads a URL-encoded form, base64-encoded as API Gateway passes it', async () => {
    // Prepare
    const event = eventWith(
      'action=opt_out&topic=news%20letter',
      'application/x-www-form-urlencoded',
      {},
      true,
    );

    // Act
    const form = await formBody(event, { maxBytes: 100 });

    // Assess
    expect(Object.fromEntries(form)).toEqual({ action: 'opt_out', topic: 'news letter' });
  });

  it('reads RFC 8058 one-click sent as multipart/form-data, skipping file parts', async () => {
    // Prepare
    const event = eventWith(ONE_CLICK_MULTIPART, 'multipart/form-data; boundary=XyZ', {}, true);

    // Act
    const form = await formBody(event, { maxBytes: BODY_LIMITS.unsubscribeForm });

    // Assess
    expect([...form]).toEqual([['List-Unsubscribe', 'One-Click']]);
  });

  it('reads a quoted boundary and a Persian field value', async () => {
    // Prepare
    const body = ['--a b', 'Content-Disposition: form-data; name="topic"', '', 'خبرنامه', '--a b--', ''].join(
      '\r\n',
    );
    const event = eventWith(body, 'multipart/form-data; boundary="a b"', {}, true);

    // Act
    const form = await formBody(event, { maxBytes: 1000 });

    // Assess
    expect(form.get('topic')).toBe('خبرنامه');
  });

  it.each([
    ['no boundary', 'multipart/form-data', ONE_CLICK_MULTIPART],
    ['a cut-off body', 'multipart/form-data; boundary=XyZ', ONE_CLICK_MULTIPART.slice(0, 60)],
  ])('refuses multipart with %s: 400', async (_case, contentType, body) => {
    // Prepare
    const event = eventWith(body, contentType, {}, true);

    // Act
    const error = await formBody(event, { maxBytes: 1000 }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(errorBody(error)).toMatchObject({
      status: 400,
      body: { message: 'Request body is not valid multipart/form-data' },
    });
  });

  it('reads a text/plain body as a URL-encoded form, as a bare fetch() sends it', async () => {
    // Prepare
    const event = eventWith('action=opt_out&topic=*', 'text/plain;charset=UTF-8');

    // Act
    const form = await formBody(event, { maxBytes: 100 });

    // Assess
    expect(Object.fromEntries(form)).toEqual({ action: 'opt_out', topic: '*' });
  });

  it('refuses JSON with 415', async () => {
    // Prepare
    const event = eventWith('{"List-Unsubscribe":"One-Click"}', 'application/json');

    // Act
    const error = await formBody(event, { maxBytes: 1000 }).catch((caught: unknown) => caught);

    // Assess
    expect(errorBody(error).status).toBe(415);
  });

  it('refuses a form past the cap with 413 before parsing it', async () => {
    // Prepare
    const event = eventWith(
      `List-Unsubscribe=One-Click&pad=${'x'.repeat(BODY_LIMITS.unsubscribeForm)}`,
      undefined,
    );

    // Act
    const error = await formBody(event, { maxBytes: BODY_LIMITS.unsubscribeForm }).catch(
      (caught: unknown) => caught,
    );

    // Assess
    expect(errorBody(error).status).toBe(413);
  });
});

describe('requestFields', () => {
  it.each([
    ['a form', 'messageid=12&status=10', 'application/x-www-form-urlencoded'],
    ['JSON', '{"messageid":"12","status":"10"}', 'application/json'],
    ['JSON without a Content-Type', '{"messageid":"12","status":"10"}', undefined],
    ['a form as text/plain', 'messageid=12&status=10', 'text/plain'],
  ])('reads %s', async (_case, body, contentType) => {
    // Prepare
    const event = eventWith(body, contentType);

    // Act
    const fields = await requestFields(event, { maxBytes: 100 });

    // Assess
    expect(fields).toEqual({ messageid: '12', status: '10' });
  });

  it('reads multipart fields', async () => {
    // Prepare
    const event = eventWith(ONE_CLICK_MULTIPART, 'multipart/form-data; boundary=XyZ', {}, true);

    // Act, Assess
    expect(await requestFields(event, { maxBytes: 1000 })).toEqual({ 'List-Unsubscribe': 'One-Click' });
  });

  it('falls back to the query string when the body is empty', async () => {
    // Prepare
    const event = eventWith(undefined, 'text/plain', {
      queryStringParameters: { messageid: '12', status: '10' },
    });

    // Act, Assess
    expect(await requestFields(event, { maxBytes: 100 })).toEqual({ messageid: '12', status: '10' });
  });

  it.each([
    ['a JSON array', '[1,2]', 'application/json', 400],
    ['broken JSON', '{"messageid"', 'application/json', 400],
    ['XML', '<report/>', 'application/xml', 415],
  ])('refuses %s', async (_case, body, contentType, status) => {
    // Prepare
    const event = eventWith(body, contentType);

    // Act
    const error = await requestFields(event, { maxBytes: 100 }).catch((caught: unknown) => caught);

    // Assess
    expect(errorBody(error).status).toBe(status);
  });
});

describe('pathParameter', () => {
  it('takes the value as API Gateway decoded it, without decoding it again', () => {
    // Prepare: the client sent %252B, API Gateway decoded it once to %2B
    const event = eventWith(undefined, undefined, { pathParameters: { contactId: 'a%2Bb' } });

    // Act, Assess
    expect(pathParameter(event, 'contactId')).toBe('a%2Bb');
  });

  it('answers 400 when the parameter is missing', () => {
    // Prepare
    const event = eventWith(undefined);

    // Act, Assess
    expect(() => pathParameter(event, 'contactId')).toThrow('Missing path parameter contactId');
  });
});

function catchError(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
