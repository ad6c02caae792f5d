import type { IncomingMessage } from 'node:http';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from '@tinbao/shared';
import busboy from 'busboy';

/** A form as posted: its text fields (the first value of each name) and its files. */
export interface PostedForm {
  fields: Record<string, string>;
  files: PostedFile[];
  /** More files than MAX_PHOTOS were chosen: the rest were not read. */
  extraFiles: boolean;
}

export interface PostedFile {
  bytes: Uint8Array;
  /** The file was larger than MAX_PHOTO_BYTES: only its start was read, the rest drained. */
  truncated: boolean;
  size: number;
}

/** Text fields of a form: a description (4,000 characters of Vietnamese, URL-encoded) fits well. */
export const MAX_FIELD_BYTES = 64 * 1024;
/** The whole multipart body: five photos at the limit, and their form. */
export const MAX_MULTIPART_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024;

export class FormError extends Error {
  constructor(readonly problem: 'too_large' | 'malformed') {
    super(`form refused: ${problem}`);
    this.name = 'FormError';
  }
}

/**
 * Reads a multipart/form-data body with busboy: files kept in memory up to MAX_PHOTO_BYTES
 * each (a larger one is marked truncated and the rest drained, so the resident gets a clear
 * answer instead of a broken connection), at most MAX_PHOTOS files.
 */
export function readMultipart(request: IncomingMessage): Promise<PostedForm> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > MAX_MULTIPART_BYTES) return Promise.reject(new FormError('too_large'));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: {
          fileSize: MAX_PHOTO_BYTES,
          files: MAX_PHOTOS,
          fields: 20,
          fieldSize: MAX_FIELD_BYTES,
          parts: 40,
        },
        defParamCharset: 'utf8',
      });
    } catch {
      reject(new FormError('malformed'));
      return;
    }
    const fields: Record<string, string> = {};
    const files: PostedFile[] = [];
    const reading: Promise<void>[] = [];
    let extraFiles = false;
    let received = 0;
    let failed = false;
    const fail = (error: FormError) => {
      if (failed) return;
      failed = true;
      request.unpipe(parser);
      request.resume();
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_MULTIPART_BYTES) fail(new FormError('too_large'));
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new FormError('too_large'));
      if (!(name in fields)) fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      let size = 0;
      reading.push(
        new Promise<void>((done) => {
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            chunks.push(chunk);
          });
          stream.on('end', () => {
            // A file input left empty still sends a part: no name, no bytes.
            if (info.filename || size > 0)
              files.push({
                bytes: new Uint8Array(Buffer.concat(chunks)),
                truncated: stream.truncated === true,
                size,
              });
            done();
          });
          stream.on('error', () => done());
        }),
      );
    });
    parser.on('filesLimit', () => {
      extraFiles = true;
    });
    parser.on('partsLimit', () => fail(new FormError('malformed')));
    parser.on('fieldsLimit', () => fail(new FormError('malformed')));
    parser.on('error', () => fail(new FormError('malformed')));
    parser.on('close', () => {
      if (failed) return;
      void Promise.all(reading).then(() => resolve({ fields, files, extraFiles }));
    });
    request.pipe(parser);
  });
}
