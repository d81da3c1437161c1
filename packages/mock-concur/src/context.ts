import type { DatacenterName } from '@concurkit/contract'
import type { Principal } from './principal.js'
import type { MockState } from './state.js'

/** What every route module of one datacenter's app receives. */
export interface DcContext {
  readonly state: MockState
  /** The datacenter this app serves. */
  readonly datacenter: DatacenterName
}

/** Hono environment of the mock's apps. */
export interface MockEnv {
  Variables: {
    /** Set by `requireToken`. */
    principal: Principal
    correlationId: string
  }
}
