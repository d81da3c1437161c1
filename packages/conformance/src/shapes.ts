import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from './io.js'
import type { CheckResult, RunReport } from './types.js'

/**
 * The shape of a response: field names, value types, nullability and optionality — never values.
 * Shapes of several samples merge (types union; a field missing from some samples is optional).
 */
export interface Shape {
  types: string[]
  optional?: boolean
  fields?: Record<string, Shape>
  items?: Shape
}

/** The shape of one value. */
export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return { types: ['null'] }
  if (Array.isArray(value)) {
    let items: Shape | undefined
    for (const v of value) items = items ? mergeShapes(items, shapeOf(v)) : shapeOf(v)
    return items ? { types: ['array'], items } : { types: ['array'] }
  }
  if (typeof value === 'object') {
    const fields: Record<string, Shape> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) fields[k] = shapeOf(v)
    return { types: ['object'], fields }
  }
  return { types: [typeof value] }
}

/** Merges two shapes of the same response. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  const types = [...new Set([...a.types, ...b.types])].sort()
  const out: Shape = { types }
  if (a.optional || b.optional) out.optional = true
  if (a.fields || b.fields) {
    const fields: Record<string, Shape> = {}
    const names = new Set([...Object.keys(a.fields ?? {}), ...Object.keys(b.fields ?? {})])
    for (const name of [...names].sort()) {
      const fa = a.fields?.[name]
      const fb = b.fields?.[name]
      if (fa && fb) fields[name] = mergeShapes(fa, fb)
      else {
        // present in one sample only: optional (an object sample without fields says nothing)
        const only = (fa ?? fb)!
        const sawObjectWithout = (fa ? b : a).types.includes('object')
        fields[name] = sawObjectWithout ? { ...only, optional: true } : only
      }
    }
    out.fields = fields
  }
  if (a.items && b.items) out.items = mergeShapes(a.items, b.items)
  else if (a.items || b.items) out.items = a.items ?? b.items
  return out
}

/** Collects response shapes per key (e.g. `GET /api/v3.0/expense/reports`). */
export interface ShapeRecorder {
  add(key: string, body: unknown): void
  entries(): [string, Shape][]
}

export function createShapeRecorder(): ShapeRecorder {
  const shapes = new Map<string, Shape>()
  return {
    add(key, body) {
      const s = shapeOf(body)
      const prev = shapes.get(key)
      shapes.set(key, prev ? mergeShapes(prev, s) : s)
    },
    entries: () => [...shapes.entries()].sort(([a], [b]) => a.localeCompare(b)),
  }
}

function fileNameOf(key: string): string {
  return `${key.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '')}.shape.json`
}

/** Writes one `<key>.shape.json` per response key into `dir` (created if missing). */
export async function saveShapes(dir: string, recorder: ShapeRecorder): Promise<number> {
  await mkdir(dir, { recursive: true })
  const entries = recorder.entries()
  for (const [key, shape] of entries) {
    await writeFileAtomic(join(dir, fileNameOf(key)), `${JSON.stringify({ key, shape }, null, 2)}\n`)
  }
  return entries.length
}

/** Reads a recording made with `saveShapes`. */
export async function loadShapes(dir: string): Promise<Map<string, Shape>> {
  const out = new Map<string, Shape>()
  const names = (await readdir(dir)).filter((n) => n.endsWith('.shape.json')).sort()
  for (const name of names) {
    const parsed = JSON.parse(await readFile(join(dir, name), 'utf8')) as { key?: unknown; shape?: unknown }
    if (typeof parsed.key !== 'string' || typeof parsed.shape !== 'object' || parsed.shape === null) {
      throw new Error(`${name} is not a shape recording`)
    }
    out.set(parsed.key, parsed.shape as Shape)
  }
  return out
}

/**
 * Differences between a recorded shape (`expected`, e.g. real Concur) and the mock's (`actual`),
 * one line each: missing/extra fields, type and nullability mismatches.
 *
 * @example
 * diffShapes(recorded, mock) // ['Items[].Total: recorded number, mock string']
 */
export function diffShapes(expected: Shape, actual: Shape, path = ''): string[] {
  const out: string[] = []
  const here = path || '(body)'
  const et = expected.types.filter((t) => t !== 'null')
  const at = actual.types.filter((t) => t !== 'null')
  if (et.length > 0 && at.length > 0 && et.join('|') !== at.join('|')) {
    out.push(`${here}: recorded ${et.join('|')}, mock ${at.join('|')}`)
  }
  if (expected.types.includes('null') && !actual.types.includes('null') && at.length > 0) {
    out.push(`${here}: nullable in the recording, never null on the mock`)
  }
  if (expected.fields && actual.fields) {
    for (const [name, fe] of Object.entries(expected.fields)) {
      const fa = actual.fields[name]
      const p = path ? `${path}.${name}` : name
      if (!fa) out.push(`${p}: missing on the mock`)
      else out.push(...diffShapes(fe, fa, p))
    }
    for (const name of Object.keys(actual.fields)) {
      if (!(name in expected.fields)) out.push(`${path ? `${path}.${name}` : name}: only on the mock`)
    }
  }
  if (expected.items && actual.items) out.push(...diffShapes(expected.items, actual.items, `${path}[]`))
  return out
}

/**
 * Adds one `shapes.<key>` check per recorded response to a report: pass when the shape this run
 * received is the recorded one, fail with the differences, warn when this run never received it.
 *
 * @example
 * const compared = withShapeComparison(report, await loadShapes('shapes/'), recorder.entries())
 */
export function withShapeComparison(
  report: RunReport,
  recording: ReadonlyMap<string, Shape>,
  received: readonly [string, Shape][],
): RunReport {
  const mock = new Map(received)
  const extra: CheckResult[] = []
  for (const [key, expected] of recording) {
    const actual = mock.get(key)
    const base = {
      id: `shapes.${key}`,
      title: `shape of ${key} matches the recording`,
      group: 'shapes',
      reference: 'C.0',
      durationMs: 0,
    }
    if (!actual) {
      extra.push({
        ...base,
        status: 'warn',
        reason: 'recorded, but this run never received that response from the mock',
      })
      continue
    }
    const diffs = diffShapes(expected, actual)
    extra.push(
      diffs.length === 0
        ? { ...base, status: 'pass', reason: 'same field names, types and nullability' }
        : {
            ...base,
            status: 'fail',
            reason: `${diffs.length} difference(s): ${diffs.slice(0, 5).join('; ')}`,
          },
    )
  }
  const checks = [...report.checks, ...extra]
  const count = (s: CheckResult['status']) => checks.filter((c) => c.status === s).length
  return {
    ...report,
    checks,
    summary: {
      ...report.summary,
      passed: count('pass'),
      failed: count('fail'),
      warned: count('warn'),
      skipped: count('skip'),
    },
  }
}
