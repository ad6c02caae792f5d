import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { decryptValue } from '@tinbao/bot/drafts/draft-store';
import { createEmulatorClient } from '@tinbao/emulators/telegram/client';
import { createZaloEmulatorClient } from '@tinbao/emulators/zalo/client';
import { getSodium, openEnvelope, readSecretFile } from '@tinbao/shared';
import { freePort } from '@tinbao/shared/testing/listening';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The attacker of the security model: a copy of everything at rest after `npm start` (the data
// folder: PGlite, the queue's Redis AOF) plus the gateway's own keys (its draft key, pepper and
// relay key pair, the organisation's PUBLIC key). Twenty residents sent tips, five abandoned
// drafts; the copy must lead to none of them.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let tinbao: ChildProcess;
let dataDir: string;
let keysDir: string;
let output = '';
const ports: Record<string, number> = {};

interface Chat {
  ids: string[];
  send(text: string): Promise<void>;
  /** The first bot message from now on that matches. */
  waitFor(pattern: RegExp): Promise<string>;
}

/** A chat on an emulator: `send` returns the sequence number of the resident's message, `after` the bot's texts after a number. */
function emulatedChat(
  id: string,
  send: (text: string) => Promise<number>,
  after: (seen: number) => Promise<{ seq: number; text: string }[]>,
): Chat {
  let seen = 0;
  return {
    ids: [id],
    async send(text) {
      seen = Math.max(seen, await send(text));
    },
    async waitFor(pattern) {
      for (;;) {
        const messages = await after(seen);
        seen = messages.at(-1)?.seq ?? seen;
        const found = messages.find((message) => pattern.test(message.text));
        if (found) return found.text;
      }
    },
  };
}

function telegramChat(url: string, chatId: number): Chat {
  const client = createEmulatorClient(url);
  return emulatedChat(
    String(chatId),
    // Telegram numbers the bot's messages apart from the resident's: wait from the last bot message seen.
    (text) => client.sendText(chatId, text).then(() => 0),
    async (seen) =>
      (await client.waitForMessages(chatId, { after: seen, timeoutMs: 120_000 })).map((message) => ({
        seq: message.message_id,
        text: message.text ?? '',
      })),
  );
}

function zaloChat(url: string, chatId: string): Chat {
  const client = createZaloEmulatorClient(url);
  return emulatedChat(
    chatId,
    async (text) => (await client.sendText(chatId, text)).seq,
    async (seen) =>
      (await client.waitForMessages(chatId, { after: seen, timeoutMs: 120_000 })).map((message) => ({
        seq: message.seq,
        text: message.text ?? '',
      })),
  );
}

/** A whole tip (or, abandoned, up to the description), typed as a resident types it on either channel. */
async function converse(chat: Chat, marker: string, abandon: boolean): Promise<string | undefined> {
  const steps: [string, RegExp][] = [
    ['/start', /Gửi tin báo/],
    ['Gửi tin báo', /Bước 1\/8/],
    ['Mua bán ma túy', /Bước 2\/8/],
    ['quang tri', /Bước 3\/8/],
    ['dak rong', /Chọn xã, phường đúng/],
    ['1', /Bước 4\/8/],
    ['Quán karaoke', /Bước 5\/8/],
    ['Hôm nay', /Bước 6\/8/],
    [`Có người bán ma túy ở quán karaoke đầu ngõ, tối nào cũng thấy. ${marker}`, /Bước 7\/8/],
  ];
  const finish: [string, RegExp][] = [
    ['Không có ảnh', /Bước 8\/8/],
    ['Đồng ý', /xem lại tin báo/],
    ['Gửi', /TB-[0-9A-Z]{5}-[0-9A-Z]{5}/],
  ];
  let last = '';
  for (const [text, expected] of abandon ? steps : [...steps, ...finish]) {
    await chat.send(text);
    last = await chat.waitFor(expected);
  }
  return abandon ? undefined : /TB-[0-9A-Z]{5}-[0-9A-Z]{5}/.exec(last)?.[0];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Every bulk string of a Redis AOF (RESP), and each SET's key and value. */
function parseAof(bytes: Buffer): { bulks: Buffer[]; sets: [string, Buffer][] } {
  const bulks: Buffer[] = [];
  const sets: [string, Buffer][] = [];
  let at = 0;
  const line = () => {
    const end = bytes.indexOf('\r\n', at);
    if (end < 0) {
      at = bytes.length;
      return '';
    }
    const text = bytes.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  while (at < bytes.length) {
    const head = line();
    if (!head.startsWith('*')) continue;
    const args: Buffer[] = [];
    for (let count = Number(head.slice(1)); count > 0; count--) {
      const length = Number(line().slice(1));
      if (!Number.isInteger(length) || length < 0) break;
      args.push(bytes.subarray(at, at + length));
      at += length + 2;
    }
    bulks.push(...args);
    if (args[0]?.toString().toUpperCase() === 'SET' && args[1] && args[2])
      sets.push([args[1].toString(), args[2]]);
  }
  return { bulks, sets };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tinbao-attack-data-'));
  keysDir = await mkdtemp(join(tmpdir(), 'tinbao-attack-keys-'));
  for (const name of [
    'PORT',
    'TINBAO_REDIS_PORT',
    'TINBAO_DRAFT_REDIS_PORT',
    'TELEGRAM_EMULATOR_PORT',
    'ZALO_EMULATOR_PORT',
    'WEB_FORM_PORT',
  ])
    ports[name] = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    DATA_DIR: dataDir,
    TINBAO_KEYS_DIR: keysDir,
    LOG_LEVEL: 'info',
  };
  for (const name of ['TELEGRAM_BOT_TOKEN', 'ZALO_BOT_TOKEN', 'REDIS_URL', 'DRAFT_REDIS_URL', 'DATABASE_URL'])
    delete env[name];
  tinbao = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-200_000);
      if (output.includes('TinBao is running')) resolve();
    };
    tinbao.stdout?.on('data', onData);
    tinbao.stderr?.on('data', onData);
    tinbao.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output.slice(-4000)}`)));
  });
}, 300_000);

afterAll(async () => {
  if (tinbao && tinbao.exitCode === null) {
    tinbao.kill('SIGINT');
    await once(tinbao, 'exit');
  }
  await rm(dataDir, { recursive: true, force: true });
  await rm(keysDir, { recursive: true, force: true });
});

describe('a copy of everything at rest plus the gateway keys', () => {
  it('leads to none of 20 sent tips and 5 abandoned drafts: no text, no chat or user id, nothing that opens', async () => {
    const telegramUrl = `http://127.0.0.1:${ports.TELEGRAM_EMULATOR_PORT}`;
    const zaloUrl = `http://127.0.0.1:${ports.ZALO_EMULATOR_PORT}`;
    const residents = Array.from({ length: 25 }, (_, index) => {
      const marker = `ATTACK-MARKER-${randomBytes(5).toString('hex')}`;
      const chat =
        index % 2 === 0
          ? telegramChat(telegramUrl, 7_700_000_000 + randomInt(90_000_000))
          : zaloChat(zaloUrl, `za${randomBytes(9).toString('hex')}`);
      return { chat, marker, abandon: index >= 20 };
    });
    const receipts = await Promise.all(
      residents.map((resident) => converse(resident.chat, resident.marker, resident.abandon)),
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nTinBao printed:\n${output.slice(-3000)}`);
    });
    const sent = receipts.filter((receipt) => receipt !== undefined);
    expect(sent).toHaveLength(20);

    tinbao.kill('SIGINT');
    await once(tinbao, 'exit');

    // What the attacker holds: the data folder and the gateway's keys (not the master key).
    const gatewayKeys = join(keysDir, 'gateway');
    const draftKey = await readSecretFile(join(gatewayKeys, 'draft.key'), 'draft key');
    const relayPrivate = await readSecretFile(join(gatewayKeys, 'relay.key'), 'relay key');
    const sodium = await getSodium();
    const relay = { publicKey: sodium.crypto_scalarmult_base(relayPrivate), privateKey: relayPrivate };
    const files = await filesUnder(dataDir);
    expect(files.some((file) => file.includes('appendonly'))).toBe(true);

    // The Redis passwords npm start made live in the keys folder: none is in the data folder.
    const redisPasswords = await Promise.all(
      ['queue', 'drafts'].map(async (name) =>
        Buffer.from(await readSecretFile(join(keysDir, `redis-${name}.key`), 'Redis password')).toString(
          'hex',
        ),
      ),
    );
    const needles = [
      ...residents.flatMap((resident) => [resident.marker, ...resident.chat.ids]),
      ...redisPasswords,
    ];
    for (const file of [...files, ...(await filesUnder(gatewayKeys))]) {
      const bytes = await readFile(file);
      for (const needle of needles)
        expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file}`).toBe(false);
    }

    // The queue's append-only file: every value ever written, tried with every gateway key.
    let opened = 0;
    let tried = 0;
    // The AOF's commands (its base snapshot, an RDB file, is in the byte scan above).
    for (const file of files.filter((name) => name.includes('appendonly') && name.endsWith('.aof'))) {
      const { bulks, sets } = parseAof(await readFile(file));
      expect(sets.some(([key]) => key.includes(':bot:draft:') || key.includes(':bot:photo:'))).toBe(false);
      for (const [key, value] of sets) {
        tried++;
        if (await decryptValue(draftKey, key, value)) opened++;
      }
      for (const bulk of bulks.filter((candidate) => candidate.length >= 48)) {
        tried++;
        if (
          await openEnvelope(new Uint8Array(bulk), relay).then(
            () => true,
            () => false,
          )
        )
          opened++;
        const sealed = (() => {
          try {
            return sodium.crypto_box_seal_open(new Uint8Array(bulk), relay.publicKey, relay.privateKey);
          } catch {
            return undefined;
          }
        })();
        if (sealed) opened++;
      }
    }
    expect(tried).toBeGreaterThan(0);
    expect(opened).toBe(0);

    // The database: the stored tips' envelopes do not open with the gateway's keys, and no reply token is kept.
    const db = await PGlite.create({ dataDir: join(dataDir, 'pglite') });
    try {
      const { rows } = await db.query<{ envelope: Uint8Array; reply_token: Uint8Array | null }>(
        'SELECT envelope, reply_token FROM tips',
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.reply_token).toBeNull();
        await expect(openEnvelope(new Uint8Array(row.envelope), relay)).rejects.toThrow();
      }
    } finally {
      await db.close();
    }
  }, 300_000);
});
