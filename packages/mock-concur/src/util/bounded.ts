/**
 * The value `cache` keeps under `key`, else `make()`'s, then kept: at most `limit` entries, the oldest
 * first out (insertion order). For the mock's per-company caches, whose bound is an entry count
 * independent of the dataset size.
 *
 * @example
 * const cores = keptIn(coresCache, key, 16, () => drawCores(ds, 0, n))
 */
export function keptIn<K, V>(cache: Map<K, V>, key: K, limit: number, make: () => V): V {
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const made = make()
  if (cache.size >= limit) cache.delete(cache.keys().next().value as K)
  cache.set(key, made)
  return made
}
