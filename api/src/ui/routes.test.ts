import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { POW_WORKER_CSP, uiRouter } from './routes';

const dist = mkdtempSync(join(tmpdir(), 'tinbao-ui-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(
  join(dist, 'index.html'),
  '<html><head><meta name="tinbao-session-idle-minutes" content="30" /></head><body><script type="module" src="/assets/index-abc.js"></script></body></html>',
);
writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(dist, 'assets', 'proof-of-work.worker-Xy_1.js'), 'self.onmessage = () => {}');
writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

function appWith(distDir: string) {
  const app = express();
  app.use(uiRouter({ config: { SESSION_IDLE_MINUTES: 7 }, distDir }));
  app.use((_req, res) => {
    res.status(404).json({ ok: false, error: 'not_found', message: 'route not found' });
  });
  return app;
}

describe('uiRouter', () => {
  const app = appWith(dist);

  it("lets the proof-of-work worker alone compile WebAssembly (its own CSP), not the pages' scripts", async () => {
    const worker = await supertest(app).get('/assets/proof-of-work.worker-Xy_1.js').expect(200);
    expect(worker.headers['content-security-policy']).toBe(POW_WORKER_CSP);
    expect(POW_WORKER_CSP).toContain("'wasm-unsafe-eval'");
    expect(POW_WORKER_CSP).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    const script = await supertest(app).get('/assets/index-abc.js').expect(200);
    expect(script.headers['content-security-policy']).toBeUndefined();
  });

  it('serves index.html with no-store and the server idle timeout', async () => {
    const response = await supertest(app).get('/').expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('content="7"');
  });

  it('serves /index.html itself as no-store too', async () => {
    const response = await supertest(app).get('/index.html').expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toContain('content="7"');
  });

  it('falls back to index.html for client routes', async () => {
    const response = await supertest(app).get('/tips/5d0f6c55-0000-4000-8000-000000000000').expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toContain('<script type="module"');
  });

  it('caches hashed assets for a year and 404s unknown ones', async () => {
    const response = await supertest(app).get('/assets/index-abc.js').expect(200);
    expect(response.headers['cache-control']).toMatch(/immutable/);
    expect(response.headers['cache-control']).toMatch(/max-age=31536000/);
    await supertest(app).get('/assets/missing-123.js').expect(404);
  });

  it('serves other public files', async () => {
    await supertest(app).get('/favicon.svg').expect(200);
  });

  it('leaves /api and non-GET requests to the API', async () => {
    const api = await supertest(app).get('/api/v1/nothing').expect(404);
    expect(api.body).toEqual({ ok: false, error: 'not_found', message: 'route not found' });
    await supertest(app).post('/tips').expect(404);
  });

  it('answers 503 with a hint when the UI is not built', async () => {
    const response = await supertest(appWith(join(dist, 'missing')))
      .get('/')
      .expect(503);
    expect(response.text).toContain('npm run build -w moderation-ui');
  });
});
