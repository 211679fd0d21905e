import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// 来源摘要: everything the import of a dataset folder depends on, hashed
/// without parsing a byte of CSV. Reading is a function of the raw bytes of
/// the seven input files, the `--encoding` option, the scheme (validation of
/// kinds and indicators, level aliases) and the program (its parser), so
/// files with a known digest read to the data of a known snapshot, and a
/// re-run on unchanged files can load that snapshot instead of parsing.
///
/// The digest is the SHA-256 of this text, one line each:
/// ```
/// lianzheng source digest 1
/// program <Version.program>
/// encoding <auto|utf8|gb18030, as given>
/// scheme <scheme fingerprint>
/// units.csv <byte length> <file hash>         (or `units.csv absent`)
/// posts.csv …, powers.csv …, incidents.csv …, assessments.csv …,
/// adjustments.csv …, risk_points.csv …         (this order)
/// ```
/// A file's hash is the SHA-256 of the 32-byte SHA-256 digests of its
/// consecutive 8 MiB pieces (none for an empty file), in order: the pieces
/// of all files are hashed in parallel, two at a time per core where they
/// have the same length, and the result depends on neither the thread
/// count nor the order they finish in.
///
/// The folder's path is not part of the digest (the same files elsewhere
/// read to the same data); warnings, which name the path, are stored
/// relative to the folder (see `Workspace.importDataset`).
public struct SourceDigest: Sendable {
    /// The digest, 64 lowercase hex digits.
    public let hex: String
    /// The folder the files were read from.
    public let directory: String
    /// Each input file's identity when it was hashed (nil: absent), in
    /// `InputTable.allCases` order.
    let stamps: [FileStamp?]
    /// When the identities were taken, in nanoseconds since 1970.
    let stampedAt: Int

    /// A file modified less than this long before it was hashed may be
    /// modified again with no visible trace: file times advance by clock
    /// ticks (milliseconds on Linux, seconds on some file systems).
    static let settleNanoseconds = 2_000_000_000

    static let formatTag = "lianzheng source digest 1"

    /// Size of the pieces files are hashed in.
    static let defaultPieceBytes = 8 << 20

    /// Hashes the input files of `directory`, memory-mapped (nothing is
    /// copied), piece by piece on all cores; each piece's pages are given
    /// back once hashed, so a 600 MB folder never stays resident.
    ///
    /// Nil when a file exists but cannot be hashed (not a regular file,
    /// unreadable, changed size while being mapped): the caller then reads
    /// the folder as usual, and the reader reports the problem.
    /// - Complexity: O(total bytes), spread over all cores.
    public init?(directory: String, encoding: InputEncoding, schemeFingerprint: String) {
        self.init(directory: directory, encoding: encoding, schemeFingerprint: schemeFingerprint,
                  pieceBytes: Self.defaultPieceBytes)
    }

    /// `pieceBytes` other than the default gives other digests (tests make
    /// it tiny to hash small files in several pieces).
    init?(directory: String, encoding: InputEncoding, schemeFingerprint: String, pieceBytes: Int) {
        precondition(pieceBytes > 0)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        stampedAt = Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
        var files: [MappedFile?] = []
        var stamps: [FileStamp?] = []
        for table in InputTable.allCases {
            let path = table.path(in: directory)
            switch FileStamp.probe(path) {
            case .absent:
                files.append(nil)
                stamps.append(nil)
            case .unreadable:
                return nil
            case .file(let stamp):
                guard let mapped = try? MappedFile(path: path), Int64(mapped.count) == stamp.size else { return nil }
                files.append(mapped)
                stamps.append(stamp)
            }
        }
        self.directory = directory
        self.stamps = stamps
        let hashes = Self.fileHashes(files, pieceBytes: pieceBytes)
        var text = "\(Self.formatTag)\nprogram \(Version.program)\nencoding \(encoding.rawValue)\nscheme \(schemeFingerprint)\n"
        for (k, table) in InputTable.allCases.enumerated() {
            if let file = files[k] {
                text += "\(table.fileName) \(file.count) \(hashes[k])\n"
            } else {
                text += "\(table.fileName) absent\n"
            }
        }
        hex = SHA256.hex(of: text)
    }

    /// The hash of each file (see the type's comment; "" for an absent one).
    private static func fileHashes(_ files: [MappedFile?], pieceBytes: Int) -> [String] {
        var pieces: [(file: Int, range: Range<Int>)] = []
        var firstPiece: [Int] = []
        for (f, file) in files.enumerated() {
            firstPiece.append(pieces.count)
            guard let file else { continue }
            for start in stride(from: 0, to: file.count, by: pieceBytes) {
                pieces.append((f, start..<min(file.count, start + pieceBytes)))
            }
        }
        firstPiece.append(pieces.count)
        // Pieces of the same length (the whole ones) are hashed two at a
        // time (`SHA256.digests`), the others one by one.
        var tasks: [(Int, Int?)] = []
        var waiting: Int? = nil
        for (p, piece) in pieces.enumerated() {
            if piece.range.count != pieceBytes {
                tasks.append((p, nil))
            } else if let w = waiting {
                tasks.append((w, p))
                waiting = nil
            } else {
                waiting = p
            }
        }
        if let w = waiting { tasks.append((w, nil)) }
        let digests = PieceDigests(count: pieces.count)
        let shared = SharedFiles(files: files)
        let pieceList = pieces, taskList = tasks
        // Each task writes only the slots of its own pieces.
        DispatchQueue.concurrentPerform(iterations: taskList.count) { t in
            let (p, q) = taskList[t]
            let a = pieceList[p]
            let fileA = shared.files[a.file]!
            if let q {
                let b = pieceList[q]
                let fileB = shared.files[b.file]!
                let (da, db) = fileA.withBytes { x in
                    fileB.withBytes { y in
                        SHA256.digests(
                            UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: x[a.range])),
                            UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: y[b.range])))
                    }
                }
                digests.set(p, da)
                digests.set(q, db)
                fileB.releasePages(b.range)
            } else {
                var hash = SHA256()
                fileA.withBytes { x in hash.update(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: x[a.range]))) }
                digests.set(p, hash.finalize())
            }
            fileA.releasePages(a.range)
        }
        return files.indices.map { f in
            guard files[f] != nil else { return "" }
            var hash = SHA256()
            digests.withBytes(firstPiece[f]..<firstPiece[f + 1]) { hash.update(bytes: $0) }
            return hash.hexDigest()
        }
    }

    /// Whether the files certainly were, when this is called, as they were
    /// hashed: each still has the identity (device, inode, size,
    /// modification and change times) it had, or is still absent, and none
    /// had been modified shortly before (a second change within the same
    /// clock tick would leave its times as they were). Asked after the files
    /// were parsed: files changed meanwhile may have been hashed and parsed
    /// in different states, and their digest must then not be recorded
    /// (that costs one more parse next time, never a wrong reuse).
    public func filesUnchanged() -> Bool {
        InputTable.allCases.enumerated().allSatisfy { k, table in
            if let stamp = stamps[k], stamp.modified > stampedAt - Self.settleNanoseconds { return false }
            switch FileStamp.probe(table.path(in: directory)) {
            case .absent: return stamps[k] == nil
            case .file(let now): return stamps[k] == now
            case .unreadable: return false
            }
        }
    }
}

/// What identifies a file's content without reading it: a rewrite in place
/// changes its modification time, a replacement its inode.
struct FileStamp: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// Modification and status change times, in nanoseconds since 1970.
    var modified: Int
    var changed: Int

    enum Probe {
        case absent
        case file(FileStamp)
        /// Exists but is no regular file, or cannot be examined.
        case unreadable
    }

    static func probe(_ path: String) -> Probe {
        var info = stat()
        guard stat(path, &info) == 0 else { return errno == ENOENT ? .absent : .unreadable }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .unreadable }
        return .file(FileStamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec),
            changed: Int(info.st_ctim.tv_sec) * 1_000_000_000 + Int(info.st_ctim.tv_nsec)))
    }
}

/// The 32-byte digests of the pieces, one slot per piece, written by
/// parallel workers that each own their slots.
private final class PieceDigests: @unchecked Sendable {
    private let bytes: UnsafeMutableBufferPointer<UInt8>

    init(count: Int) {
        bytes = .allocate(capacity: max(1, count) * 32)
    }

    deinit { bytes.deallocate() }

    func set(_ piece: Int, _ digest: [UInt8]) {
        precondition(digest.count == 32)
        for (k, b) in digest.enumerated() { bytes[piece * 32 + k] = b }
    }

    /// The digests of `pieces`, concatenated.
    func withBytes(_ pieces: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Void) {
        body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: bytes[(pieces.lowerBound * 32)..<(pieces.upperBound * 32)])))
    }
}

/// Mapped files read (never changed) by parallel workers.
private struct SharedFiles: @unchecked Sendable {
    let files: [MappedFile?]
}
