/// The report's one style sheet, inline so the page needs no other file.
enum ReportStyle {
    static let css = """
    body { font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1100px; padding: 0 24px 48px; line-height: 1.45; }
    header { border-bottom: 2px solid #0072B2; margin-bottom: 8px; }
    h1 { font-size: 1.6em; margin: 24px 0 6px; overflow-wrap: anywhere; }
    nav { font-size: 0.9em; margin-bottom: 10px; }
    nav a { color: #0072B2; text-decoration: none; }
    h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 36px; }
    h3 { font-size: 1.05em; margin: 20px 0 6px; }
    .headline { display: flex; gap: 40px; flex-wrap: wrap; align-items: baseline; margin: 12px 0; }
    .figure { font-size: 3em; font-weight: 600; color: #0072B2; line-height: 1.1; }
    .figure-caption { color: #555; font-size: 0.95em; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 12px 0; }
    dl.facts dt { font-weight: 600; color: #444; }
    dl.facts dd { margin: 0; overflow-wrap: anywhere; }
    table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
    th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
    th { background: #f2f2f2; }
    td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
    td.agree { background: #e3f1ea; font-weight: 600; }
    td.hash { font-family: monospace; font-size: 0.85em; }
    pre { background: #f7f7f7; border: 1px solid #e2e2e2; padding: 10px; overflow-x: auto; font-size: 0.85em; white-space: pre; }
    pre.command { white-space: pre-wrap; overflow-wrap: anywhere; }
    .diagram { overflow-x: auto; border: 1px solid #e2e2e2; padding: 8px; }
    .diagram svg { max-width: 100%; height: auto; }
    svg.chart { max-width: 100%; height: auto; }
    svg.chart .axis { stroke: #444; stroke-width: 1; }
    svg.chart .grid { stroke: #e4e4e4; stroke-width: 1; }
    svg.chart .label { font-size: 12px; fill: #333; }
    svg.chart .series { fill: none; stroke: #0072B2; stroke-width: 2; }
    svg.chart .point { fill: #0072B2; }
    svg.chart .chosen { fill: none; stroke: #D55E00; stroke-width: 2.5; }
    svg.chart .chosen-label { font-size: 12px; fill: #D55E00; font-weight: 600; }
    svg.chart .bar { fill: #0072B2; }
    svg.chart .bar.negative { fill: #D55E00; }
    svg.chart .path-line { fill: none; stroke-width: 1.8; }
    svg.chart .chosen-line { stroke: #D55E00; stroke-width: 1.5; stroke-dasharray: 5 4; }
    .note { color: #8a4b00; }
    @media print {
      body { max-width: none; padding: 0; }
      nav { display: none; }
      .diagram { overflow: visible; border: none; }
      section { break-inside: avoid-page; }
      h2 { break-after: avoid; }
    }

    """
}
