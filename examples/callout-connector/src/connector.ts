import { createConnector, type FetchListItem } from '@concurkit/callout-kit'

/** The cost centres the connector serves (in production: a database or an ERP call). */
const COST_CENTRES: readonly FetchListItem[] = [
  { code: 'CC-100', shortCode: 'CC-100', text: 'Sales North', matchValue: 'Sales North' },
  { code: 'CC-200', shortCode: 'CC-200', text: 'Sales South', matchValue: 'Sales South' },
  { code: 'CC-300', shortCode: 'CC-300', text: 'Research', matchValue: 'Research' },
]

/**
 * A List Item (fetch list) connector: Concur asks for list items matching what the user typed;
 * `query` uses `*` as a wildcard. Basic auth and the XML wire format are handled by callout-kit.
 */
export function costCentreConnector(credentials: { user: string; password: string }) {
  return createConnector({
    credentials,
    handlers: {
      fetchList: (req) => {
        const pattern = new RegExp(
          `^${req.query.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
          'i',
        )
        return COST_CENTRES.filter((c) => pattern.test(c.text) || pattern.test(c.code)).slice(
          0,
          req.numToReturn,
        )
      },
    },
  })
}
