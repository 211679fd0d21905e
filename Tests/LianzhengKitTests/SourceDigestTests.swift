import Foundation
import Testing
@testable import LianzhengKit

/// The source digest of a dataset folder (`SourceDigest`): what it hashes,
/// and when an import may record it.
@Suite struct SourceDigestTests {
    static let schemeFingerprint = String(repeating: "5c", count: 32)
    static let fileNames = [
        "units.csv", "posts.csv", "powers.csv", "incidents.csv", "assessments.csv", "adjustments.csv", "risk_points.csv",
    ]

    private func digest(
        _ folder: DatasetFolder, encoding: InputEncoding = .auto, scheme: String = schemeFingerprint, pieceBytes: Int = 16
    ) -> String? {
        SourceDigest(directory: folder.path, encoding: encoding, schemeFingerprint: scheme, pieceBytes: pieceBytes)?.hex
    }

    /// The digest is the SHA-256 of the documented text: the format tag,
    /// the program version, the --encoding option as given, the scheme
    /// fingerprint, then per file in fixed order its length and the
    /// SHA-256 of its pieces' SHA-256 digests, or `absent`. Worked out here
    /// from the files' bytes, one piece at a time, for pieces shorter than a
    /// block and of one and two blocks (the digest hashes whole pieces two
    /// at a time; posts.csv, 1 KB, has many; the optional files are absent).
    @Test(arguments: [16, 64, 128])
    func followsItsDefinition(pieceBytes: Int) throws {
        var files = DatasetFolder.valid
        files["posts.csv"]! += (3...40).map { "P\($0),U2,科员\($0),综合\n" }.joined()
        let folder = DatasetFolder(files)
        defer { folder.remove() }
        func fileHash(_ bytes: [UInt8]) -> String {
            var outer = SHA256()
            for start in stride(from: 0, to: bytes.count, by: pieceBytes) {
                var piece = SHA256()
                piece.update(bytes: Array(bytes[start..<min(bytes.count, start + pieceBytes)]))
                outer.update(bytes: piece.finalize())
            }
            return outer.hexDigest()
        }
        var text = "lianzheng source digest 1\nprogram \(Version.program)\nencoding gb18030\nscheme \(Self.schemeFingerprint)\n"
        for name in Self.fileNames {
            if let content = files[name] {
                let bytes = Array(content.utf8)
                text += "\(name) \(bytes.count) \(fileHash(bytes))\n"
            } else {
                text += "\(name) absent\n"
            }
        }
        #expect(Array(files["posts.csv"]!.utf8).count > 7 * pieceBytes)
        #expect(digest(folder, encoding: .gb18030, pieceBytes: pieceBytes) == SHA256.hex(of: text))
    }

    /// The same files give the same digest, wherever the folder is and
    /// however often it is hashed; the piece size is part of the definition.
    @Test func sameFilesSameDigest() throws {
        let folder = DatasetFolder(DatasetFolder.valid)
        let copy = DatasetFolder(DatasetFolder.valid)
        defer {
            folder.remove()
            copy.remove()
        }
        let first = try #require(digest(folder))
        #expect(digest(folder) == first)
        #expect(digest(copy) == first)
        #expect(SourceDigest(directory: folder.path + "/", encoding: .auto, schemeFingerprint: Self.schemeFingerprint,
                             pieceBytes: 16)?.hex == first)
        #expect(digest(folder, pieceBytes: 4096) != first)
    }

    struct Change: CustomTestStringConvertible, Sendable {
        var id: String
        var files: [String: String?] = [:]
        var encoding: InputEncoding = .auto
        var scheme = SourceDigestTests.schemeFingerprint
        var testDescription: String { id }
    }

    /// Anything the reading depends on changes the digest: one byte of a
    /// file (in its first piece, or in its last), an optional file present
    /// though empty rather than absent, the --encoding option (even where it
    /// would read the same), the scheme.
    @Test(arguments: [
        Change(id: "first byte of units.csv", files: [
            "units.csv": "Unit_id,name,parent_id,kind\nU1,市局,,行政机关\nU2,办公室,U1,内设科室\n",
        ]),
        Change(id: "last byte of incidents.csv", files: [
            "incidents.csv": "incident_id,post_id,date,kind,status\nX1,P1,2025-03-01,信访举报,待核实\r",
        ]),
        Change(id: "powers.csv count 10 → 11, same length", files: [
            "powers.csv": "post_id,power,kind,annual_count,amount,discretion\nP1,许可签发,行政许可,11,5,2\n",
        ]),
        Change(id: "empty risk_points.csv instead of none", files: ["risk_points.csv": ""]),
        Change(id: "--encoding utf8 instead of auto", encoding: .utf8),
        Change(id: "another scheme", scheme: String(repeating: "5d", count: 32)),
    ])
    func everyInputCounts(_ change: Change) throws {
        let base = DatasetFolder(DatasetFolder.valid)
        let changed = DatasetFolder.valid(with: change.files)
        defer {
            base.remove()
            changed.remove()
        }
        let before = try #require(digest(base))
        let after = try #require(digest(changed, encoding: change.encoding, scheme: change.scheme))
        #expect(after != before)
    }

    /// An input file that exists but cannot be hashed (here a folder named
    /// posts.csv) gives no digest: the import then reads the folder and
    /// reports the problem as it always did.
    @Test func unreadableFileGivesNoDigest() throws {
        let folder = DatasetFolder.valid(with: ["posts.csv": nil])
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.file("posts.csv"), withIntermediateDirectories: false)
        #expect(digest(folder) == nil)
    }

    /// A digest may be recorded only when the files are, after reading,
    /// as they were hashed, and had settled before: just written files
    /// have not; a rewrite, even of the same length with its modification
    /// time set back, changes the change time; a replaced file its inode;
    /// an optional file that appears is noticed too.
    @Test func filesUnchangedOnlyWhenSettledAndUntouched() throws {
        let folder = DatasetFolder(DatasetFolder.valid)
        defer { folder.remove() }
        func hashed() throws -> SourceDigest {
            try #require(SourceDigest(directory: folder.path, encoding: .auto, schemeFingerprint: Self.schemeFingerprint))
        }
        #expect(try hashed().filesUnchanged() == false, "just written")
        folder.age()
        let settled = try hashed()
        #expect(settled.filesUnchanged())

        // Same length, modification time set back to the hashed one.
        let path = folder.file("powers.csv")
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as! Date
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: UInt64(DatasetFolder.valid["powers.csv"]!.utf8.count - 2))
        try handle.write(contentsOf: Data("3".utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        #expect(settled.filesUnchanged() == false, "rewritten in place")

        let again = try hashed()
        #expect(again.filesUnchanged())
        try FileManager.default.removeItem(atPath: path)
        folder.write("powers.csv", DatasetFolder.valid["powers.csv"]!)
        #expect(again.filesUnchanged() == false, "replaced")

        let third = try hashed()
        #expect(third.filesUnchanged())
        folder.write("risk_points.csv", "point_id,post_id,type,description\n")
        #expect(third.filesUnchanged() == false, "optional file appeared")
    }
}
