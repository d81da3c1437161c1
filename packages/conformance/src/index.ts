export { buildCatalogue } from './catalogue.js'
export type { Credentials, FixtureCompany, MockFixtures, TargetContext, TokenSet } from './context.js'
export { type ConformanceIo, createRedactor, type Redactor } from './io.js'
export {
  type ConformanceCheck,
  type ConformanceResult,
  formatJson,
  toConformanceResult,
} from './reporters/json.js'
export { formatJunit } from './reporters/junit.js'
export { formatPretty } from './reporters/pretty.js'
export {
  formatReport,
  listChecks,
  type ReporterName,
  type RunConformanceOptions,
  type RunConformanceResult,
  runConformance,
} from './run.js'
export { describeError, type RunOptions, runChecks } from './runner.js'
export {
  createShapeRecorder,
  diffShapes,
  loadShapes,
  mergeShapes,
  type Shape,
  type ShapeRecorder,
  saveShapes,
  shapeOf,
  withShapeComparison,
} from './shapes.js'
export {
  type MockTargetOptions,
  type OpenTarget,
  openMockTarget,
  openRemoteTarget,
  type RemoteTargetOptions,
} from './targets.js'
export type {
  Capability,
  CheckDefinition,
  CheckOutcome,
  CheckResult,
  CheckStatus,
  Coverage,
  RunReport,
} from './types.js'
export { CheckFailure, expect, fail, pass, skip, warn } from './types.js'
