import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoFeatures } from '../../support/demo-spec';
import { buildTestExporter } from '../../support/test-exporter';

const BODY = JSON.stringify({
  events: [
    { model: 'fraud', version: 'v1', prediction: 'legit', features: demoFeatures({ merchant_category: 'grøcery' }) },
  ],
});

/** POSTs raw bytes (supertest would re-encode them) and returns the status and body text. */
function post(server: Server, contentType: string, body: Buffer): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/events/predictions',
        method: 'POST',
        headers: { 'content-type': contentType },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('JSON bodies', () => {
  let server: Server;
  beforeAll(async () => {
    server = buildTestExporter().app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('a UTF-8 body that starts with a byte-order mark is read without it', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BODY)]);
    expect(await post(server, 'application/json', body)).toBe('200 {"accepted":1,"duplicates":0,"rejected":[]}');
  });

  test('a body in the charset it declares is converted, so a Latin-1 body reads like its UTF-8 twin', async () => {
    expect(await post(server, 'application/json; charset=latin1', Buffer.from(BODY, 'latin1'))).toBe(
      '200 {"accepted":1,"duplicates":0,"rejected":[]}',
    );
    expect(await post(server, 'application/json; charset=UTF-8', Buffer.from(BODY))).toBe(
      '200 {"accepted":1,"duplicates":0,"rejected":[]}',
    );
  });

  test('bytes that are not UTF-8 become replacement characters and the body is refused as malformed JSON', async () => {
    const body = Buffer.concat([Buffer.from('{"events": '), Buffer.from([0xff]), Buffer.from(']}')]);
    const answer = await post(server, 'application/json', body);
    expect(answer).toMatch(/^400 \{"error":\{"code":"malformed_json","message":"the request body is not valid JSON: /);
    expect(answer).toContain('\ufffd');
  });

  test('a batch large enough to be parsed in pieces is accepted like a small one', async () => {
    const event = { model: 'fraud', version: 'v1', prediction: 'legit', features: demoFeatures() };
    const events = Array.from({ length: 1000 }, () => event);
    expect(await post(server, 'application/json', Buffer.from(JSON.stringify({ events })))).toBe(
      '200 {"accepted":1000,"duplicates":0,"rejected":[]}',
    );
  });

  test('a large batch that is not valid JSON is refused with the message of the whole-body parse', async () => {
    const event = JSON.stringify({ model: 'fraud', version: 'v1', prediction: 'legit', features: demoFeatures() });
    const text = `{"events":[${Array.from({ length: 1000 }, () => event).join(',')},]}`;
    let parseError = '';
    try {
      JSON.parse(text);
    } catch (error) {
      parseError = (error as Error).message;
    }
    expect(await post(server, 'application/json', Buffer.from(text))).toBe(
      `400 ${JSON.stringify({
        error: { code: 'malformed_json', message: `the request body is not valid JSON: ${parseError}`, field: 'body' },
      })}`,
    );
  });

  test('an unknown charset is refused with 415', async () => {
    expect(await post(server, 'application/json; charset=klingon', Buffer.from(BODY))).toBe(
      '415 {"error":{"code":"unsupported_media_type","message":"unsupported charset \\"KLINGON\\"","field":"content-type"}}',
    );
  });
});
