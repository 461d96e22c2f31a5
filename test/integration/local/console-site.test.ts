import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSite } from '../../../local/console';

let dist: string;
let server: Server;
let base: string;
const config = {
  apiBase: '',
  cognito: {
    endpoint: 'http://127.0.0.1:9229/',
    region: 'eu-central-1',
    userPoolId: 'local_pool',
    clientId: 'client',
  },
};

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'chapar-console-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  const site = consoleSite(
    () => config,
    () => ['http://127.0.0.1:4566', 'http://127.0.0.1:9229'],
    dist,
  );
  server = createServer((request, response) => {
    if (!site.serve(request, response, new URL(request.url ?? '/', 'http://local'))) {
      response.writeHead(404);
      response.end('not the console');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dist, { recursive: true, force: true });
});

describe('the console as the local gateway serves it', () => {
  it('answers every app path with the app, uncached, under the security headers', async () => {
    const answer = await fetch(`${base}/console/campaigns/01ABC`);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('id="app"');
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:4566 http://127.0.0.1:9229");
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('caches hashed assets for a year and gives a missing file 404, not the app', async () => {
    const asset = await fetch(`${base}/console/assets/index-abc.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/console/assets/gone.js`)).status).toBe(404);
    // Compressed as CloudFront compresses (fetch asks for gzip and unpacks it)
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('writes config.json from the platform and never serves outside the build', async () => {
    const answer = await fetch(`${base}/console/config.json`);
    expect(await answer.json()).toEqual(config);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const outside = await fetch(`${base}/console/%2e%2e/%2e%2e/etc/passwd`);
    expect(await outside.text()).not.toContain('root:');
    expect((await fetch(`${base}/console`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/console/',
    );
    expect((await fetch(`${base}/v1/campaigns`)).status).toBe(404);
    expect((await fetch(`${base}/console/`, { method: 'POST' })).status).toBe(405);
  });
});
