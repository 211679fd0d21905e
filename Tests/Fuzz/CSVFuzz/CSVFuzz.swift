// libFuzzer target: CSV reading and dataset validation (FuzzChecks.dataset).
//
// Built for fuzzing by Fuzz/run.sh (-sanitize=fuzzer -parse-as-library:
// libFuzzer's main calls LLVMFuzzerTestOneInput; -DLIANZHENG_LIBFUZZER
// drops the @main below). A plain `swift build`
// makes an ordinary executable that replays the files named on its command
// line through the same check.
import LianzhengFuzzChecks

@_cdecl("LLVMFuzzerTestOneInput")
public func csvFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzChecks.dataset(UnsafeBufferPointer(start: data, count: size))
    return 0
}

#if !LIANZHENG_LIBFUZZER
    @main enum CSVFuzzReplay {
        static func main() { FuzzReplay.run(CommandLine.arguments.dropFirst(), FuzzChecks.dataset) }
    }
#endif
