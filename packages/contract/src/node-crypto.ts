/**
 * Node's `node:crypto`, looked up at call time through `process.getBuiltinModule` (Node ≥ 20.16)
 * instead of a static import, so the `.` entry loads on any runtime. Only functions that have no
 * synchronous Web-standard equivalent (RSA-PSS signing and verification) require it; hashing uses
 * it as a fast path and falls back to pure JS elsewhere.
 */
type NodeCrypto = typeof import('node:crypto')

const lookup = (): NodeCrypto | undefined =>
  (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    'node:crypto',
  ) as NodeCrypto | undefined

/** `node:crypto` when running on Node, else undefined. */
export const optionalNodeCrypto = (): NodeCrypto | undefined => lookup()

/** `node:crypto`, or a TypeError naming the function that needs Node. */
export function requireNodeCrypto(fn: string): NodeCrypto {
  const m = lookup()
  if (!m)
    throw new TypeError(
      `${fn} needs Node.js ≥ 20.16 (node:crypto); this runtime has no process.getBuiltinModule`,
    )
  return m
}
