/// A fill colour and the text colour readable on it, as `#rrggbb`.
struct Swatch: Sendable, Equatable {
    var fill: String
    var ink: String

    /// `n` colours from most to least severe: red, orange, amber, green, with
    /// the hue interpolated for any `n` (three levels: red, orange, green).
    ///
    /// Computed from integers and a fixed formula, so the page's bytes do
    /// not depend on anything but `n`.
    static func palette(_ n: Int) -> [Swatch] {
        let hues: [Double] = [4, 28, 45, 140]
        return (0..<n).map { k in
            let t = n == 1 ? 0 : Double(k) / Double(n - 1) * Double(hues.count - 1)
            let i = min(hues.count - 2, Int(t))
            let hue = hues[i] + (hues[i + 1] - hues[i]) * (t - Double(i))
            return Swatch(hue: hue, saturation: 0.72, lightness: 0.46)
        }
    }

    /// The HSL colour, with dark text when the fill is light.
    init(hue: Double, saturation: Double, lightness: Double) {
        let chroma = (1 - abs(2 * lightness - 1)) * saturation
        let h = hue / 60
        let x = chroma * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) =
            switch h {
            case ..<1: (chroma, x, 0)
            case ..<2: (x, chroma, 0)
            case ..<3: (0, chroma, x)
            case ..<4: (0, x, chroma)
            case ..<5: (x, 0, chroma)
            default: (chroma, 0, x)
            }
        let m = lightness - chroma / 2
        let rgb = [r, g, b].map { Int((($0 + m) * 255).rounded()) }
        fill = Swatch.hex(rgb)
        let luma = 299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2]
        ink = luma > 150_000 ? "#1f2933" : "#ffffff"
    }

    private static func hex(_ rgb: [Int]) -> String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for v in rgb {
            let c = min(255, max(0, v))
            text.append(digits[c / 16])
            text.append(digits[c % 16])
        }
        return text
    }
}

extension ReportHTML.Page {
    /// The style sheet: screen and A4 print, the CJK font stack, and one
    /// class per level (`lv0` …) and band (`bd0` …) with its colours.
    mutating func style() {
        html.raw(
            """
            <style>
            @page { size: A4; margin: 15mm; }
            * { box-sizing: border-box; }
            html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            body { margin: 0 auto; max-width: 1080px; padding: 28px 36px 48px; color: #1f2933; background: #fff;
              font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif;
              font-size: 14px; line-height: 1.6; }
            h1 { font-size: 28px; margin: 0 0 2px; letter-spacing: 2px; color: #7f1d1d; }
            h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid #7f1d1d; color: #7f1d1d;
              break-after: avoid; page-break-after: avoid; }
            h3 { font-size: 15px; margin: 22px 0 6px; break-after: avoid; page-break-after: avoid; }
            p { margin: 6px 0; }
            code, .mono { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 0.92em; }
            .mono { word-break: break-all; }
            .kicker { margin: 0; color: #7f1d1d; letter-spacing: 4px; font-size: 13px; }
            .subtitle { margin: 0 0 14px; color: #52606d; font-size: 15px; }
            .cover { border-top: 6px solid #7f1d1d; padding-top: 14px; }
            table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 13px; }
            th, td { border: 1px solid #d3d9df; padding: 4px 7px; vertical-align: top; text-align: left; }
            thead th, tfoot th, tfoot td { background: #f1f4f7; }
            thead { display: table-header-group; }
            tr, .grp { break-inside: avoid; page-break-inside: avoid; }
            th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            table.meta { width: auto; max-width: 100%; }
            table.meta th { width: 6em; white-space: nowrap; background: #f1f4f7; }
            .note { color: #52606d; font-size: 13px; }
            .more { color: #7f1d1d; font-size: 13px; font-weight: bold; }
            .muted, .id { color: #7b8794; }
            .id { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 11px; }
            .missing { color: #b42318; }
            .chip { display: inline-block; padding: 0 7px; border-radius: 3px; font-size: 12px; line-height: 19px; white-space: nowrap; }
            .code { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 11px; color: #7f1d1d; white-space: nowrap; }
            .pflag { margin-top: 3px; font-size: 12px; color: #b42318; }
            .toc { margin: 18px 0; padding: 8px 16px; background: #f8f9fb; border: 1px solid #e4e7eb; }
            .toc-title { margin: 0 0 4px; font-weight: bold; }
            .toc ul { margin: 0; padding: 0; list-style: none; columns: 3; column-gap: 24px; }
            .toc a { color: #1f2933; text-decoration: none; }
            .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 10px 0 16px; }
            .card { border: 1px solid #d3d9df; border-top: 5px solid #52606d; padding: 8px 12px; break-inside: avoid; page-break-inside: avoid; }
            .card-label { font-size: 13px; color: #52606d; }
            .card-value { font-size: 26px; font-weight: bold; line-height: 1.25; }
            .card-note { font-size: 12px; color: #7b8794; }
            .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; align-items: start; }
            .cols table { margin-top: 0; }
            figure { margin: 10px 0 14px; break-inside: avoid; page-break-inside: avoid; }
            figure svg { display: block; width: 100%; max-width: 760px; height: auto; }
            figcaption { color: #52606d; font-size: 13px; margin-top: 4px; }
            svg text { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif; }
            .unit-head { margin-bottom: 2px; }
            .unit-sum { margin: 0 0 4px; font-size: 13px; color: #52606d; }
            table.catalogue td { font-size: 12.5px; }
            td.text { white-space: pre-line; }
            .notice { border-left: 4px solid #7f1d1d; background: #fbf7f7; padding: 8px 14px; }
            footer { margin-top: 36px; padding-top: 8px; border-top: 1px solid #d3d9df; color: #7b8794; font-size: 12px; text-align: center; }
            .page-break { break-before: page; page-break-before: always; }
            @media print {
              body { max-width: none; padding: 0; font-size: 10.5pt; }
              table { font-size: 9pt; }
              table.catalogue td { font-size: 9pt; }
              th, td { padding: 3px 5px; }
              .toc { break-inside: avoid; page-break-inside: avoid; }
              h2 { margin-top: 24px; }
              .page-break h2 { margin-top: 0; }
            }

            """)
        for (k, swatch) in levelSwatches.enumerated() {
            html.raw(".lv")
            html.int(k)
            html.raw(" { background: ")
            html.text(swatch.fill)
            html.raw("; color: ")
            html.text(swatch.ink)
            html.raw("; }\n.card.lvt")
            html.int(k)
            html.raw(" { border-top-color: ")
            html.text(swatch.fill)
            html.raw("; }\n")
        }
        for (b, swatch) in bandSwatches.enumerated() {
            html.raw(".bd")
            html.int(b)
            html.raw(" { background: ")
            html.text(swatch.fill)
            html.raw("; color: ")
            html.text(swatch.ink)
            html.raw("; }\n")
        }
        html.raw("</style>\n")
    }
}
