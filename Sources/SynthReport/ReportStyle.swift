/// The report's inline stylesheet: small, readable, with a print style and a dark scheme; no web fonts.
package enum ReportStyle {
    package static let css = """
    :root{--fg:#1b1f24;--muted:#5b6470;--bg:#fff;--card:#f6f8fa;--line:#d0d7de;--accent:#0b5cad;--ok:#1a7f37;--bad:#b42318;--warn:#9a6700}
    @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa4af;--bg:#0d1117;--card:#161b22;--line:#30363d;--accent:#58a6ff;--ok:#3fb950;--bad:#f85149;--warn:#d29922}svg{background:#fff;border-radius:4px}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
    main{max-width:960px;margin:0 auto;padding:2rem 1.25rem 4rem}
    h1,h2,h3,h4{line-height:1.25;margin:1.6em 0 .5em}
    h1.title{margin-top:0;font-size:2rem}
    a{color:var(--accent)}
    code,pre{font:13.5px/1.45 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
    pre{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;overflow:auto;white-space:pre-wrap;word-break:break-word}
    .byline{color:var(--muted);margin-top:-.5rem}
    .banner{border:2px solid var(--bad);background:color-mix(in srgb,var(--bad) 10%,var(--bg));padding:.75rem 1rem;border-radius:6px;margin:1rem 0}
    .banner strong{color:var(--bad)}
    nav.toc{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
    nav.toc h2{font-size:1rem;margin:.25rem 0}
    nav.toc ol{margin:.25rem 0;padding-left:1.25rem}
    .cell{border-left:3px solid var(--line);padding:.25rem 0 .25rem .9rem;margin:1.25rem 0}
    .cell.status-failed{border-left-color:var(--bad)}
    .cell.status-skipped{border-left-color:var(--warn);opacity:.8}
    .cell-head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline;font-size:.875rem;color:var(--muted)}
    .cell-head .label{font-weight:600;color:var(--fg);font-family:ui-monospace,monospace}
    .badge{border:1px solid currentColor;border-radius:999px;padding:0 .5rem;font-size:.8rem}
    .badge.ok{color:var(--ok)}.badge.failed{color:var(--bad)}.badge.skipped{color:var(--warn)}.badge.cached{color:var(--accent)}
    details{margin:.5rem 0}
    details>summary{cursor:pointer;color:var(--muted);font-size:.875rem}
    .error pre{border-color:var(--bad);color:var(--bad)}
    .note{color:var(--muted);font-style:italic;font-size:.875rem}
    figure{margin:1rem 0}
    figcaption{font-size:.9rem;color:var(--muted);margin:.25rem 0}
    figure.plot svg{width:100%;height:auto;max-width:720px;display:block}
    .table-scroll,table.plain{display:block;max-width:100%;overflow-x:auto}
    .table-scroll{background:linear-gradient(to right,var(--bg) 30%,transparent) left/2rem 100% no-repeat local,linear-gradient(to left,var(--bg) 30%,transparent) right/2rem 100% no-repeat local,radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.2),transparent) left/.6rem 100% no-repeat scroll,radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.2),transparent) right/.6rem 100% no-repeat scroll}
    figure.table{max-width:100%;min-width:0}
    table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.925rem;margin:.25rem 0}
    table.metrics{border-top:2px solid var(--fg);border-bottom:2px solid var(--fg)}
    thead th{border-bottom:1px solid var(--fg);text-align:right;vertical-align:bottom;padding:.3rem .6rem;overflow-wrap:normal}
    table.plain thead th{white-space:nowrap}
    thead th:first-child,tbody th{text-align:left}
    td,tbody th{padding:.25rem .6rem;font-weight:normal}
    td.num{text-align:right;white-space:nowrap}
    sup.marker{font-size:.7em;margin-left:1px}
    .legend{font-size:.825rem;color:var(--muted);margin:.25rem 0}
    table.plain td,table.plain th{border-bottom:1px solid var(--line)}
    .provenance dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.875rem}
    .provenance dt{color:var(--muted)}.provenance dd{margin:0;word-break:break-all}
    footer{margin-top:3rem;color:var(--muted);font-size:.8rem}
    @media print{body{font-size:11pt}.table-scroll{overflow:visible;background:none}main{max-width:none;padding:0}details>summary{display:none}details{display:block}
    details>*{display:block}.cell,figure,table{break-inside:avoid}a{color:inherit;text-decoration:none}nav.toc{break-after:avoid}}
    """
}
