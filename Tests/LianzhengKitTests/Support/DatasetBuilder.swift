import Foundation
@testable import LianzhengKit

/// Builds small datasets in code for hand-worked tests.
struct DatasetBuilder {
    var data = Dataset()

    init(units: [String] = ["U1"]) {
        for u in units {
            data.units.id.append(u)
            data.units.name.append("单位" + u)
            data.units.parent.append(-1)
            data.units.kind.append("")
        }
    }

    /// Adds a post; returns its row before canonicalisation.
    @discardableResult
    mutating func post(
        _ id: String, unit: Int32 = 0, category: String = "", tenure: Double = .nan,
        selfLevel: String = "", controls: Int32 = -1, keyDecisions: Bool = false
    ) -> Int32 {
        data.posts.id.append(id)
        data.posts.unit.append(unit)
        data.posts.name.append("岗位" + id)
        data.posts.category.append(category)
        data.posts.holder.append("")
        data.posts.tenureYears.append(tenure)
        data.posts.selfLevel.append(selfLevel)
        data.posts.controls.append(controls)
        data.posts.keyDecisions.append(keyDecisions)
        return Int32(data.posts.count - 1)
    }

    mutating func power(_ post: Int32, kind: String, count: Int64 = 0, amount: Double = 0, discretion: UInt8 = 0) {
        data.powers.post.append(post)
        data.powers.name.append("职权")
        data.powers.kind.append(kind)
        data.powers.annualCount.append(count)
        data.powers.amount.append(amount)
        data.powers.discretion.append(discretion)
    }

    mutating func incident(_ id: String, _ post: Int32, date: String, kind: String, status: IncidentStatus = .verified) {
        data.incidents.id.append(id)
        data.incidents.post.append(post)
        var text = date
        let day = text.withUTF8 { FieldParsing.date($0) }
        data.incidents.date.append(day!)
        data.incidents.kind.append(kind)
        data.incidents.status.append(status.rawValue)
    }

    func build() -> Dataset {
        var d = data
        d.canonicalize()
        return d
    }
}

/// The default scheme with `edit` applied to its JSON text.
func scheme(editing edit: (String) -> String = { $0 }) throws -> Scheme {
    try SchemeParser.parse(text: edit(SchemeParser.defaultSchemeText), source: "test").scheme
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "lianzheng-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
