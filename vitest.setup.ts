// Tests must be quiet: anything a library prints is a bug (and could be a leaked secret).
import { afterEach, beforeEach, vi } from 'vitest'

let printed: string[] = []
beforeEach(() => {
  printed = []
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(`console.${method}: ${args.map(String).join(' ').slice(0, 200)}`)
    })
  }
})
afterEach(() => {
  if (printed.length > 0) {
    const lines = printed
    printed = []
    throw new Error(`test printed to the console:\n${lines.join('\n')}`)
  }
})
