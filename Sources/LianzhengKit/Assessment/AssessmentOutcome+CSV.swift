/// assessments.csv of SPEC §7.
extension AssessmentOutcome {
    /// The columns of assessments.csv in order: canonical English header and
    /// the Chinese one `--lang zh` writes.
    public static let csvColumns: [(name: String, chinese: String)] = [
        ("year", "年度"), ("subject_type", "对象类型"), ("subject_id", "对象编号"),
        ("base", "基础分"), ("bonus", "加分"), ("deductions", "扣分"), ("total", "总分"),
        ("veto", "一票否决"), ("band", "档次"), ("quota_status", "名额状态"), ("rank", "排名"),
    ]

    /// assessments.csv: one record per subject in row order (subject type as
    /// printed, then subject id bytes); UTF-8 with BOM, CRLF; points with 2
    /// decimals; ids, band and quota status are text cells (formula guard).
    /// - Complexity: O(subjects), one buffer.
    public func assessmentsCSV(chineseHeaders: Bool = false) -> [UInt8] {
        writeAssessmentsCSV(chineseHeaders: chineseHeaders).array
    }

    /// `assessmentsCSV` into a buffer of its own (an output chunk, not copied).
    func writeAssessmentsCSV(chineseHeaders: Bool = false) -> ByteBuffer {
        var csv = CSVWriter(reservingCapacity: 64 + count * 64)
        csv.appendHeader(Self.csvColumns.map { chineseHeaders ? $0.chinese : $0.name })
        let bandNames = CSVWriter.EncodedCells(scheme.assessment.bands.map(\.name))
        let types = CSVWriter.EncodedCells(SubjectType.allCases.map(\.englishName))
        let quotaStatuses = CSVWriter.EncodedCells(QuotaStatus.allCases.map(\.code))
        for i in 0..<count {
            csv.appendInteger(year)
            csv.appendText(types, Int(type[i].rawValue))
            let ids = type[i] == .unit ? dataset.units.id : dataset.posts.id
            ids.withBytes(Int(subject[i])) { csv.appendText(bytes: $0) }
            csv.appendHundredths(base[i])
            csv.appendHundredths(bonus[i])
            csv.appendHundredths(deductions[i])
            csv.appendHundredths(total[i])
            csv.appendBool(veto(at: i))
            csv.appendText(bandNames, Int(band[i]))
            csv.appendText(quotaStatuses, Int(quotaStatus[i].rawValue))
            csv.appendInteger(Int(rank[i]))
            csv.endRecord()
        }
        return csv.buffer
    }
}
