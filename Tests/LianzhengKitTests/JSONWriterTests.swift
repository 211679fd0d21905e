import Foundation
import Testing
@testable import LianzhengKit

/// Large JSON arrays are written in parts on several cores and assembled
/// as chunks: the result must be byte for byte what one writer gives,
/// whatever the parts hold, empty parts included.
@Suite struct JSONWriterTests {
    /// A document with an array of `rows` objects, written by one writer.
    static func whole(rows: [Int]) -> [UInt8] {
        var j = JSONWriter()
        j.beginObject()
        j.field("name", "表")
        j.key("rows")
        j.beginArray()
        for r in rows { row(&j, r) }
        j.endArray()
        j.field("end", number: 1)
        j.endObject()
        return j.finish()
    }

    static func row(_ j: inout JSONWriter, _ r: Int) {
        j.beginArray()
        j.string("R\(r)")
        j.hundredths(Int64(r * 101))
        j.endArray()
    }

    /// The same document with the rows written as `parts` fragments.
    static func assembled(parts: [[Int]]) -> [UInt8] {
        var document: [ByteBuffer] = []
        var j = JSONWriter()
        j.beginObject()
        j.field("name", "表")
        j.key("rows")
        j.beginArray()
        let fragments = parts.map { rows -> ByteBuffer in
            var part = JSONWriter(fragmentIn: 2)
            for r in rows { row(&part, r) }
            return part.buffer
        }
        for fragment in fragments { j.appendFragment(fragment) { document.append($0) } }
        j.endArray()
        j.field("end", number: 1)
        j.endObject()
        document.append(j.finishedBuffer())
        return document.flatMap(\.bytesWritten)
    }

    @Test(arguments: [
        [[1, 2, 3]],
        [[1], [2, 3], [4]],
        [[], [1, 2], [], [], [3], []],
        [[], []],
        [[1, 2], []],
        [],
    ] as [[[Int]]])
    func partsAssembleToTheWholeDocument(_ parts: [[Int]]) throws {
        let bytes = Self.assembled(parts: parts)
        #expect(bytes == Self.whole(rows: parts.flatMap { $0 }))
        #expect(try JSONSerialization.jsonObject(with: Data(bytes)) is [String: Any])
    }
}
