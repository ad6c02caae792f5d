import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../openapi/document';
import { usersRouteSpecs } from '../users/routes';
import { authRouteSpecs } from './routes';
import { type AuthHarness, createAuthHarness } from './test-harness';

describe('accounts API in the OpenAPI document', () => {
  it('documents every auth and users operation with its zod schemas', async () => {
    const h: AuthHarness = await createAuthHarness('pglite');
    try {
      const doc = buildOpenApiDocument([...authRouteSpecs(h.deps), ...usersRouteSpecs(h.deps)]) as {
        paths: Record<
          string,
          Record<string, { operationId: string; requestBody?: unknown; 'x-roles': string[] }>
        >;
      };
      const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
      expect(operations.map((op) => op.operationId).sort()).toEqual(
        [
          'changePassword',
          'createUser',
          'getUser',
          'listUsers',
          'login',
          'loginEnroll',
          'loginTotp',
          'logout',
          'me',
          'resetUserPassword',
          'resetUserTotp',
          'updateUser',
        ].sort(),
      );
      expect(doc.paths['/api/v1/users/{id}']?.patch?.['x-roles']).toEqual(['admin']);
      expect(doc.paths['/api/v1/auth/login']?.post?.['x-roles']).toEqual(['public']);
      expect(JSON.stringify(doc.paths['/api/v1/auth/login']?.post?.requestBody)).toContain('password');
    } finally {
      await h.destroy();
    }
  });
});
