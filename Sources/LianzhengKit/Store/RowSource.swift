import CSQLite

/// Where one column of a bulk insert takes each row's value from.
///
/// The values stay in the dataset's own columns: SQLite reads them through a
/// virtual table (`Database.insertRows`), so no row is bound parameter by
/// parameter and no text is copied before SQLite builds its record.
enum SourceColumn {
    /// The same integer in every row (the snapshot id).
    case constant(Int64)
    /// The row's position (`idx`).
    case rowIndex
    case int64([Int64])
    /// NULL where the value is negative when `negativeIsNull` (a missing reference, an unknown count).
    case int32([Int32], negativeIsNull: Bool)
    case uint8([UInt8])
    /// 1 or 0.
    case bool([Bool])
    /// NULL where the value is NaN when `nanIsNull` (a blank number).
    case double([Double], nanIsNull: Bool)
    case text(TextColumn)
    case dictionary(DictionaryColumn)
    /// A small code written as its name (`names[code]`): statuses, types.
    case named([UInt8], names: [String])
    /// Days since 1970-01-01 written as `CivilDate.format` writes them.
    case date([Int32])
}

/// A `SourceColumn` seen through raw pointers, valid while its
/// `SourceColumn.withRaw` call lasts; holds no references, so reading a
/// cell costs no reference counting.
enum RawColumn {
    case constant(Int64)
    case rowIndex
    case int64(UnsafePointer<Int64>)
    case int32(UnsafePointer<Int32>, negativeIsNull: Bool)
    case uint8(UnsafePointer<UInt8>)
    case bool(UnsafePointer<Bool>)
    case double(UnsafePointer<Double>, nanIsNull: Bool)
    /// Text i is `bytes[ends[i-1] ..< ends[i]]`.
    case text(bytes: UnsafePointer<UInt8>, ends: UnsafePointer<Int>)
    case codes16(UnsafePointer<UInt16>, names: UnsafePointer<UInt8>, ends: UnsafePointer<Int>)
    case codes8(UnsafePointer<UInt8>, names: UnsafePointer<UInt8>, ends: UnsafePointer<Int>)
    case date(UnsafePointer<Int32>)
}

extension SourceColumn {
    /// Calls `body` with this column's raw view.
    func withRaw<R>(_ body: (RawColumn) throws -> R) rethrows -> R {
        switch self {
        case .constant(let v): return try body(.constant(v))
        case .rowIndex: return try body(.rowIndex)
        case .int64(let a): return try a.withBase { try body(.int64($0)) }
        case .int32(let a, let n): return try a.withBase { try body(.int32($0, negativeIsNull: n)) }
        case .uint8(let a): return try a.withBase { try body(.uint8($0)) }
        case .bool(let a): return try a.withBase { try body(.bool($0)) }
        case .double(let a, let n): return try a.withBase { try body(.double($0, nanIsNull: n)) }
        case .text(let c):
            return try c.bytes.withBase { b in try c.ends.withBase { e in try body(.text(bytes: b, ends: e)) } }
        case .dictionary(let c):
            let names = TextColumn(c.values)
            return try c.codes.withBase { k in
                try names.bytes.withBase { b in try names.ends.withBase { e in try body(.codes16(k, names: b, ends: e)) } }
            }
        case .named(let codes, let values):
            let names = TextColumn(values)
            return try codes.withBase { k in
                try names.bytes.withBase { b in try names.ends.withBase { e in try body(.codes8(k, names: b, ends: e)) } }
            }
        case .date(let a): return try a.withBase { try body(.date($0)) }
        }
    }

    /// Calls `body` with the raw views of all `columns`, in order.
    static func withRaw<R>(_ columns: ArraySlice<SourceColumn>, _ done: [RawColumn] = [], _ body: ([RawColumn]) throws -> R) rethrows -> R {
        guard let first = columns.first else { return try body(done) }
        return try first.withRaw { raw in try withRaw(columns.dropFirst(), done + [raw], body) }
    }
}

/// What the virtual table serves while one INSERT runs: rows `lower..<upper`
/// of `columns`.
struct RowSourceState {
    var columns: UnsafePointer<RawColumn>
    var columnCount: Int
    var lower: Int
    var upper: Int
}

/// `sqlite3_vtab` followed by the state pointer (SQLite only reads the base).
private struct SourceTable {
    var base = sqlite3_vtab()
    var state: UnsafeMutablePointer<RowSourceState>
}

/// `sqlite3_vtab_cursor` followed by the current row.
private struct SourceCursor {
    var base = sqlite3_vtab_cursor()
    var state: UnsafeMutablePointer<RowSourceState>
    var row: Int
}

/// The name the virtual table is registered under while an insert runs.
let rowSourceName = "lianzheng_rows"

/// The module: an eponymous-only, read-only virtual table that scans rows in
/// order (SQLite's "table-valued" pattern, without arguments).
nonisolated(unsafe) let rowSourceModule: UnsafeMutablePointer<sqlite3_module> = {
    var m = sqlite3_module()
    m.iVersion = 0
    m.xConnect = { db, aux, _, _, vtab, _ in
        let state = aux!.assumingMemoryBound(to: RowSourceState.self)
        let names = (0..<state.pointee.columnCount).map { "c\($0)" }.joined(separator: ",")
        let rc = sqlite3_declare_vtab(db, "CREATE TABLE x(\(names))")
        guard rc == SQLITE_OK else { return rc }
        let table = UnsafeMutablePointer<SourceTable>.allocate(capacity: 1)
        table.initialize(to: SourceTable(state: state))
        vtab!.pointee = UnsafeMutableRawPointer(table).assumingMemoryBound(to: sqlite3_vtab.self)
        return SQLITE_OK
    }
    m.xBestIndex = { _, info in
        info!.pointee.estimatedCost = 1
        return SQLITE_OK
    }
    m.xDisconnect = { vtab in
        UnsafeMutableRawPointer(vtab!).assumingMemoryBound(to: SourceTable.self).deallocate()
        return SQLITE_OK
    }
    m.xOpen = { vtab, cursor in
        let table = UnsafeMutableRawPointer(vtab!).assumingMemoryBound(to: SourceTable.self)
        let c = UnsafeMutablePointer<SourceCursor>.allocate(capacity: 1)
        c.initialize(to: SourceCursor(state: table.pointee.state, row: table.pointee.state.pointee.lower))
        cursor!.pointee = UnsafeMutableRawPointer(c).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
        return SQLITE_OK
    }
    m.xClose = { cursor in
        UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: SourceCursor.self).deallocate()
        return SQLITE_OK
    }
    m.xFilter = { cursor, _, _, _, _ in
        let c = UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: SourceCursor.self)
        c.pointee.row = c.pointee.state.pointee.lower
        return SQLITE_OK
    }
    m.xNext = { cursor in
        UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: SourceCursor.self).pointee.row += 1
        return SQLITE_OK
    }
    m.xEof = { cursor in
        let c = UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: SourceCursor.self)
        return c.pointee.row >= c.pointee.state.pointee.upper ? 1 : 0
    }
    m.xRowid = { cursor, rowid in
        rowid!.pointee = Int64(UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: SourceCursor.self).pointee.row)
        return SQLITE_OK
    }
    m.xColumn = { cursor, context, column in
        let c = UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: SourceCursor.self)
        resultCell(c.pointee.state.pointee.columns[Int(column)], row: c.pointee.row, context!)
        return SQLITE_OK
    }
    let p = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
    p.initialize(to: m)
    return p
}()

/// Hands SQLite the value of one cell. Texts are passed without a copy
/// (a nil destructor, SQLITE_STATIC): they live in the dataset's columns,
/// which outlive the statement.
@inline(__always)
private func resultCell(_ column: RawColumn, row i: Int, _ context: OpaquePointer) {
    switch column {
    case .constant(let v): sqlite3_result_int64(context, v)
    case .rowIndex: sqlite3_result_int64(context, Int64(i))
    case .int64(let p): sqlite3_result_int64(context, p[i])
    case .int32(let p, let negativeIsNull):
        if negativeIsNull && p[i] < 0 { sqlite3_result_null(context) } else { sqlite3_result_int64(context, Int64(p[i])) }
    case .uint8(let p): sqlite3_result_int64(context, Int64(p[i]))
    case .bool(let p): sqlite3_result_int64(context, p[i] ? 1 : 0)
    case .double(let p, let nanIsNull):
        if nanIsNull && p[i].isNaN { sqlite3_result_null(context) } else { sqlite3_result_double(context, p[i]) }
    case .text(let bytes, let ends): resultText(context, bytes, ends, i)
    case .codes16(let codes, let names, let ends): resultText(context, names, ends, Int(codes[i]))
    case .codes8(let codes, let names, let ends): resultText(context, names, ends, Int(codes[i]))
    case .date(let p):
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            let n = CivilDate.write(days: p[i], into: buffer.baseAddress!)
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: n) {
                sqlite3_result_text(context, $0, Int32(n), sqliteTransient)
            }
        }
    }
}

@inline(__always)
private func resultText(_ context: OpaquePointer, _ bytes: UnsafePointer<UInt8>, _ ends: UnsafePointer<Int>, _ i: Int) {
    let lower = i == 0 ? 0 : ends[i - 1]
    let p = UnsafeRawPointer(bytes + lower).assumingMemoryBound(to: CChar.self)
    sqlite3_result_text(context, p, Int32(ends[i] - lower), nil)
}

extension Database {
    /// Appends rows `rows` to `table`, column k of each row taken from
    /// `columns[k]` (in the table's column order), with one
    /// `INSERT … SELECT` over a virtual table.
    /// - Complexity: O(rows × columns), no allocation per row.
    func insertRows(into table: String, rows: Range<Int>, columns: [SourceColumn]) throws(DatabaseError) {
        guard !rows.isEmpty else { return }
        let result: DatabaseError? = SourceColumn.withRaw(columns[...]) { raw in
            raw.withUnsafeBufferPointer { raw in
                let state = UnsafeMutablePointer<RowSourceState>.allocate(capacity: 1)
                state.initialize(to: RowSourceState(columns: raw.baseAddress!, columnCount: raw.count, lower: rows.lowerBound, upper: rows.upperBound))
                defer { state.deallocate() }
                let rc = sqlite3_create_module_v2(handle, rowSourceName, rowSourceModule, state, nil)
                guard rc == SQLITE_OK else { return error(rc, sql: nil) }
                // Dropping the module disconnects the table before `state` goes away.
                defer { sqlite3_create_module_v2(handle, rowSourceName, nil, nil, nil) }
                do throws(DatabaseError) {
                    try prepare("INSERT INTO \(table) SELECT * FROM \(rowSourceName)").run()
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let result { throw result }
    }
}
