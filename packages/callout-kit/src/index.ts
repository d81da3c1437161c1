export const PACKAGE = '@concurkit/callout-kit'
