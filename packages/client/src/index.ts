export const PACKAGE = '@concurkit/client'
