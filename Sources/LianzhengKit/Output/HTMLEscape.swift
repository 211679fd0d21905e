/// `s` safe as HTML text or a quoted attribute value: `&` `<` `>` `"` `'`
/// become `&amp;` `&lt;` `&gt;` `&quot;` `&#39;` (SPEC §7: all text of
/// report.html is escaped).
///
/// - Complexity: O(n); returns `s` itself, without copying, when nothing
///   needs escaping (the common case for ids and numbers).
public func htmlEscape(_ s: String) -> String {
    guard s.utf8.contains(where: needsHTMLEscape) else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count + 16)
    appendHTMLEscaped(s, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Appends `htmlEscape(s)` as UTF-8 to `out`, for building a page in one buffer.
public func appendHTMLEscaped(_ s: String, to out: inout [UInt8]) {
    var s = s
    s.withUTF8 { bytes in
        var segmentStart = 0
        for i in bytes.indices {
            guard let entity = htmlEntity(bytes[i]) else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<i]))
            entity.withUTF8Buffer { out.append(contentsOf: $0) }
            segmentStart = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart...]))
    }
}

/// Whether `b` is one of the five bytes HTML escaping replaces.
@inline(__always)
private func needsHTMLEscape(_ b: UInt8) -> Bool {
    htmlEntity(b) != nil
}

/// The entity replacing `b`, or nil when `b` is written as is.
@inline(__always)
private func htmlEntity(_ b: UInt8) -> StaticString? {
    switch b {
    case UInt8(ascii: "&"): "&amp;"
    case UInt8(ascii: "<"): "&lt;"
    case UInt8(ascii: ">"): "&gt;"
    case UInt8(ascii: "\""): "&quot;"
    case UInt8(ascii: "'"): "&#39;"
    default: nil
    }
}
