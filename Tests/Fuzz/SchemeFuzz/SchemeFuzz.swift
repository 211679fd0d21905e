// libFuzzer target: scheme JSON parsing and validation (FuzzChecks.scheme).
//
// Built for fuzzing by Fuzz/run.sh (-sanitize=fuzzer -parse-as-library:
// libFuzzer's main calls LLVMFuzzerTestOneInput; -DLIANZHENG_LIBFUZZER
// drops the @main below). A plain `swift build`
// makes an ordinary executable that replays the files named on its command
// line through the same check.
import LianzhengFuzzChecks

@_cdecl("LLVMFuzzerTestOneInput")
public func schemeFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzChecks.scheme(UnsafeBufferPointer(start: data, count: size))
    return 0
}

#if !LIANZHENG_LIBFUZZER
    @main enum SchemeFuzzReplay {
        static func main() { FuzzReplay.run(CommandLine.arguments.dropFirst(), FuzzChecks.scheme) }
    }
#endif
