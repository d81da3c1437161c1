/*
 * Contract paths (`/api/…/{Name}/…`) turned into what the mock needs: a Hono route, or a URL with
 * its placeholders filled. The contract is the only place a Concur path is written.
 */

/** A contract path (`/a/{Id}/b/`) as a Hono route (`/a/:Id/b`; the app is not strict about the last slash). */
export function routePath(path: string): string {
  const route = path.replace(/\{([^}]+)\}/g, ':$1')
  return route.length > 1 ? route.replace(/\/+$/, '') : route
}

/**
 * A contract path with its `{Name}` placeholders filled (values as given, not encoded).
 *
 * @example
 * fillPath('/api/expense/extract/v1.0/{DefinitionID}/job', { DefinitionID: 'gWx' }) // '/api/expense/extract/v1.0/gWx/job'
 */
export function fillPath(path: string, values: Readonly<Record<string, string>>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined) throw new RangeError(`no value for {${name}} in ${path}`)
    return value
  })
}

/**
 * A filler for a path of one placeholder, split once (for links built on every generated record).
 *
 * @example
 * const url = pathWithOne('/api/expense/expensereport/v2.0/report/{ReportID}')
 * url('gWx') // '/api/expense/expensereport/v2.0/report/gWx'
 */
export function pathWithOne(path: string): (value: string) => string {
  const parts = path.split(/\{[^}]+\}/)
  if (parts.length !== 2) throw new RangeError(`${path} does not hold exactly one placeholder`)
  const [before, after] = parts as [string, string]
  return (value) => `${before}${value}${after}`
}
