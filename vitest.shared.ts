import { fileURLToPath } from 'node:url'
import type { UserWorkspaceConfig } from 'vitest/config'

const setup = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))

/**
 * The settings every vitest project shares: tests import workspace packages from source
 * (the `@concurkit/source` export condition), run in Node, and fail when they print.
 */
export function sharedProject(
  name: string,
  overrides: UserWorkspaceConfig['test'] = {},
): UserWorkspaceConfig {
  return {
    resolve: { conditions: ['@concurkit/source', 'import', 'module', 'node', 'default'] },
    ssr: { resolve: { conditions: ['@concurkit/source', 'import', 'module', 'node', 'default'] } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
      setupFiles: [setup],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      clearMocks: true,
      restoreMocks: true,
      ...overrides,
    },
  }
}
