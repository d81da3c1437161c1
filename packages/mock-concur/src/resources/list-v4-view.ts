import type { ListV4Item, ListV4List } from '@concurkit/contract'
import type { Dataset } from '../dataset/dataset.js'
import type { CreatedRecord, DatasetOverlay, ResourceOverlay } from '../dataset/overlay.js'
import { type Provider, providerOf, type WireRecord } from '../dataset/providers.js'
import { uuidFrom } from '../util/hash.js'

/**
 * The List v4 view of the lists and list items the v3.0 list APIs serve. There is one store of
 * records (the seeded v3.0 records plus the `lists` / `list-items` write overlays); this module only
 * translates: a v4 id is `uuidFrom(seed, company, 'list-v4' | 'list-item-v4', <v3.0 ID>)`, an
 * item's long `code` is its v3.0 level codes joined by `-`, its `shortCode` the last of them, its
 * `level` their count, its parent the item of the same list whose codes are its codes minus the last.
 */

/** Where a v3.0 record lives: a seeded index (maybe patched) or a created record. */
export interface V3Ref {
  readonly index: number
  readonly created?: CreatedRecord
  readonly record: WireRecord
}

export interface ListNode {
  readonly id: string
  readonly ref: V3Ref
  readonly items: ItemNode[]
}

export interface ItemNode {
  readonly id: string
  readonly ref: V3Ref
  readonly list: ListNode
  readonly codes: readonly string[]
  readonly code: string
  parent: ItemNode | null
  readonly children: ItemNode[]
}

export interface ListV4View {
  readonly lists: readonly ListNode[]
  readonly listById: ReadonlyMap<string, ListNode>
  readonly itemById: ReadonlyMap<string, ItemNode>
}

/** The most levels a list item can have (v3.0 `Level1Code` … `Level10Code`). */
export const MAX_LEVELS = 10

export const listV4Id = (ds: Dataset, v3Id: string) => uuidFrom(ds.seed, ds.company.id, 'list-v4', v3Id)
export const itemV4Id = (ds: Dataset, v3Id: string) => uuidFrom(ds.seed, ds.company.id, 'list-item-v4', v3Id)
/** The categories the mock's lists are in (v3.0 `IsVendorList` → Vendor, else Normal). */
export const CATEGORY_TYPES = ['Normal', 'Vendor'] as const
export const categoryId = (ds: Dataset, type: string) =>
  uuidFrom(ds.seed, ds.company.id, 'list-category-v4', type)

/** Every live record of a provider: seeded (with patches) first, then created, in order. */
export function liveRecords(ds: Dataset, provider: Provider, overlay: ResourceOverlay | undefined): V3Ref[] {
  const out: V3Ref[] = []
  const base = provider.size(ds)
  for (let i = 0; i < base; i++) {
    if (overlay?.patches.has(i)) {
      const rec = overlay.patches.get(i)
      if (rec) out.push({ index: i, record: rec })
    } else if (provider.exists(ds, i)) out.push({ index: i, record: provider.generate(ds, i) })
  }
  overlay?.created.forEach((c, k) => {
    if (c.record) out.push({ index: base + k, created: c, record: c.record })
  })
  return out
}

/** The v3.0 level codes of an item record, up to the first empty one. */
export function levelCodes(record: WireRecord): string[] {
  const codes: string[] = []
  for (let n = 1; n <= MAX_LEVELS; n++) {
    const v = record[`Level${n}Code`]
    if (typeof v !== 'string' || v === '') break
    codes.push(v)
  }
  return codes
}

/** Builds the view of one company (cheap: 6 seeded lists and 240 items plus the writes). */
export function buildView(ds: Dataset, overlays: DatasetOverlay): ListV4View {
  const listRefs = liveRecords(ds, providerOf('lists')!, overlays.peek(ds.company.id, 'lists'))
  const lists: ListNode[] = []
  const listByV3 = new Map<string, ListNode>()
  const listById = new Map<string, ListNode>()
  for (const ref of listRefs) {
    const node: ListNode = { id: listV4Id(ds, String(ref.record.ID)), ref, items: [] }
    lists.push(node)
    listByV3.set(String(ref.record.ID), node)
    listById.set(node.id, node)
  }
  const itemById = new Map<string, ItemNode>()
  const byCode = new Map<string, ItemNode>()
  const itemRefs = liveRecords(ds, providerOf('list-items')!, overlays.peek(ds.company.id, 'list-items'))
  for (const ref of itemRefs) {
    const list = listByV3.get(String(ref.record.ListID))
    const codes = levelCodes(ref.record)
    if (!list || codes.length === 0) continue
    const node: ItemNode = {
      id: itemV4Id(ds, String(ref.record.ID)),
      ref,
      list,
      codes,
      code: codes.join('-'),
      parent: null,
      children: [],
    }
    list.items.push(node)
    itemById.set(node.id, node)
    const key = `${list.id}\u001f${node.code}`
    if (!byCode.has(key)) byCode.set(key, node)
  }
  for (const node of itemById.values()) {
    if (node.codes.length < 2) continue
    const parent = byCode.get(`${node.list.id}\u001f${node.codes.slice(0, -1).join('-')}`)
    if (parent) {
      node.parent = parent
      parent.children.push(node)
    }
  }
  return { lists, listById, itemById }
}

/** The item with long code `code` in a list. */
export function itemByCode(list: ListNode, code: string): ItemNode | undefined {
  return list.items.find((i) => i.code === code)
}

/** A list's level count: its configured levels (seeded lists) or its deepest item, at least 1. */
export function levelCountOf(list: ListNode, seededLevels: number | undefined): number {
  let n = Math.max(1, seededLevels ?? 1)
  for (const i of list.items) n = Math.max(n, i.codes.length)
  return n
}

/** The wire `ListResponse` of a list. */
export function listWire(
  ds: Dataset,
  list: ListNode,
  managedBy: string | null,
  seededLevels: number | undefined,
): ListV4List {
  const r = list.ref.record
  const type = r.IsVendorList === true ? 'Vendor' : 'Normal'
  return {
    id: list.id,
    value: String(r.Name ?? ''),
    levelCount: levelCountOf(list, seededLevels),
    searchCriteria: r.SearchCriteriaCode === 'CODE' ? 'CODE' : 'TEXT',
    displayFormat: r.DisplayCodeFirst === true ? '(CODE) TEXT' : 'TEXT (CODE)',
    category: { id: categoryId(ds, type), type },
    isReadOnly: false,
    isDeleted: false,
    managedBy,
    ...(r.ConnectorID ? { externalThreshold: Number(r.ExternalThreshold ?? 1) } : {}),
  }
}

/** The wire `ListItem` of an item. */
export function itemWire(item: ItemNode): ListV4Item {
  return {
    id: item.id,
    code: item.code,
    shortCode: item.codes.at(-1)!,
    value: String(item.ref.record.Name ?? ''),
    parentId: item.parent?.id ?? null,
    level: item.codes.length,
    isDeleted: false,
    lists: [{ id: item.list.id, hasChildren: item.children.length > 0 }],
  }
}

/** The item and every item below it, deepest first (the order to delete them in). */
export function subtree(item: ItemNode): ItemNode[] {
  const out: ItemNode[] = []
  const visit = (n: ItemNode) => {
    for (const c of n.children) visit(c)
    out.push(n)
  }
  visit(item)
  return out
}
