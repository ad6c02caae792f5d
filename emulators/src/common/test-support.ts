/** A 2x1 PNG: the smallest real image both emulators take as a resident's photo. */
export const PNG_2X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGP4z8DwHwQBEPgD/U6VwW8AAAAASUVORK5CYII=',
  'base64',
);

/** Observes an emulator until a getUpdates long poll is waiting (polling external state with a deadline). */
export async function untilPolling(client: { status(): Promise<{ polling: boolean }> }): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await client.status()).polling) {
    if (Date.now() > deadline) throw new Error('no getUpdates long poll arrived');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
