import { describe, expect, it } from 'vitest'
import { toXmlContent, xmlDocumentV3, xmlListV3 } from './xml.js'

const NS = 'http://www.concursolutions.com/api/expense/expensereport/2011/03'

/** The builder's page, as the list route wrote it before `xmlListV3`: the definition it must equal. */
function general(records: { record: Record<string, unknown>; uri: string }[], next: string | null): string {
  return xmlDocumentV3('Reports', NS, {
    Items: { Report: records.map(({ record, uri }) => toXmlContent({ ...record, URI: uri })) },
    NextPage: next ?? { '@_i:nil': 'true' },
  })
}

const tricky: Record<string, unknown> = {
  ID: 'gWq$pA1',
  Name: `Dinner & "drinks" <team> 'Q3'`,
  Empty: '',
  Nothing: null,
  Missing: undefined,
  Amount: 12.5,
  NegativeZero: -0,
  Approved: true,
  Closed: false,
  Control: 'bell\u0007tab\tline\nlone\uD800end',
  Emoji: 'café 😀',
  Nested: { Code: 'US', Inner: { Deep: null, Text: 'a&b' }, List: ['x', 'y'] },
  Policies: [{ ID: 1, Name: 'P' }, null, { ID: 2, Name: "it's" }],
  Strings: ['one', '', 'th<r>ee'],
  NoMembers: [],
  When: new Date(0),
  123: 'integer-like key',
}

describe('xmlListV3 writes the same text as the XML builder', () => {
  it('for ordinary and tricky records, with and without a next page', () => {
    const records = [
      { record: tricky, uri: 'https://us.api.concursolutions.com/api/v3.0/expense/reports/gWq$pA1' },
      { record: { ID: 'b', Name: 'plain' }, uri: 'http://127.0.0.1:1/x?a=1&b=2' },
    ]
    for (const next of [null, 'http://127.0.0.1:1/api/v3.0/expense/reports?limit=2&offset=ab&user=ALL', '']) {
      expect(xmlListV3('Reports', NS, 'Report', records, next)).toBe(general(records, next))
    }
    expect(xmlListV3('Reports', NS, 'Report', [], null)).toBe(general([], null))
  })

  it('takes the builder for shapes only it handles (own URI, attribute-like keys, nested arrays)', () => {
    for (const record of [
      { ID: 'u', URI: 'own', Name: 'n' },
      { ID: 'a', '@_x': 'attr' },
      { ID: 't', Obj: { '#text': 'text' } },
      { ID: 'n', Matrix: [['a', 'b']] },
    ]) {
      const records = [{ record, uri: 'http://h/r' }]
      expect(xmlListV3('Reports', NS, 'Report', records, null)).toBe(general(records, null))
    }
  })
})
