// swift-tools-version:6.0
// mediactl: a native CLI for OCI Media Services / Media Streams and the OpenTok (Vonage Video) server API.
import PackageDescription

// How `mediactl` is linked, for a fast start and a small footprint (docs/performance.md): with the
// toolchain's lld, relative relocations packed (DT_RELR: 20 KB to read at start-up instead of 1.3 MB),
// and the code that runs at start-up and for a request laid out together (Sources/mediactl/startup.order,
// made by scripts/link-order.sh; names it no longer finds are ignored).
let packageDirectory = String(#filePath.dropLast("Package.swift".count))
let mediactlLinkerFlags = [
    "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--symbol-ordering-file=\(packageDirectory)Sources/mediactl/startup.order",
    "-Xlinker", "--no-warn-symbol-ordering",
]

let package = Package(
    name: "mediactl",
    products: [
        .executable(name: "mediactl", targets: ["mediactl"]),
        .executable(name: "mediactl-emulator", targets: ["mediactl-emulator"]),
    ],
    dependencies: [
        // Server side only: the emulator's HTTP server and its SQLite state. `mediactl` links neither.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Named for types the server uses directly: NIOCore's Channel (bound port, dropping a connection), HTTPTypes' fields.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Thin C modules: a modulemap and a shim header each. libcurl (libcurl4-openssl-dev for the
        // headers) is not linked but loaded on first use (Sources/CCurl/loader.c): its 30 dependencies
        // would otherwise be loaded and relocated before main by every command.
        .target(name: "CCurl", path: "Sources/CCurl", publicHeadersPath: "."),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline",
                       providers: [.apt(["libreadline-dev"])]),

        // The API-client library: config, credentials, signing, transport, operations. Never prints.
        .target(name: "MediaKit", dependencies: ["CCurl", "COpenSSL"]),

        // Everything the CLI needs from the C library and readline, as plain Swift: line editing and history,
        // echo-off secrets, TTY facts, signals, process control (spawn, kill, wait), stat/rename. No API code.
        .target(name: "TerminalKit", dependencies: ["CReadline"]),

        // The CLI: command table, parser, prompts, rendering. Never touches curl/OpenSSL/wire JSON shapes, and
        // imports no C module (Tests/mediactlTests/LayeringTests): system calls go through TerminalKit.
        .executableTarget(name: "mediactl", dependencies: ["MediaKit", "TerminalKit"], exclude: ["startup.order"],
                          linkerSettings: [.unsafeFlags(mediactlLinkerFlags)]),

        // The service logic of the local emulator (routes, state, signature checks), transport-free,
        // so tests can host it on a loopback socket in-process.
        .target(name: "EmulatorCore", dependencies: ["MediaKit", "COpenSSL"]),

        // The emulator as a server: HTTP (Hummingbird), state in SQLite (GRDB), fault injection, the
        // state directory (throw-away key, OCI profile, port file). A library so tests can host it in-process.
        .target(name: "EmulatorServer", dependencies: [
            "EmulatorCore", "MediaKit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),

        // `mediactl-emulator serve ...`: argument parsing and process lifetime only.
        .executableTarget(name: "mediactl-emulator", dependencies: ["EmulatorServer"]),

        // Shared test helpers: a loopback HTTP server, fixtures, a runner for the built binary.
        .target(name: "TestSupport", dependencies: ["MediaKit", "EmulatorCore"], path: "Tests/TestSupport"),

        .testTarget(name: "MediaKitTests", dependencies: ["MediaKit", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "mediactlTests", dependencies: ["mediactl", "TestSupport", "MediaKit"]),
        .testTarget(name: "EmulatorCoreTests", dependencies: ["EmulatorCore", "MediaKit"]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit"]),
        // The real `mediactl-emulator` and `mediactl` binaries against each other, plus the server's own pieces.
        .testTarget(name: "EmulatorServerTests",
                    dependencies: ["EmulatorServer", "EmulatorCore", "MediaKit", "TestSupport", "mediactl", "mediactl-emulator"]),
    ]
)
