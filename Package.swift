// swift-tools-version:6.0
// mediactl: a native CLI for OCI Media Services / Media Streams and the OpenTok (Vonage Video) server API.
import PackageDescription

let package = Package(
    name: "mediactl",
    products: [
        .executable(name: "mediactl", targets: ["mediactl"]),
    ],
    targets: [
        // Thin system-library modules: a modulemap and a shim header each.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline",
                       providers: [.apt(["libreadline-dev"])]),

        // The API-client library: config, credentials, signing, transport, operations. Never prints.
        .target(name: "MediaKit", dependencies: ["CCurl", "COpenSSL"]),

        // The CLI: command table, parser, prompts, rendering. Never touches curl/OpenSSL/wire JSON shapes.
        .executableTarget(name: "mediactl", dependencies: ["MediaKit", "CReadline"]),

        // The service logic of the local emulator (routes, state, signature checks), transport-free,
        // so tests can host it on a loopback socket in-process.
        .target(name: "EmulatorCore", dependencies: ["MediaKit", "COpenSSL"]),

        // Shared test helpers: a loopback HTTP server, fixtures, a runner for the built binary.
        .target(name: "TestSupport", dependencies: ["MediaKit"], path: "Tests/TestSupport"),

        .testTarget(name: "MediaKitTests", dependencies: ["MediaKit", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "mediactlTests", dependencies: ["mediactl", "TestSupport", "MediaKit"]),
        .testTarget(name: "EmulatorCoreTests", dependencies: ["EmulatorCore", "MediaKit"]),
    ]
)
