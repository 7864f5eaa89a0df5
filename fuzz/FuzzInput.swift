// Shared by every fuzz target: turns libFuzzer's bytes into Swift values, and the entry point shim.
import Foundation

enum FuzzInput {
    static func data(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Data { Data(bytes: bytes, count: count) }
    static func text(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
