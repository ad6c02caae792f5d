import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { BotApiError } from './api-error';

export interface UploadedPart {
  bytes: Buffer;
  fileName?: string;
  contentType: string;
}

export interface RequestParams {
  params: Record<string, unknown>;
  /** multipart file parts by field name (grammY names them by a random id referenced as attach://<id>). */
  files: Map<string, UploadedPart>;
}

const tooLarge = () => new BotApiError(413, 'Request Entity Too Large');

/** Reads a raw body up to `limit` bytes; beyond it the request is answered 413. */
export async function readRawBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      request.resume();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The Bot API takes parameters as a query string, JSON, a urlencoded form or multipart/form-data
 * (files); query parameters and body parameters are merged, body first.
 */
export async function readBotApiParams(
  request: IncomingMessage,
  query: URLSearchParams,
  limit: number,
): Promise<RequestParams> {
  const params: Record<string, unknown> = Object.fromEntries(query.entries());
  const files = new Map<string, UploadedPart>();
  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  if (request.method === 'GET' || request.method === 'HEAD') return { params, files };
  if (contentType.startsWith('multipart/form-data')) {
    await readMultipart(request, params, files, limit);
    return { params, files };
  }
  const body = await readRawBody(request, limit);
  if (body.length === 0) return { params, files };
  if (contentType.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new BotApiError(400, "Bad Request: can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new BotApiError(400, "Bad Request: can't parse JSON object");
    }
    Object.assign(params, parsed);
  } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries()));
  }
  return { params, files };
}

function readMultipart(
  request: IncomingMessage,
  params: Record<string, unknown>,
  files: Map<string, UploadedPart>,
  limit: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fileSize: limit, fieldSize: 1024 * 1024 } });
    } catch {
      reject(new BotApiError(400, 'Bad Request: invalid multipart/form-data'));
      return;
    }
    let failed: Error | undefined;
    const pending: Promise<void>[] = [];
    parser.on('field', (name, value) => {
      params[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      pending.push(
        new Promise((done) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('limit', () => {
            failed = tooLarge();
          });
          stream.on('close', () => {
            files.set(name, {
              bytes: Buffer.concat(chunks),
              contentType: info.mimeType || 'application/octet-stream',
              ...(info.filename ? { fileName: info.filename } : {}),
            });
            done();
          });
        }),
      );
    });
    parser.on('error', () => reject(new BotApiError(400, 'Bad Request: invalid multipart/form-data')));
    parser.on('close', () => {
      Promise.all(pending).then(() => (failed ? reject(failed) : resolve()), reject);
    });
    request.pipe(parser);
  });
}
