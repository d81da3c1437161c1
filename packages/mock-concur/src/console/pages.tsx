import { RESOURCES } from '@concurkit/contract'
import { raw } from 'hono/html'
import { connectorStore } from '../callouts/deliver.js'
import { describeCompany } from '../companies.js'
import type { DcContext } from '../context.js'
import type { FaultRule } from '../faults.js'
import type { JournalEntry } from '../journal.js'
import { manifestCovers, manifestEntry } from '../resources/manifest.js'
import { Copyable, Layout, statusClass } from './layout.js'

/** Rows of the journal page (newest first). */
export const JOURNAL_ROWS = 200

/**
 * Above this many expense reports per company the overview does not count records (a count walks the
 * dataset); `GET /_mock/manifest` still does.
 */
export const COUNT_LIMIT = 5000

/** Counts of the default company's records per resource, from the manifest. */
function resourceCounts(ctx: DcContext): { name: string; title: string; api: string; count?: number }[] {
  const company = ctx.state.companies[0]!
  return RESOURCES.map((row) => {
    let count: number | undefined
    if (company.size <= COUNT_LIMIT && manifestCovers(row.name)) {
      try {
        count = manifestEntry(ctx.state, company, row.name).count
      } catch {
        count = undefined
      }
    }
    return { name: row.name, title: row.title, api: row.api, ...(count === undefined ? {} : { count }) }
  })
}

const company0Size = (ctx: DcContext) => ctx.state.companies[0]!.size

/** `GET /_mock/`: datacenters, companies, credentials, resource counts, clock, connectors. */
export function OverviewPage(props: { ctx: DcContext; error?: string | undefined }) {
  const { state, datacenter } = props.ctx
  const first = state.companies[0]!
  const d = describeCompany(first, state.baseUrl(first.datacenter))
  const admin = d.users[0]
  const user = d.users[2] ?? d.users[1]
  const tokenUrl = `${state.baseUrl(first.datacenter)}/oauth2/v0/token`
  const tls = state.tls
  const curl = `curl -s ${tls ? `--cacert ${tls.ca} ` : ''}${tokenUrl} -d grant_type=password -d client_id=${d.clientId} -d client_secret=${d.clientSecret} -d username=${admin?.loginId ?? ''} -d password=${admin?.password ?? ''}`
  const connectors = [...connectorStore(state).connectors.values()].map((r) => r.view)
  const clockNow = new Date(state.clock.now()).toISOString()
  return (
    <Layout page="overview" title="Overview" datacenter={datacenter}>
      {props.error ? (
        <div class="error" role="alert">
          {props.error}
        </div>
      ) : null}
      <div class="grid">
        <section class="card" id="credentials">
          <h2>Default company credentials</h2>
          <p class="muted">
            {d.name} · <code>{d.id}</code> · datacenter {d.datacenter}
          </p>
          <div class="creds">
            <Copyable label="token URL" value={tokenUrl} />
            <Copyable label="client_id" value={d.clientId} />
            <Copyable label="client_secret" value={d.clientSecret} />
            {admin ? <Copyable label="admin login" value={admin.loginId} /> : null}
            {admin ? <Copyable label="admin password" value={admin.password} /> : null}
            {user ? <Copyable label="user login" value={user.loginId} /> : null}
            {user ? <Copyable label="user password" value={user.password} /> : null}
            <Copyable label="company id" value={d.id} />
          </div>
          <h3>Password grant</h3>
          <div class="creds">
            <Copyable label="curl" value={curl} />
          </div>
        </section>
        <section class="card" id="datacenters">
          <h2>Datacenters</h2>
          <table>
            <thead>
              <tr>
                <th>name</th>
                <th>base URL</th>
              </tr>
            </thead>
            <tbody>
              {state.options.datacenters.map((dc) => (
                <tr>
                  <td>
                    {dc}
                    {dc === datacenter ? <span class="pill">this</span> : null}
                  </td>
                  <td>
                    <code>{state.baseUrl(dc)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {tls ? (
            <>
              <h3>HTTPS</h3>
              <p class="muted">
                Every datacenter is served over TLS with a certificate for {tls.hosts.join(', ')}. Trust this
                CA certificate: <code>NODE_EXTRA_CA_CERTS</code>, <code>curl --cacert</code>,{' '}
                <code>REQUESTS_CA_BUNDLE</code> or newman <code>--ssl-extra-ca-certs</code>.
              </p>
              <div class="creds">
                <Copyable label="CA certificate" value={tls.ca} />
              </div>
            </>
          ) : null}
          <h3>Clock</h3>
          <p>
            <code id="clock-now">{clockNow}</code>{' '}
            <span class="muted">
              (offset {state.clock.offsetSeconds} s, seed {state.options.seed})
            </span>
          </p>
          <form class="row" method="post" action="/_mock/console/clock">
            <label>
              advance by (seconds)
              <input type="number" name="advanceSeconds" min="0" step="1" value="3600" required />
            </label>
            <button type="submit">Advance clock</button>
          </form>
        </section>
      </div>
      <section class="card" id="companies">
        <h2>Companies</h2>
        <table>
          <thead>
            <tr>
              <th>company</th>
              <th>datacenter</th>
              <th class="num">users</th>
              <th class="num">reports</th>
              <th>listed users (login · roles)</th>
            </tr>
          </thead>
          <tbody>
            {state.companies.map((c) => (
              <tr>
                <td>
                  {c.name}
                  <br />
                  <code class="muted">{c.id}</code>
                </td>
                <td>{c.datacenter}</td>
                <td class="num">{c.userCount}</td>
                <td class="num">{c.size}</td>
                <td>
                  {c.users.map((u) => (
                    <div>
                      <code>{u.loginId}</code>{' '}
                      {u.roles.map((r) => (
                        <span class="pill">{r}</span>
                      ))}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div class="grid">
        <section class="card" id="resources">
          <h2>Resources of the default company</h2>
          <p class="muted">
            Record counts from <a href="/_mock/manifest">/_mock/manifest</a>
            {company0Size(props.ctx) > COUNT_LIMIT ? ` (not counted here above ${COUNT_LIMIT} reports)` : ''}.
          </p>
          <table>
            <thead>
              <tr>
                <th>resource</th>
                <th>API</th>
                <th class="num">records</th>
              </tr>
            </thead>
            <tbody>
              {resourceCounts(props.ctx).map((r) => (
                <tr>
                  <td>
                    {r.title} <span class="muted mono">{r.name}</span>
                  </td>
                  <td>{r.api}</td>
                  <td class="num">
                    {r.count === undefined ? <span class="muted">on request</span> : r.count}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card" id="connectors">
          <h2>Callout connectors</h2>
          {connectors.length === 0 ? (
            <p class="muted">
              None registered. Register one with <code>POST /_mock/connectors</code>.
            </p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>name</th>
                  <th>URL</th>
                  <th>callouts</th>
                  <th>verified</th>
                </tr>
              </thead>
              <tbody>
                {connectors.map((v) => (
                  <tr>
                    <td>
                      {v.name}
                      <br />
                      <code class="muted">{v.id}</code>
                    </td>
                    <td>
                      <code>{v.url}</code>
                    </td>
                    <td>
                      {Object.entries(v.callouts).map(([k, p]) => (
                        <div>
                          <span class="pill">{k}</span> <code>{p}</code>
                        </div>
                      ))}
                    </td>
                    <td>{v.verified ? 'yes' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </Layout>
  )
}

function JournalRow(props: { e: JournalEntry }) {
  const { e } = props
  return (
    <tr data-id={String(e.id)}>
      <td class="num">{e.id}</td>
      <td class="mono">{e.time}</td>
      <td>{e.datacenter}</td>
      <td>
        <span class={`method m-${e.method.toLowerCase()}`}>{e.method}</span>
      </td>
      <td class="mono path">{e.path}</td>
      <td class={`num ${statusClass(e.status)}`}>{e.status}</td>
      <td class="num">{e.latencyMs.toFixed(1)}</td>
      <td class="mono muted">{e.note ?? ''}</td>
    </tr>
  )
}

const JOURNAL_SCRIPT = `
(() => {
  const body = document.getElementById('journal-rows');
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
  let last = Number(body.getAttribute('data-last') || 0);
  async function poll() {
    try {
      const res = await fetch('/_mock/journal?since=' + last, { headers: { accept: 'application/json' } });
      if (res.ok) {
        const { entries, total } = await res.json();
        document.getElementById('journal-total').textContent = total;
        for (const e of entries) {
          last = Math.max(last, e.id);
          const tr = document.createElement('tr');
          tr.setAttribute('data-id', e.id);
          const s = Math.floor(e.status / 100);
          tr.innerHTML = '<td class="num">' + e.id + '</td><td class="mono">' + esc(e.time) + '</td><td>' + esc(e.datacenter) +
            '</td><td><span class="method m-' + esc(e.method.toLowerCase()) + '">' + esc(e.method) + '</span></td><td class="mono path">' +
            esc(e.path) + '</td><td class="num status-' + s + '">' + e.status + '</td><td class="num">' + Number(e.latencyMs).toFixed(1) +
            '</td><td class="mono muted">' + esc(e.note || '') + '</td>';
          body.insertBefore(tr, body.firstChild);
          while (body.children.length > ${JOURNAL_ROWS}) body.removeChild(body.lastChild);
        }
        document.getElementById('journal-empty')?.remove();
        document.getElementById('journal-state').textContent = 'live';
      }
    } catch { document.getElementById('journal-state').textContent = 'paused (mock unreachable)'; }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
`

/** `GET /_mock/console/journal`: the request journal, newest first, updated live. */
export function JournalPage(props: { ctx: DcContext }) {
  const { state, datacenter } = props.ctx
  const all = state.journal.list()
  const rows = all.slice(-JOURNAL_ROWS).reverse()
  const last = all.length > 0 ? all[all.length - 1]!.id : 0
  return (
    <Layout page="journal" title="Request journal" datacenter={datacenter}>
      <section class="card">
        <p class="muted">
          Every Concur request the mock answered (secrets redacted), newest first ·{' '}
          <span id="journal-state">live</span> · <span id="journal-total">{all.length}</span> recorded
        </p>
        <form class="inline" method="post" action="/_mock/console/journal/clear">
          <button type="submit" class="danger">
            Clear journal
          </button>
        </form>
        <table>
          <thead>
            <tr>
              <th class="num">#</th>
              <th>time (mock clock)</th>
              <th>dc</th>
              <th>method</th>
              <th>path</th>
              <th class="num">status</th>
              <th class="num">ms</th>
              <th>note</th>
            </tr>
          </thead>
          <tbody id="journal-rows" data-last={String(last)}>
            {rows.map((e) => (
              <JournalRow e={e} />
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? (
          <p id="journal-empty" class="muted">
            No requests yet.
          </p>
        ) : null}
      </section>
      <script>{raw(JOURNAL_SCRIPT)}</script>
    </Layout>
  )
}

function effect(rule: FaultRule): string {
  const parts: string[] = []
  if (rule.status !== undefined) parts.push(`status ${rule.status}`)
  if (rule.retryAfter !== undefined) parts.push(`Retry-After ${rule.retryAfter}`)
  if (rule.delayMs !== undefined) parts.push(`delay ${rule.delayMs} ms`)
  if (rule.reset) parts.push('connection reset')
  if (rule.truncate) parts.push('truncated body')
  return parts.join(', ')
}

function when(rule: FaultRule): string {
  const parts: string[] = []
  if (rule.every !== undefined) parts.push(`every ${rule.every}th`)
  else if (rule.probability !== undefined) parts.push(`p=${rule.probability}`)
  else parts.push('always')
  if (rule.times !== undefined) parts.push(`at most ${rule.times}×`)
  return parts.join(', ')
}

/** `GET /_mock/console/faults`: fault rules, with forms to add and remove one. */
export function FaultsPage(props: { ctx: DcContext; error?: string | undefined }) {
  const { state, datacenter } = props.ctx
  const rules = state.faults.rules
  return (
    <Layout page="faults" title="Fault rules" datacenter={datacenter}>
      {props.error ? (
        <div class="error" role="alert">
          {props.error}
        </div>
      ) : null}
      <section class="card">
        <h2>Add a fault</h2>
        <form class="row" id="add-fault" method="post" action="/_mock/console/faults">
          <label>
            method
            <select name="method">
              <option value="">any</option>
              {['GET', 'POST', 'PUT', 'DELETE'].map((m) => (
                <option value={m}>{m}</option>
              ))}
            </select>
          </label>
          <label>
            path glob
            <input name="path" size={36} placeholder="/api/v3.0/expense/reports*" required />
          </label>
          <label>
            datacenter
            <select name="datacenter">
              <option value="">any</option>
              {state.options.datacenters.map((dc) => (
                <option value={dc}>{dc}</option>
              ))}
            </select>
          </label>
          <label>
            status
            <input type="number" name="status" min="200" max="599" placeholder="503" />
          </label>
          <label>
            Retry-After (s)
            <input type="number" name="retryAfter" min="0" />
          </label>
          <label>
            delay (ms)
            <input type="number" name="delayMs" min="0" max="300000" />
          </label>
          <label>
            every n-th
            <input type="number" name="every" min="1" />
          </label>
          <label>
            times
            <input type="number" name="times" min="1" />
          </label>
          <label>
            <span>
              <input type="checkbox" name="reset" value="true" /> reset
            </span>
          </label>
          <button type="submit">Add fault</button>
        </form>
        <p class="muted">
          Same engine as <code>POST /_mock/faults</code>: <code>*</code> matches within a path segment,{' '}
          <code>**</code> across segments.
        </p>
      </section>
      <section class="card">
        <h2>Active rules ({rules.length})</h2>
        {rules.length === 0 ? (
          <p class="muted" id="no-faults">
            No fault rules: every request is answered normally.
          </p>
        ) : (
          <table id="fault-rules">
            <thead>
              <tr>
                <th>id</th>
                <th>method</th>
                <th>path</th>
                <th>dc</th>
                <th>effect</th>
                <th>when</th>
                <th class="num">matched</th>
                <th class="num">fired</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr data-fault={r.id}>
                  <td class="mono">{r.id.slice(0, 8)}</td>
                  <td>{r.method ?? 'any'}</td>
                  <td class="mono">{r.path}</td>
                  <td>{r.datacenter ?? 'any'}</td>
                  <td>{effect(r)}</td>
                  <td>{when(r)}</td>
                  <td class="num">{r.matched}</td>
                  <td class="num">{r.fired}</td>
                  <td>
                    <form class="inline" method="post" action={`/_mock/console/faults/${r.id}/delete`}>
                      <button type="submit" class="danger">
                        Remove
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  )
}
