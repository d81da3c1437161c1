/**
 * Index plans: how a filtered list is walked without materialising it. A plan names the candidate
 * indices in increasing order (`next`) and tests one cheaply (`test`). Candidates come from an
 * index window (date filters map to a window because reports are created in index order), strides
 * (owner `r mod users`, attendee `a mod types` ...) or an explicit small list (ids named by a filter).
 */
export interface Plan {
  /** The first candidate index ≥ pos, or -1 when there is none. */
  next(pos: number): number
  /** Whether candidate `i` matches. */
  test(i: number): boolean
}

/** A candidate set: `[lo, hi)`, restricted to indices ≡ rem (mod mod) for each stride, or to an explicit list. */
export interface Candidates {
  lo: number
  hi: number
  strides: { mod: number; rem: number }[]
  explicit?: number[]
}

/** No candidates at all. */
export const EMPTY_PLAN: Plan = { next: () => -1, test: () => false }

/**
 * Builds `next` for a candidate set. The widest stride drives the walk; the others are tested.
 *
 * @example
 * candidateWalker({ lo: 0, hi: 100, strides: [{ mod: 10, rem: 3 }] })(4) // 13
 */
export function candidateWalker(c: Candidates): {
  next: (pos: number) => number
  ok: (i: number) => boolean
} {
  const strides = c.strides.filter((s) => s.mod > 1)
  const ok = (i: number) => i >= c.lo && i < c.hi && strides.every((s) => i % s.mod === s.rem)
  if (c.explicit) {
    const list = [...new Set(c.explicit)].filter(ok).sort((a, b) => a - b)
    return {
      ok,
      next(pos) {
        let lo = 0
        let hi = list.length
        while (lo < hi) {
          const mid = (lo + hi) >> 1
          if (list[mid]! < pos) lo = mid + 1
          else hi = mid
        }
        return lo < list.length ? list[lo]! : -1
      },
    }
  }
  const drive = strides.reduce<{ mod: number; rem: number } | undefined>(
    (a, s) => (a === undefined || s.mod > a.mod ? s : a),
    undefined,
  )
  return {
    ok,
    next(pos) {
      let i = Math.max(pos, c.lo)
      if (drive) i += (((drive.rem - i) % drive.mod) + drive.mod) % drive.mod
      return i < c.hi ? i : -1
    },
  }
}

/**
 * A plan from a candidate set and a test.
 *
 * @example
 * const plan = planOf({ lo: 0, hi: n, strides: [] }, (i) => i % 2 === 0)
 */
export function planOf(c: Candidates, test: (i: number) => boolean): Plan {
  if (c.lo >= c.hi) return EMPTY_PLAN
  const w = candidateWalker(c)
  return { next: w.next, test: (i) => w.ok(i) && test(i) }
}

/**
 * A plan over child records `i = r * k + s` of the records of a parent plan (reports → entries ...).
 *
 * @example
 * childPlan(reportPlan, 3, (r, s) => s === 1)
 */
export function childPlan(parent: Plan, k: number, slotTest: (r: number, s: number) => boolean): Plan {
  return {
    next(pos) {
      const r0 = Math.floor(pos / k)
      const r = parent.next(r0)
      if (r < 0) return -1
      return r === r0 ? pos : r * k
    },
    test(i) {
      const r = Math.floor(i / k)
      return parent.test(r) && slotTest(r, i % k)
    },
  }
}
