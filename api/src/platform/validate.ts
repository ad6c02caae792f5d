import type { ValidationIssue } from '@tinbao/shared/api/errors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError } from './errors';

export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

/** 400 `{ ok:false, error:'invalid_request', message, issues:[{path, message}] }`. */
export function invalidRequest(part: 'body' | 'query' | 'params', error: z.ZodError): AppError {
  const issues: ValidationIssue[] = error.issues.slice(0, 20).map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  return new AppError(400, 'invalid_request', first ? `${first.path}: ${first.message}` : `invalid ${part}`, {
    issues,
  });
}

/**
 * Validates (and coerces) body, query and params with zod before the handler runs. The
 * parsed values replace `req.body`, `req.query`, `req.params` and are also kept in
 * `res.locals.validated`; read them typed with `validated(res, schemas)`.
 */
export function validate(schemas: RequestSchemas): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const out: Record<string, unknown> = {};
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      // A missing JSON body is `undefined` in Express 5: validate it as an empty object.
      const input = part === 'body' ? (req.body ?? {}) : req[part];
      const result = schema.safeParse(input);
      if (!result.success) return next(invalidRequest(part, result.error));
      out[part] = result.data;
    }
    if ('body' in out) req.body = out.body;
    // Express 5 makes req.query a getter: shadow it with the parsed value.
    if ('query' in out) Object.defineProperty(req, 'query', { value: out.query, writable: true });
    if ('params' in out) req.params = out.params as Request['params'];
    res.locals.validated = out;
    next();
  };
}

type Parsed<S extends RequestSchemas> = {
  [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never;
};

/** The values `validate(schemas)` parsed for this request, typed by the same schemas. */
export function validated<S extends RequestSchemas>(res: Response, _schemas: S): Parsed<S> {
  return (res.locals.validated ?? {}) as Parsed<S>;
}
