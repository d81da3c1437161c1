export const NODE = true
