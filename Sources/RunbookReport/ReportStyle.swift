/// The rehearsal report's one style sheet, inline in every report: no external assets.
/// Statuses use the Okabe–Ito colours, which colour-blind readers tell apart, and every
/// cell also shows its status's glyph, so the grid reads in greyscale too; every glyph
/// stands out from its cell by a contrast of at least 4.5:1 (WCAG AA), which the browser
/// test measures, on screen and with the print rules applied.
enum ReportStyle {
    static let css = """
        :root { --owner: #0072B2; --admin: #56B4E9; --access: #009E73; --stranded: #D55E00; --none: #E8E8E8;
          --stop: #C0392B; --ink: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink);
          margin: 24px 32px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 3px; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        code, pre, .mono { font-family: "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; }
        .result { display: inline-block; font-size: 16px; font-weight: 600; padding: 6px 12px; border-radius: 4px;
          margin: 6px 0 10px; }
        .result.passed { background: #e3f4ec; color: #0b5e3c; border: 1px solid #8fd1b3; }
        .result.stopped { background: #fbe5e1; color: #8c1d12; border: 1px solid #e8a397; }
        .failures { margin: 0 0 10px; color: #8c1d12; font-weight: 600; }
        .failures a { color: inherit; }
        dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 14px 0 4px; padding: 8px 10px;
          border: 1px solid var(--line); border-radius: 4px; font-size: 13px; }
        .legend span.item { white-space: nowrap; }
        .legend .cell { display: inline-block; width: 22px; height: 20px; line-height: 20px; text-align: center;
          vertical-align: middle; margin-right: 5px; }
        .legend .what { color: var(--muted); }
        .counts { color: var(--muted); margin: 4px 0 2px; }
        .scroll { overflow-x: auto; max-width: 100%; }
        table.grid { border-collapse: collapse; font-size: 13px; margin-bottom: 8px; }
        table.grid caption { text-align: left; color: var(--muted); font-size: 12px; padding: 6px 0 2px; }
        table.grid th, table.grid td { border: 1px solid var(--line); }
        table.grid thead th { vertical-align: bottom; text-align: left; font-weight: normal; padding: 4px 6px;
          background: #f6f7f9; min-width: 92px; max-width: 190px; }
        table.grid thead th .line { display: block; color: var(--muted); font-size: 11.5px; }
        table.grid thead th code { display: block; overflow-wrap: anywhere; }
        table.grid thead th .more { display: block; color: var(--muted); font-size: 11.5px; }
        table.grid thead th.member { min-width: 0; }
        table.grid thead th.stop { background: #fbe5e1; border: 2px solid var(--stop); }
        table.grid thead th.stop .mark { display: block; color: var(--stop); font-weight: 700; font-size: 11.5px; }
        table.grid tbody th { text-align: left; font-weight: 600; padding: 3px 8px; background: #fff; position: sticky;
          left: 0; min-width: 9em; max-width: 18em; overflow-wrap: anywhere; }
        table.grid tbody tr.folded th { white-space: normal; min-width: 220px; }
        table.grid tbody th .role { font-weight: normal; color: var(--muted); font-size: 11.5px; margin-left: 6px; }
        table.grid tbody th .names { display: block; font-weight: normal; color: var(--muted); font-size: 11.5px; }
        table.grid tbody tr.folded th { font-weight: normal; font-style: italic; }
        td.o, td.a, td.c, td.s, td.n, td.x { text-align: left; font-weight: 700; height: 26px; padding: 0 7px;
          white-space: nowrap; }
        td .said { font-weight: normal; font-size: 12px; margin-left: 4px; }
        .verdict-line { margin: 2px 0 10px; font-weight: 600; }
        .verdict-line.ok { color: #0b5e3c; }
        .verdict-line.bad { color: var(--stop); }
        .o { background: var(--owner); color: #fff; }
        .a { background: var(--admin); color: #000; }
        .c { background: var(--access); color: #000; }
        .s { background: repeating-linear-gradient(45deg, var(--stranded) 0 6px, #E69F00 6px 9px); color: #000; }
        .n { background: var(--none); color: #444; }
        .x { background: #fff; color: var(--muted); }
        td.at-stop { border-left: 2px solid var(--stop) !important; border-right: 2px solid var(--stop) !important; }
        tr:last-child td.at-stop { border-bottom: 2px solid var(--stop) !important; }
        .stopbox { border: 2px solid var(--stop); border-radius: 4px; padding: 10px 14px; margin: 12px 0;
          background: #fffafa; max-width: 1100px; }
        .stopbox h3 { margin: 0 0 6px; color: var(--stop); }
        .stopbox pre { background: #f6f7f9; padding: 8px 10px; white-space: pre-wrap; margin: 8px 0; }
        .stopbox .rule code { font-weight: 700; }
        .warnbox { border: 2px solid var(--stranded); border-radius: 4px; padding: 10px 14px; margin: 12px 0;
          background: #fffaf5; max-width: 1100px; }
        .warnbox h3 { margin: 0 0 6px; color: #9a3d00; }
        .warnbox pre { background: #f6f7f9; padding: 8px 10px; white-space: pre-wrap; margin: 8px 0; }
        blockquote.seed { margin: 6px 0; padding: 4px 12px; border-left: 4px solid var(--line); font-style: italic; }
        .hint { margin: 4px 0; }
        details.section { margin: 6px 0; border: 1px solid var(--line); border-radius: 4px; padding: 4px 12px; }
        details.section > summary { cursor: pointer; padding: 4px 0; font-weight: 600; }
        details.section.failed { border-color: var(--stop); }
        .verdict { display: inline-block; min-width: 42px; font-size: 12px; font-weight: 700; margin-right: 6px; }
        .verdict.pass { color: #0b5e3c; }
        .verdict.fail { color: var(--stop); }
        .where { color: var(--muted); font-weight: normal; font-size: 12px; margin-left: 6px; }
        table.coverage { border-collapse: collapse; font-size: 13px; }
        table.coverage th, table.coverage td { border: 1px solid var(--line); padding: 3px 8px; text-align: left;
          vertical-align: top; }
        table.coverage tr.never td { background: #fff4e5; }
        footer { margin-top: 30px; color: var(--muted); font-size: 12px; }
        section.procedure { margin-top: 28px; border-top: 2px solid var(--line); }
        section.procedure .part { break-inside: avoid; page-break-inside: avoid; }
        ul.checklist { list-style: none; padding-left: 0; }
        ul.checklist li { margin: 3px 0; }
        ul.checklist input { width: 15px; height: 15px; margin: 0 8px 0 0; vertical-align: -2px; }
        table.change { border-collapse: collapse; font-size: 13px; }
        table.change th, table.change td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
        @page { size: A4 landscape; margin: 10mm; }
        @media print {
          body { margin: 0; font-size: 11px; }
          .scroll { overflow: visible; }
          table.grid { font-size: 10px; }
          table.grid thead th { min-width: 60px; max-width: 110px; }
          table.grid tbody th { max-width: 12em; }
          table.grid tbody th { position: static; }
          h2, h3, .stopbox, tr, thead { break-inside: avoid; }
          h2, summary { break-after: avoid; }
          section.procedure { break-before: page; border-top: none; margin-top: 0; }
        }
        """
}
