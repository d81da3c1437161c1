import type { CalloutCaller } from '@concurkit/callout-kit'
import type { ConnectorView, EventNotification } from '@concurkit/contract'

/** A registered connector; the password lives only inside its caller (never listed). */
export interface ConnectorRecord {
  readonly view: ConnectorView
  readonly caller: CalloutCaller
}

/** A notification Concur could not deliver: it stays FAILED until delivered again or deleted. */
export interface FailedNotificationRecord {
  readonly id: string
  readonly connectorId: string
  readonly company: string
  readonly datacenter: string
  readonly notification: EventNotification
  /** When it was first attempted (mock clock, ISO). */
  readonly createdAt: string
  attempts: number
  lastProblem: string
}

/** The mock's connector registry and notification queue (cleared by `state.reset()`). */
export class ConnectorStore {
  readonly connectors = new Map<string, ConnectorRecord>()
  readonly failed = new Map<string, FailedNotificationRecord>()
  #connectorSeq = 0
  #notificationSeq = 0

  nextConnectorId(): number {
    return ++this.#connectorSeq
  }

  nextNotificationId(): number {
    return ++this.#notificationSeq
  }

  remove(id: string): boolean {
    const record = this.connectors.get(id)
    if (!record) return false
    this.connectors.delete(id)
    void record.caller.close()
    return true
  }

  reset(): void {
    for (const id of [...this.connectors.keys()]) this.remove(id)
    this.failed.clear()
    this.#connectorSeq = 0
    this.#notificationSeq = 0
  }
}

/** The store of a mock (one per `MockState`). */
export const CONNECTOR_STORE_KEY = 'callouts:connectors'
