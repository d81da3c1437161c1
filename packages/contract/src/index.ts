export { DATACENTERS, type Datacenter, DatacenterName, datacenterOf, LEGACY_HOSTS } from './datacenters.js'
export {
  OAUTH_ERRORS,
  OAuthErrorBody,
  type OAuthErrorCode,
  oauthErrorBody,
  V4Error,
  WebServiceError,
} from './errors.js'
export {
  AuthorizationCodeGrantRequest,
  AuthorizeQuery,
  ClientCredentialsGrantRequest,
  CompanyAuthTokenResponse,
  CredType,
  GrantType,
  IdTokenClaims,
  Jwk,
  Jwks,
  OtpGrantRequest,
  OtpRequest,
  OtpResponse,
  PasswordGrantRequest,
  RefreshTokenGrantRequest,
  Scope,
  TOKEN_LIFETIMES,
  TokenRequest,
  TokenResponse,
  type TokenResponseWire,
} from './oauth.js'
export {
  defineResource,
  type FilterDefinition,
  type FilterType,
  type PagingModel,
  RESOURCE_NAMES,
  type ResourceDefinition,
  ResourceName,
  type WireFormat,
  type XmlNaming,
} from './registry.js'
export { getResource, isResourceName, RESOURCES } from './resources/index.js'
