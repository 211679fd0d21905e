/// Builds an HTML page in one UTF-8 buffer (report.html, SPEC §7).
///
/// Markup goes in only as `StaticString` literals, so no text from the data
/// or the scheme can reach the page unescaped: every `String` passes through
/// `appendHTMLEscaped`, and numbers through the shared formatters.
///
/// ```
/// var html = HTMLWriter()
/// html.raw("<td>")
/// html.text(unitName)     // <script> → &lt;script&gt;
/// html.raw("</td>")
/// ```
/// - Complexity: appends are amortised O(length); the page is never copied.
public struct HTMLWriter: Sendable {
    /// The page so far.
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends a markup literal as is.
    @inline(__always)
    public mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `s` HTML-escaped: safe as element text and as a quoted attribute value.
    @inline(__always)
    public mutating func text(_ s: String) {
        appendHTMLEscaped(s, to: &bytes)
    }

    /// Appends `n` in decimal.
    public mutating func int(_ n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimalDigits(UInt64(n.magnitude), to: &bytes)
    }

    /// Appends integer hundredths with 2 decimals (`formatHundredths`).
    public mutating func hundredths(_ v: Int64) {
        appendHundredths(v, to: &bytes)
    }

    /// Appends integer tenths with at most one decimal: 1234 → "123.4",
    /// 1230 → "123", -5 → "-0.5" (SVG coordinates are kept as integer
    /// tenths, so the layout is exact and repeatable).
    public mutating func tenths(_ v: Int) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        let m = v.magnitude
        appendDecimalDigits(UInt64(m / 10), to: &bytes)
        if m % 10 != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(m % 10))
        }
    }

    /// `<tag>` escaped text `</tag>`, e.g. `element("<td>", name, "</td>")`.
    @inline(__always)
    public mutating func element(_ open: StaticString, _ s: String, _ close: StaticString) {
        raw(open)
        text(s)
        raw(close)
    }
}
