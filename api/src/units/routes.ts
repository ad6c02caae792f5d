import { UuidParamsSchema } from '@tinbao/shared/api/tips';
import {
  CommuneListQuerySchema,
  CommuneListResponseSchema,
  ProvinceListResponseSchema,
  UnitCommunesUpdateSchema,
  UnitCreateSchema,
  UnitListQuerySchema,
  UnitListResponseSchema,
  UnitResponseSchema,
  UnitUpdateSchema,
} from '@tinbao/shared/api/units';
import { type AnyRouteSpec, defineRoute } from '../openapi/route-spec';
import type { Db } from '../platform/db';
import {
  createUnit,
  getUnit,
  listCommunes,
  listProvinces,
  listUnits,
  setUnitCommunes,
  updateUnit,
} from './service';

export function unitRouteSpecs(deps: { db: Db }): AnyRouteSpec[] {
  const { db } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/units',
      operationId: 'listUnits',
      summary: 'Units by name (accent-insensitive), code or covered commune',
      tag: 'units',
      permission: 'units.read',
      query: UnitListQuerySchema,
      response: UnitListResponseSchema,
      handler: async ({ query }) => ({ ok: true, units: await listUnits(db, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/units/:id',
      operationId: 'getUnit',
      summary: 'A unit with the communes it covers',
      tag: 'units',
      permission: 'units.read',
      params: UuidParamsSchema,
      response: UnitResponseSchema,
      handler: async ({ params }) => ({ ok: true, unit: await getUnit(db, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/units',
      operationId: 'createUnit',
      summary: 'Creates a unit (border guard station, specialised unit…)',
      tag: 'units',
      permission: 'units.manage',
      body: UnitCreateSchema,
      successStatus: 201,
      response: UnitResponseSchema,
      handler: async ({ auth, body }) => ({ ok: true, unit: await createUnit(db, auth, body) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/units/:id',
      operationId: 'updateUnit',
      summary: "Renames, (de)activates or sets a unit's notification targets",
      tag: 'units',
      permission: 'units.manage',
      params: UuidParamsSchema,
      body: UnitUpdateSchema,
      response: UnitResponseSchema,
      handler: async ({ auth, params, body }) => ({
        ok: true,
        unit: await updateUnit(db, auth, params.id, body),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/units/:id/communes',
      operationId: 'setUnitCommunes',
      summary: 'Replaces the communes a unit covers',
      tag: 'units',
      permission: 'units.manage',
      params: UuidParamsSchema,
      body: UnitCommunesUpdateSchema,
      response: UnitResponseSchema,
      handler: async ({ auth, params, body }) => ({
        ok: true,
        unit: await setUnitCommunes(db, auth, params.id, body.communeCodes),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/admin-units/provinces',
      operationId: 'listProvinces',
      summary: 'The 34 provinces',
      tag: 'admin-units',
      permission: 'places.read',
      response: ProvinceListResponseSchema,
      handler: async () => ({ ok: true, provinces: await listProvinces(db) }),
    }),
    defineRoute({
      method: 'get',
      path: '/admin-units/communes',
      operationId: 'listCommunes',
      summary: 'Communes of a province, searchable with or without diacritics',
      tag: 'admin-units',
      permission: 'places.read',
      query: CommuneListQuerySchema,
      response: CommuneListResponseSchema,
      handler: async ({ query }) => ({ ok: true, communes: await listCommunes(db, query) }),
    }),
  ];
}
