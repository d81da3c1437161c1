import { CALLOUT_ERROR_CODES, type CalloutErrorCode, ConcurkitError } from '@concurkit/contract'

/** Stable error codes of `@concurkit/callout-kit` (never renamed once released). */
export const CALLOUT_XML_INVALID = CALLOUT_ERROR_CODES.XML_INVALID
export const CALLOUT_XML_REFUSED = CALLOUT_ERROR_CODES.XML_REFUSED
export const CALLOUT_SCHEMA_INVALID = CALLOUT_ERROR_CODES.SCHEMA_INVALID
export const CALLOUT_CONFIG_INVALID = CALLOUT_ERROR_CODES.CONFIG_INVALID

const BRAND = Symbol.for('@concurkit/callout-kit/error')

/**
 * Base of every error this package throws, a `ConcurkitError` (the shared base of
 * `@concurkit/contract`); match on `code`.
 *
 * @example
 * try { parseEventNotification(xml) } catch (e) { if (e instanceof CalloutKitError) console.error(e.code) }
 */
export class CalloutKitError extends ConcurkitError {
  declare readonly code: CalloutErrorCode
  readonly [BRAND] = true
  constructor(code: CalloutErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'CalloutKitError'
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value
  }
}

/**
 * A callout document that is not well-formed, has the wrong root, or misses/duplicates an element.
 * `element` names the element at fault (e.g. `AttendeeSearchResponse/Attendee[1]/FirstName`).
 *
 * @example
 * new CalloutXmlError('missing element', 'fetch-list-response/item[2]/code')
 */
export class CalloutXmlError extends CalloutKitError {
  readonly element: string | undefined
  constructor(message: string, element?: string, options?: { cause?: unknown }) {
    super(CALLOUT_XML_INVALID, message, options)
    this.name = 'CalloutXmlError'
    this.element = element
  }
}

/**
 * A document refused before parsing: a DTD/entity declaration, too deep, or too large.
 *
 * @example
 * new CalloutXmlRefusedError('too-large', 'document larger than 1048576 bytes')
 */
export class CalloutXmlRefusedError extends CalloutKitError {
  readonly reason: 'doctype' | 'depth' | 'too-large'
  constructor(reason: 'doctype' | 'depth' | 'too-large', message: string) {
    super(CALLOUT_XML_REFUSED, message)
    this.name = 'CalloutXmlRefusedError'
    this.reason = reason
  }
}

/**
 * A well-formed document whose values break Concur's rules (length, required, enum).
 *
 * @example
 * new CalloutSchemaError('FirstName: too long', 'AttendeeSearchResponse/Attendee[1]/FirstName')
 */
export class CalloutSchemaError extends CalloutKitError {
  readonly element: string | undefined
  constructor(message: string, element?: string) {
    super(CALLOUT_SCHEMA_INVALID, message)
    this.name = 'CalloutSchemaError'
    this.element = element
  }
}
