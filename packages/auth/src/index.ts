export {
  AUTH_ERROR_CODES,
  type AuthErrorCode,
  DATACENTERS,
  type Datacenter,
  type DatacenterName,
  datacenterOf,
  TOKEN_LIFETIMES,
} from '@concurkit/contract'
export {
  type AuthorizationCallback,
  type AuthorizationCodeGrantOptions,
  type AuthorizeUrlOptions,
  authorizationCodeGrant,
  buildAuthorizeUrl,
  parseAuthorizationCallback,
} from './authorize.js'
export {
  ADVICE,
  ConcurAuthError,
  type ConcurAuthErrorCode,
  type ConcurAuthErrorDetails,
  ConcurNetworkError,
  ConcurOAuthError,
  type OAuthErrorFacts,
} from './errors.js'
export {
  type ClientCredentialsGrantOptions,
  type CompanyRequestTokenGrantOptions,
  clientCredentialsGrant,
  companyRequestTokenGrant,
  type PasswordGrantOptions,
  passwordGrant,
  type RefreshTokenGrantOptions,
  refreshTokenGrant,
} from './grants.js'
export { createHttp, type Http, type HttpOptions, type HttpRequest, type HttpResponse } from './http.js'
export { type VerifyIdTokenOptions, verifyIdToken } from './id-token.js'
export {
  type AccessToken,
  createTokenManager,
  type TokenEvent,
  type TokenManager,
  type TokenManagerOptions,
  type TokenStatus,
} from './manager.js'
export { type OtpGrantOptions, otpGrant, type RequestOtpOptions, requestOtp } from './otp.js'
export { Secret, secret } from './secret.js'
export {
  decodeProfile,
  type EncodedProfile,
  encodeProfile,
  type FileStoreOptions,
  fileStore,
  type GrantKind,
  memoryStore,
  type Principal,
  type StoredProfile,
  type TokenStore,
} from './store.js'
export type { OAuthCallOptions, TokenSet } from './token-endpoint.js'
