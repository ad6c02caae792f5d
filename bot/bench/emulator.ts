/**
 * Emulator benchmark: what the local Telegram emulator costs, so the bot's own figures
 * (bot/bench/conversation.ts) can be read against it. Everything runs in this process:
 * the emulator, a grammY echo bot (long polling) and the residents' HTTP clients.
 * Prints (1) Bot API sendMessage calls per second at 50 in flight, and (2) the round trip a
 * resident sees (sendText → echo → waitForMessages) for growing numbers of concurrent chats,
 * each with the CPU time spent per call or round trip (steadier than wall time on a busy machine).
 * A round trip is 4 HTTP exchanges: sendText, getUpdates, sendMessage, the /messages long poll.
 *
 *   npx tsx bot/bench/emulator.ts
 */

import { createEmulatorClient } from '@tinbao/emulators/telegram/client';
import { startTelegramEmulator } from '@tinbao/emulators/telegram/server';
import { Bot } from 'grammy';

const TOKEN = '900001:emulator-bench';
const EXCHANGES_PER_CHAT = 10;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const emulator = await startTelegramEmulator({ port: 0 });
const client = createEmulatorClient(emulator.url);
const bot = new Bot(TOKEN, { client: { apiRoot: emulator.url } });
bot.on('message:text', (context) => context.reply(`echo ${context.message.text}`));
await new Promise<void>((resolve, reject) => {
  bot.start({ onStart: () => resolve(), timeout: 30 }).catch(reject);
});

try {
  // (1) Raw Bot API throughput.
  const chatId = 1;
  await client.sendText(chatId, 'warm up');
  await client.waitForMessages(chatId, { count: 1 });
  const calls = 2000;
  const inFlight = 50;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < calls) {
        next += 1;
        await bot.api.sendMessage(chatId, `tin ${next}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `sendMessage: ${calls} calls, ${inFlight} in flight: ${(calls / seconds).toFixed(0)} calls/s; ` +
      `CPU ${((cpu.user + cpu.system) / 1000 / calls).toFixed(2)} ms per call (client + emulator)`,
  );

  // (2) Resident round trips through the bot.
  let chatBase = 10_000;
  for (const chats of [10, 50, 200]) {
    const roundTrips: number[] = [];
    const levelCpu = process.cpuUsage();
    const levelStarted = performance.now();
    chatBase += 1000;
    await Promise.all(
      Array.from({ length: chats }, async (_, index) => {
        const id = chatBase + index;
        let after = 0;
        for (let exchange = 0; exchange < EXCHANGES_PER_CHAT; exchange += 1) {
          const begin = performance.now();
          await client.sendText(id, `câu ${exchange}`);
          const [reply] = await client.waitForMessages(id, { after, timeoutMs: 30_000 });
          roundTrips.push(performance.now() - begin);
          after = reply!.message_id;
        }
      }),
    );
    const levelSeconds = (performance.now() - levelStarted) / 1000;
    const cpu = process.cpuUsage(levelCpu);
    console.log(
      `${String(chats).padStart(3)} chats × ${EXCHANGES_PER_CHAT} exchanges: ${(roundTrips.length / levelSeconds).toFixed(0)} round trips/s; ` +
        `round trip p50 ${percentile(roundTrips, 50).toFixed(1)} ms, p99 ${percentile(roundTrips, 99).toFixed(1)} ms; ` +
        `CPU ${((cpu.user + cpu.system) / 1000 / roundTrips.length).toFixed(2)} ms per round trip`,
    );
  }
} finally {
  await bot.stop();
  await emulator.close();
}
