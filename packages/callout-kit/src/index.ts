export {
  CALLOUT_ERROR_CODES,
  type CalloutAttendeeInput,
  type CalloutErrorCode,
  type EventNotification,
  type FetchAttendeeRequest,
  type FetchListItem,
  type FetchListRequest,
} from '@concurkit/contract'
export { basicAuthHeader, type ConnectorCredentials, checkBasicAuth } from './basic-auth.js'
export {
  type CalloutCaller,
  type CalloutCallerOptions,
  type CalloutExchange,
  createCalloutCaller,
} from './caller.js'
export {
  parseEventNotification,
  parseFetchAttendeeRequest,
  parseFetchAttendeeResponse,
  parseFetchListRequest,
  parseFetchListResponse,
  serializeEventNotification,
  serializeFetchAttendeeRequest,
  serializeFetchAttendeeResponse,
  serializeFetchListRequest,
  serializeFetchListResponse,
} from './codec.js'
export {
  type ConnectorHandlers,
  type ConnectorOptions,
  type ConnectorPaths,
  createConnector,
  DEFAULT_CONNECTOR_PATHS,
  type HandlerContext,
  type LaunchExternalUrlRequest,
} from './connector.js'
export { CalloutKitError, CalloutSchemaError, CalloutXmlError, CalloutXmlRefusedError } from './errors.js'
export {
  type ConnectorCheck,
  type ConnectorTestOptions,
  type ConnectorTestReport,
  testConnector,
} from './play.js'
export { sampleEventNotification, sampleFetchAttendeeRequest, sampleFetchListRequest } from './samples.js'
export {
  buildLaunchExternalUrl,
  type LaunchFields,
  type LaunchUrlVersion,
  signLaunchExternalUrl,
  verifyLaunchExternalUrl,
} from './signature.js'
