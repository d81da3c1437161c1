export const PACKAGE = '@concurkit/auth'
