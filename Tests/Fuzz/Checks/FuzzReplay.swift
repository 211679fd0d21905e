import Foundation

/// Runs a fuzz check over files, as the plain (non-libFuzzer) build of a
/// fuzz target does: a folder stands for every file in it.
public enum FuzzReplay {
    public static func run(_ arguments: ArraySlice<String>, _ check: (UnsafeBufferPointer<UInt8>) -> Void) {
        var paths: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
                paths += names.sorted().map { argument + "/" + $0 }
            } else {
                paths.append(argument)
            }
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            [UInt8](data).withUnsafeBufferPointer(check)
        }
        print("\(paths.count) inputs replayed, no finding")
    }
}
