/** Drops a Map's oldest entries (the first inserted) beyond `limit`: the emulators' memory bounds. */
export function dropOldest<K, V>(map: Map<K, V>, limit: number): void {
  while (map.size > limit) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) return;
    map.delete(oldest);
  }
}
