import Testing
@testable import LianzhengKit

@Suite struct HTMLEscapeTests {
    struct EscapeCase: CustomTestStringConvertible, Sendable {
        var input: String
        var expected: String
        var testDescription: String { input.isEmpty ? "(empty)" : input }
    }

    @Test(arguments: [
        // < → &lt;  > → &gt;  " → &quot;  & → &amp;  ' → &#39;
        EscapeCase(
            input: #"<script>alert("x")&'</script>"#,
            expected: "&lt;script&gt;alert(&quot;x&quot;)&amp;&#39;&lt;/script&gt;"
        ),
        EscapeCase(input: "", expected: ""),
        EscapeCase(input: "行政许可科 P-001", expected: "行政许可科 P-001"),  // nothing to escape
        EscapeCase(input: "a&b", expected: "a&amp;b"),
        EscapeCase(input: "&amp;", expected: "&amp;amp;"),  // escaping is not idempotent, by design
        EscapeCase(input: "<<>>", expected: "&lt;&lt;&gt;&gt;"),
        EscapeCase(input: "'", expected: "&#39;"),
        EscapeCase(input: "张三 \"李四\"", expected: "张三 &quot;李四&quot;"),  // multi-byte text around
    ])
    func escape(_ c: EscapeCase) {
        #expect(htmlEscape(c.input) == c.expected)
        var out: [UInt8] = Array("<td>".utf8)
        appendHTMLEscaped(c.input, to: &out)
        #expect(out == Array(("<td>" + c.expected).utf8))
    }
}
