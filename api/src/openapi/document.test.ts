import { describe, expect, it } from 'vitest';
import { useWorkflowHarness } from '../tips/test-harness';

const h = useWorkflowHarness('postgres');

describe('API docs', () => {
  it('serves an OpenAPI document with every operation, and a plain HTML list', async () => {
    const json = await h.agents.anonymous.get('/api/docs/openapi.json');
    expect(json.body.openapi).toBe('3.1.0');
    const operations = Object.values(
      json.body.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(operations).toContain('transitionTip');
    expect(operations).toEqual(
      expect.arrayContaining(['getRetentionPreview', 'listLegalHolds', 'placeLegalHold', 'releaseLegalHold']),
    );
    const hold = json.body.paths['/api/v1/tips/{id}/legal-hold'];
    expect(hold.put['x-roles']).toEqual(['admin']);
    expect(hold.put['x-permission']).toBe('retention.manage');
    // 410 tip_purged is documented where a purged tip can be met: operations on one tip.
    expect(hold.put.responses['410'].description).toContain('tip_purged');
    expect(json.body.paths['/api/v1/tips/{id}'].get.responses['410']).toBeDefined();
    expect(json.body.paths['/api/v1/retention/preview'].get.responses['410']).toBeUndefined();
    expect(
      json.body.paths['/api/v1/tips/{id}/transitions'].post.requestBody.content['application/json'].schema
        .oneOf,
    ).toHaveLength(8);
    const html = await h.agents.anonymous.get('/api/docs');
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('/api/v1/tips/{id}/photos/{index}');
    expect(html.text).not.toMatch(/<script|<style|https?:\/\//);
    expect((await h.agents.anonymous.get('/api/docs/docs.css')).headers['content-type']).toContain(
      'text/css',
    );
  });
});
