/// The inline SVG charts of report.html. Coordinates are integer tenths of a
/// pixel computed in integer arithmetic, so the same counts always draw the
/// same bytes; the viewBox scales to the page width on screen and on A4.
extension ReportHTML.Page {
    /// One bar of a 100 % stacked bar chart.
    struct StackedBar {
        /// Shown left of the bar (shortened when long).
        var label: String
        /// The full label, as the bar's tooltip.
        var title: String
        /// One count per segment, in legend order.
        var counts: [Int]
    }

    // MARK: Level distribution per unit

    mutating func levelChart() {
        let d = c.dataset
        sectionHeading(1)
        let withPosts = units.indices.filter { units[$0].posts > 0 }
        guard !withPosts.isEmpty else {
            html.raw("<p class=\"note\">数据中没有岗位。</p>\n")
            endSection()
            return
        }
        let shown = withPosts.prefix(limits.chartUnits)
        let bars = shown.map { u in
            StackedBar(label: d.units.name[u], title: d.units.name[u] + "（" + d.units.id[u] + "）", counts: units[u].perLevel)
        }
        html.raw("<figure>\n")
        stackedBars(bars, names: c.scheme.levels.map(\.name), swatches: levelSwatches, ariaLabel: "各单位岗位风险等级分布")
        html.raw("<figcaption>每个单位一条，按单位编号排列；色段为该单位直属岗位中各风险等级的占比，段内数字为岗位数，右侧为岗位总数。</figcaption>\n</figure>\n")
        if withPosts.count > shown.count {
            html.raw("<p class=\"more\">设有岗位的单位共 ")
            html.int(withPosts.count)
            html.raw(" 个，图中列出前 ")
            html.int(shown.count)
            html.raw(" 个；其余 ")
            html.int(withPosts.count - shown.count)
            html.raw(" 个见 units.csv。</p>\n")
        }
        endSection()
    }

    // MARK: Band distribution

    mutating func bandChart() {
        let a = c.assessment
        sectionHeading(3)
        guard a.count > 0 else {
            html.raw("<p class=\"note\">本年度没有考核对象（assessments.csv、adjustments.csv 中无 ")
            html.int(c.year)
            html.raw(" 年度记录）。</p>\n")
            endSection()
            return
        }
        let unitCounts = a.bandCounts(of: .unit)
        let postCounts = a.bandCounts(of: .post)
        let bars = [
            StackedBar(label: "单位（\(unitCounts.reduce(0, +))）", title: "单位", counts: unitCounts),
            StackedBar(label: "岗位（\(postCounts.reduce(0, +))）", title: "岗位", counts: postCounts),
        ]
        html.raw("<figure>\n")
        stackedBars(bars, names: c.scheme.assessment.bands.map(\.name), swatches: bandSwatches, ariaLabel: "考核档次分布")
        html.raw("<figcaption>单位与岗位考核档次的构成（一票否决与优秀比例已计入）；段内数字为对象个数。</figcaption>\n</figure>\n")
        var vetoes = 0
        var quota = [Int](repeating: 0, count: QuotaStatus.allCases.count)
        for i in 0..<a.count {
            if a.veto(at: i) { vetoes += 1 }
            quota[Int(a.quotaStatus[i].rawValue)] += 1
        }
        html.raw("<table class=\"summary\">\n<thead><tr><th>考核档次</th><th>分数线</th><th class=\"num\">单位</th><th class=\"num\">占比</th><th class=\"num\">岗位</th><th class=\"num\">占比</th></tr></thead>\n<tbody>\n")
        let bands = c.scheme.assessment.bands
        for b in bands.indices {
            html.raw("<tr><td>")
            bandChip(b)
            html.raw("</td><td>")
            if bands.count == 1 {
                html.raw("全部对象")
            } else if b == bands.count - 1 {
                html.raw("低于 ")
                html.text(trimmedHundredths(bands[b - 1].min))
                html.raw(" 分或一票否决")
            } else {
                html.raw("≥ ")
                html.text(trimmedHundredths(bands[b].min))
                html.raw(" 分")
            }
            html.raw("</td><td class=\"num\">")
            html.int(unitCounts[b])
            html.raw("</td><td class=\"num\">")
            percent(unitCounts[b], of: unitCounts.reduce(0, +))
            html.raw("</td><td class=\"num\">")
            html.int(postCounts[b])
            html.raw("</td><td class=\"num\">")
            percent(postCounts[b], of: postCounts.reduce(0, +))
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody>\n</table>\n<p class=\"note\">一票否决 ")
        html.int(vetoes)
        html.raw(" 个；")
        if let q = c.scheme.assessment.quota {
            html.text(bands[q.band].name)
            html.raw("比例 ")
            percent(Int(q.shareTenThousandths), of: 10_000)
            html.raw("：保留 ")
            html.int(quota[Int(QuotaStatus.kept.rawValue)])
            html.raw(" 个，超出名额顺延至下一档 ")
            html.int(quota[Int(QuotaStatus.demoted.rawValue)])
            html.raw(" 个，并列待议 ")
            html.int(quota[Int(QuotaStatus.tie.rawValue)])
            html.raw(" 个。</p>\n")
        } else {
            html.raw("评分方案未设优秀比例。</p>\n")
        }
        endSection()
    }

    // MARK: Stacked bars

    /// A 100 % stacked horizontal bar per row with a legend, segment counts
    /// written inside the segments that are wide enough, the row total at
    /// the right and a tooltip per segment.
    /// - Complexity: O(rows × segments).
    mutating func stackedBars(_ bars: [StackedBar], names: [String], swatches: [Swatch], ariaLabel: String) {
        let width = 760
        let labelRight = 176
        let barLeft = 184
        let barWidth = 520
        let legendTop = 8
        let firstRow = 36
        let rowHeight = 26
        let barHeight = 18
        let height = firstRow + bars.count * rowHeight + 4
        html.raw("<svg viewBox=\"0 0 ")
        html.int(width)
        html.raw(" ")
        html.int(height)
        html.raw("\" width=\"")
        html.int(width)
        html.raw("\" height=\"")
        html.int(height)
        html.raw("\" role=\"img\" aria-label=\"")
        html.text(ariaLabel)
        html.raw("\">\n")
        // Legend: swatch, name; names advance by their character count.
        var x = barLeft
        for (k, name) in names.enumerated() {
            html.raw("<rect x=\"")
            html.int(x)
            html.raw("\" y=\"")
            html.int(legendTop)
            html.raw("\" width=\"12\" height=\"12\" fill=\"")
            html.text(swatches[k].fill)
            html.raw("\"/><text x=\"")
            html.int(x + 16)
            html.raw("\" y=\"")
            html.int(legendTop + 11)
            html.raw("\" font-size=\"12\" fill=\"#1f2933\">")
            html.text(name)
            html.raw("</text>\n")
            x += 16 + 13 * name.count + 16
        }
        for (row, bar) in bars.enumerated() {
            let top = firstRow + row * rowHeight
            let total = bar.counts.reduce(0, +)
            html.raw("<g><title>")
            html.text(bar.title)
            html.raw("</title>\n<text x=\"")
            html.int(labelRight)
            html.raw("\" y=\"")
            html.int(top + 13)
            html.raw("\" font-size=\"12\" text-anchor=\"end\" fill=\"#1f2933\">")
            html.text(shortened(bar.label, to: 13))
            html.raw("</text>\n")
            html.raw("<rect x=\"")
            html.int(barLeft)
            html.raw("\" y=\"")
            html.int(top)
            html.raw("\" width=\"")
            html.int(barWidth)
            html.raw("\" height=\"")
            html.int(barHeight)
            html.raw("\" fill=\"#f1f4f7\"/>\n")
            if total > 0 {
                // Segment edges in tenths: round(cumulative · width / total).
                var cumulative = 0
                var left = 0
                for (k, n) in bar.counts.enumerated() where n > 0 {
                    cumulative += n
                    let right = (cumulative * barWidth * 10 * 2 + total) / (2 * total)
                    let w = right - left
                    html.raw("<rect x=\"")
                    html.tenths(barLeft * 10 + left)
                    html.raw("\" y=\"")
                    html.int(top)
                    html.raw("\" width=\"")
                    html.tenths(w)
                    html.raw("\" height=\"")
                    html.int(barHeight)
                    html.raw("\" fill=\"")
                    html.text(swatches[k].fill)
                    html.raw("\"><title>")
                    html.text(names[k])
                    html.raw("：")
                    html.int(n)
                    html.raw("</title></rect>\n")
                    let digits = String(n).count
                    if w >= 70 * digits + 60 {
                        html.raw("<text x=\"")
                        html.tenths(barLeft * 10 + left + w / 2)
                        html.raw("\" y=\"")
                        html.int(top + 13)
                        html.raw("\" font-size=\"11\" text-anchor=\"middle\" fill=\"")
                        html.text(swatches[k].ink)
                        html.raw("\">")
                        html.int(n)
                        html.raw("</text>\n")
                    }
                    left = right
                }
            }
            html.raw("<text x=\"")
            html.int(barLeft + barWidth + 8)
            html.raw("\" y=\"")
            html.int(top + 13)
            html.raw("\" font-size=\"12\" fill=\"#52606d\">")
            if total > 0 { html.int(total) } else { html.raw("无") }
            html.raw("</text></g>\n")
        }
        html.raw("</svg>\n")
    }

    // MARK: Score histogram

    /// Posts per 5-point score bin from 0 to 100 (100.00 falls in the last
    /// bin), with a dashed line at every level minimum above 0.
    mutating func histogram() {
        sectionHeading(2)
        var bins = [Int](repeating: 0, count: 20)
        for s in c.risk.score { bins[min(19, max(0, Int(s / 500)))] += 1 }
        let maxCount = bins.max() ?? 0
        let step = niceStep(above: max(1, (maxCount + 4) / 5))
        let top = max(step, (maxCount + step - 1) / step * step)

        let width = 760
        let plotLeft = 60
        let plotWidth = 680
        let binWidth = plotWidth / 20
        let plotTop = 30
        let plotHeight = 220
        let baseline = plotTop + plotHeight
        let height = baseline + 46
        html.raw("<figure>\n<svg viewBox=\"0 0 ")
        html.int(width)
        html.raw(" ")
        html.int(height)
        html.raw("\" width=\"")
        html.int(width)
        html.raw("\" height=\"")
        html.int(height)
        html.raw("\" role=\"img\" aria-label=\"风险分分布直方图\">\n")
        // Horizontal grid with counts.
        var v = 0
        while v <= top {
            let y = baseline * 10 - v * plotHeight * 10 / top
            html.raw("<line x1=\"")
            html.int(plotLeft)
            html.raw("\" x2=\"")
            html.int(plotLeft + plotWidth)
            html.raw("\" y1=\"")
            html.tenths(y)
            html.raw("\" y2=\"")
            html.tenths(y)
            html.raw(v == 0 ? "\" stroke=\"#52606d\"/>\n" : "\" stroke=\"#e4e7eb\"/>\n")
            html.raw("<text x=\"")
            html.int(plotLeft - 6)
            html.raw("\" y=\"")
            html.tenths(y + 40)
            html.raw("\" font-size=\"11\" text-anchor=\"end\" fill=\"#52606d\">")
            html.int(v)
            html.raw("</text>\n")
            v += step
        }
        html.raw("<text x=\"")
        html.int(plotLeft - 6)
        html.raw("\" y=\"")
        html.int(plotTop - 14)
        html.raw("\" font-size=\"11\" text-anchor=\"end\" fill=\"#52606d\">岗位数</text>\n")
        // Bars with their counts.
        for (b, n) in bins.enumerated() {
            let x = plotLeft + b * binWidth
            if n > 0 {
                let h = (n * plotHeight * 10 * 2 + top) / (2 * top)
                html.raw("<rect x=\"")
                html.int(x + 2)
                html.raw("\" y=\"")
                html.tenths(baseline * 10 - h)
                html.raw("\" width=\"")
                html.int(binWidth - 4)
                html.raw("\" height=\"")
                html.tenths(h)
                html.raw("\" fill=\"#5b7db1\"><title>")
                html.int(b * 5)
                html.raw(b == 19 ? "–100 分：" : "–")
                if b != 19 {
                    html.int(b * 5 + 5)
                    html.raw(" 分（不含）：")
                }
                html.int(n)
                html.raw(" 个岗位</title></rect>\n<text x=\"")
                html.int(x + binWidth / 2)
                html.raw("\" y=\"")
                html.tenths(baseline * 10 - h - 40)
                html.raw("\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1f2933\">")
                html.int(n)
                html.raw("</text>\n")
            }
            if b % 2 == 0 {
                html.raw("<text x=\"")
                html.int(x)
                html.raw("\" y=\"")
                html.int(baseline + 16)
                html.raw("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#52606d\">")
                html.int(b * 5)
                html.raw("</text>\n")
            }
        }
        html.raw("<text x=\"")
        html.int(plotLeft + plotWidth)
        html.raw("\" y=\"")
        html.int(baseline + 16)
        html.raw("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#52606d\">100</text>\n<text x=\"")
        html.int(plotLeft + plotWidth / 2)
        html.raw("\" y=\"")
        html.int(baseline + 36)
        html.raw("\" font-size=\"12\" text-anchor=\"middle\" fill=\"#52606d\">风险分</text>\n")
        // Level thresholds.
        var line = 0
        for (k, level) in c.scheme.levels.enumerated() where level.minScoreHundredths > 0 {
            let minimum = min(10_000, level.minScoreHundredths)
            let x = plotLeft * 10 + Int(minimum) * plotWidth * 10 / 10_000
            html.raw("<line x1=\"")
            html.tenths(x)
            html.raw("\" x2=\"")
            html.tenths(x)
            html.raw("\" y1=\"")
            html.int(plotTop - 6)
            html.raw("\" y2=\"")
            html.int(baseline)
            html.raw("\" stroke=\"")
            html.text(levelSwatches[k].fill)
            html.raw("\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n<text x=\"")
            html.tenths(x + 40)
            html.raw("\" y=\"")
            html.int(plotTop + 6 + 14 * line)
            html.raw("\" font-size=\"12\" fill=\"")
            html.text(levelSwatches[k].fill)
            html.raw("\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">")
            html.text(level.name)
            html.raw(" ≥ ")
            html.text(level.minScore.shortestDecimal)
            html.raw("</text>\n")
            line += 1
        }
        html.raw("</svg>\n<figcaption>全部 ")
        html.int(c.risk.count)
        html.raw(" 个岗位的风险分，每 5 分一组（左闭右开，100 分计入最后一组）；虚线为各风险等级的分数线。最终等级还受最低等级规则影响，见“总体情况”。</figcaption>\n</figure>\n")
        endSection()
    }

    /// The smallest 1, 2 or 5 × 10ᵏ that is ≥ `n`.
    private func niceStep(above n: Int) -> Int {
        var magnitude = 1
        while true {
            for m in [1, 2, 5] where m * magnitude >= n { return m * magnitude }
            magnitude *= 10
        }
    }

    /// `s` cut to `limit` characters with "…" when longer.
    func shortened(_ s: String, to limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(limit - 1)) + "…"
    }
}
