export const PACKAGE = '@concurkit/mock-concur'
