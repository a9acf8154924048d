/**
 * Stores `value` under `key` as the map's newest entry (a Map iterates in insertion order), and
 * drops the oldest entry once the map holds more than `capacity`: the least recently stored goes
 * first. The API's in-memory tables (the payment directory, payment views, rate-limit buckets) are
 * bounded this way.
 */
export function storeNewest<K, V>(map: Map<K, V>, key: K, value: V, capacity: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > capacity) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
