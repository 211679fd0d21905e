/// Writes a dataset back out as an input folder (SPEC §2 files, English
/// headers, UTF-8 with BOM): for benchmarks and round-trip tests.
public enum DatasetExport {
    public static func write(_ d: Dataset, to directory: String) throws(LianzhengError) {
        try makeDirectory(directory)
        func file(_ name: String, _ header: [String], rows: Int, _ row: (inout CSVWriter, Int) -> Void) throws(LianzhengError) {
            var w = CSVWriter(reservingCapacity: 64 * (rows + 1))
            w.appendHeader(header)
            for i in 0..<rows {
                row(&w, i)
                w.endRecord()
            }
            try writeAtomically(w.bytes, to: directory + "/" + name)
        }
        func text(_ w: inout CSVWriter, _ c: TextColumn, _ i: Int) { c.withBytes(i) { w.appendRaw(bytes: $0) } }
        try file("units.csv", ["unit_id", "name", "parent_id", "kind"], rows: d.units.count) { w, i in
            text(&w, d.units.id, i); text(&w, d.units.name, i)
            if d.units.parent[i] < 0 { w.appendEmpty() } else { text(&w, d.units.id, Int(d.units.parent[i])) }
            text(&w, d.units.kind, i)
        }
        try file("posts.csv", ["post_id", "unit_id", "name", "category", "holder", "tenure_years", "self_level", "controls", "key_decisions"], rows: d.posts.count) { w, i in
            let p = d.posts
            text(&w, p.id, i); text(&w, d.units.id, Int(p.unit[i])); text(&w, p.name, i); text(&w, p.category, i); text(&w, p.holder, i)
            if p.tenureYears[i].isNaN { w.appendEmpty() } else { w.appendRaw(shortestDecimal(p.tenureYears[i])) }
            text(&w, p.selfLevel, i)
            if p.controls[i] < 0 { w.appendEmpty() } else { w.appendInteger(Int(p.controls[i])) }
            w.appendRaw(p.keyDecisions[i] ? "是" : "否")
        }
        try file("powers.csv", ["post_id", "power", "kind", "annual_count", "amount", "discretion"], rows: d.powers.count) { w, i in
            let t = d.powers
            text(&w, d.posts.id, Int(t.post[i])); text(&w, t.name, i); w.appendRaw(t.kind[i])
            w.appendInteger(Int(t.annualCount[i])); w.appendRaw(shortestDecimal(t.amount[i])); w.appendInteger(Int(t.discretion[i]))
        }
        try file("incidents.csv", ["incident_id", "post_id", "date", "kind", "status"], rows: d.incidents.count) { w, i in
            let t = d.incidents
            text(&w, t.id, i); text(&w, d.posts.id, Int(t.post[i])); w.appendRaw(CivilDate.format(days: t.date[i]))
            w.appendRaw(t.kind[i]); w.appendRaw(IncidentStatus(rawValue: t.status[i])!.chineseName)
        }
        func subject(_ w: inout CSVWriter, _ type: UInt8, _ index: Int32) {
            let t = SubjectType(rawValue: type)!
            w.appendRaw(t.chineseName)
            text(&w, t == .unit ? d.units.id : d.posts.id, Int(index))
        }
        try file("assessments.csv", ["year", "subject_type", "subject_id", "indicator", "score"], rows: d.assessments.count) { w, i in
            let t = d.assessments
            w.appendInteger(Int(t.year[i])); subject(&w, t.subjectType[i], t.subject[i]); text(&w, t.indicator, i); w.appendHundredths(t.score[i])
        }
        try file("adjustments.csv", ["year", "subject_type", "subject_id", "type", "points", "reason"], rows: d.adjustments.count) { w, i in
            let t = d.adjustments
            let type = AdjustmentType(rawValue: t.type[i])!
            w.appendInteger(Int(t.year[i])); subject(&w, t.subjectType[i], t.subject[i]); w.appendRaw(type.chineseName)
            if type == .veto { w.appendEmpty() } else { w.appendHundredths(t.points[i]) }
            text(&w, t.reason, i)
        }
        try file("risk_points.csv", ["point_id", "post_id", "type", "description", "measures"], rows: d.riskPoints.count) { w, i in
            let t = d.riskPoints
            text(&w, t.id, i); text(&w, d.posts.id, Int(t.post[i])); w.appendRaw(RiskPointType(rawValue: t.type[i])!.chineseName)
            text(&w, t.description, i); text(&w, t.measures, i)
        }
    }
}
