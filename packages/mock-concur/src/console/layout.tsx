import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'

/** The console's pages, in navigation order. */
export const CONSOLE_PAGES = [
  { key: 'overview', href: '/_mock/', title: 'Overview' },
  { key: 'journal', href: '/_mock/console/journal', title: 'Journal' },
  { key: 'faults', href: '/_mock/console/faults', title: 'Faults' },
  { key: 'api', href: '/_mock/console/api', title: 'API reference' },
] as const
export type ConsolePage = (typeof CONSOLE_PAGES)[number]['key']

const STYLE = `
:root { color-scheme: light; --fg:#1d2330; --muted:#5d6678; --line:#dfe3ea; --bg:#f6f7f9; --accent:#0a6ed1; --bad:#b42318; --ok:#067647; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header { background:#1d2330; color:#fff; padding:10px 24px; display:flex; gap:24px; align-items:center; }
header .brand { font-weight:700; letter-spacing:.3px; }
header nav a { color:#c8d1e0; text-decoration:none; margin-right:16px; padding:4px 0; }
header nav a.active { color:#fff; border-bottom:2px solid #6cb4ff; }
header .dc { margin-left:auto; color:#c8d1e0; font-size:12px; }
main { max-width:1180px; margin:0 auto; padding:20px 24px 48px; }
h1 { font-size:20px; margin:4px 0 16px; }
h2 { font-size:16px; margin:0 0 10px; }
h3 { font-size:14px; margin:14px 0 6px; }
section.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 18px; margin-bottom:16px; }
.grid { display:grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap:16px; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.3px; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size:12.5px; }
.muted { color:var(--muted); }
.pill { display:inline-block; padding:1px 7px; border-radius:10px; font-size:11.5px; background:#eef1f6; margin-right:4px; }
.status-2 { color:var(--ok); font-weight:600; } .status-4, .status-5, .status-0 { color:var(--bad); font-weight:600; }
.method { display:inline-block; min-width:56px; font-weight:700; font-size:12px; }
.m-get { color:#067647; } .m-post { color:#0a6ed1; } .m-put { color:#b54708; } .m-delete { color:#b42318; }
form.inline { display:inline; }
form.row { display:flex; flex-wrap:wrap; gap:8px; align-items:flex-end; }
form.row label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:2px; }
input, select { font:inherit; padding:5px 7px; border:1px solid #c3cad6; border-radius:5px; background:#fff; }
input[type=number] { width:96px; }
button { font:inherit; padding:5px 12px; border-radius:5px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
button.danger { background:#fff; color:var(--bad); border-color:var(--bad); }
.creds { display:grid; grid-template-columns: 130px minmax(0, 1fr) auto; gap:4px 10px; align-items:center; }
.creds code { overflow-wrap:anywhere; }
.error { background:#fef3f2; border:1px solid #fecdca; color:var(--bad); padding:8px 10px; border-radius:6px; margin-bottom:12px; }
details > summary { cursor:pointer; }
pre { background:#f3f5f8; padding:10px; border-radius:6px; overflow:auto; max-height:420px; }
.op { border-top:1px solid var(--line); padding:10px 0; }
.toc a { display:block; color:var(--accent); text-decoration:none; padding:1px 0; }
`

const COPY_SCRIPT = `
document.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-copy]');
  if (!b) return;
  const text = b.getAttribute('data-copy');
  (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject()).then(
    () => { b.textContent = 'copied'; setTimeout(() => { b.textContent = 'copy'; }, 1200); },
    () => { b.textContent = 'select & copy'; });
});
`

/** The page frame: header with navigation, then the page. */
export function Layout(props: { page: ConsolePage; title: string; datacenter: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · concurkit mock`}</title>
        <link rel="icon" href="data:," />
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header>
          <span class="brand">concurkit mock</span>
          <nav>
            {CONSOLE_PAGES.map((p) => (
              <a href={p.href} class={p.key === props.page ? 'active' : undefined}>
                {p.title}
              </a>
            ))}
            <a href="/_mock/openapi.json">openapi.json</a>
          </nav>
          <span class="dc">datacenter {props.datacenter}</span>
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <script>{raw(COPY_SCRIPT)}</script>
      </body>
    </html>
  )
}

/** A value with a copy button. */
export function Copyable(props: { label: string; value: string }) {
  return (
    <>
      <span class="muted">{props.label}</span>
      <code data-field={props.label}>{props.value}</code>
      <button type="button" class="secondary" data-copy={props.value}>
        copy
      </button>
    </>
  )
}

/** `status-2`, `status-4`, … for colouring a status. */
export function statusClass(status: number): string {
  return `status-${Math.floor(status / 100)}`
}
