// Fuzz target: the INI parser and the OCI config loader (profile, key file, pass phrase, fingerprint) over an in-memory file system.
import Foundation
import MediaKit

private struct MemoryFiles: FileReading {
    let files: [String: Data]
    func read(_ path: String) throws(FileError) -> Data {
        guard let d = files[path] else { throw FileError(reason: "no such file") }
        return d
    }
}


@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let text = FuzzInput.text(bytes, count)
    if let ini = try? INIFile(text: text, path: "/c") {
        for name in ini.profileNames { _ = ini.profile(name) }
    }
    // Read per input, not held in a global: LeakSanitizer reports a lazily built global at exit.
    let key = FileManager.default.contents(atPath: ProcessInfo.processInfo.environment["FUZZ_KEY"] ?? "") ?? Data("not a key".utf8)
    let fs = MemoryFiles(files: ["/c": FuzzInput.data(bytes, count), "/k.pem": key, "/home/k.pem": key])
    for profile in ["DEFAULT", "P"] {
        let settings = OCISettings(configFile: "/c", profile: profile, environment: [:], homeDirectory: "/home")
        _ = try? OCIConfigLoader.load(settings, fileSystem: fs)
    }
    return 0
}
