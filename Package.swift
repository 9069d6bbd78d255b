// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Till",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "till", targets: ["till"]),
        .library(name: "TillCore", targets: ["TillCore"]),
        .library(name: "TillTUI", targets: ["TillTUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // The demo shop's CSV files, shipped inside the binary's resource bundle so `swift run till` works anywhere.
        .target(
            name: "TillSampleData",
            path: "sample-data",
            exclude: ["README.md", "generate.py"],
            sources: ["SampleDataFiles.swift"],
            resources: [.copy("csv")]
        ),
        // The bundled colour themes (`themes/*.toml`).
        .target(
            name: "TillThemes",
            path: "themes",
            sources: ["ThemeFiles.swift"],
            resources: [.copy("default.toml"), .copy("light.toml"), .copy("high-contrast.toml"), .copy("mono.toml")]
        ),
        .target(
            name: "TillCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "TillTUI",
            dependencies: [
                "TillCore",
                "CNCurses",
                "TillThemes",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // `till bench`: a synthetic chain store, and each hot path timed against the bare SQLite C API.
        .target(
            name: "TillBench",
            dependencies: [
                "TillCore",
                "TillTUI",
                "TillHQ",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/TillBench"
        ),
        // Stripe Terminal's server-driven integration: a `CardTerminal` over Stripe's REST API.
        .target(
            name: "TillStripe",
            dependencies: [
                "TillCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A local stand-in for Stripe's API (readers, PaymentIntents, refunds, idempotency) that misbehaves on
        // demand: for tests only, never linked into `till`.
        .target(
            name: "TillFakeStripe",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Head office: the PostgreSQL database the stores of a chain report to, reached over postgres-nio.
        .target(
            name: "TillHQ",
            dependencies: [
                "TillCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // `fake-stripe`: the fake Stripe API as a program, to try Till against by hand or drive from another process.
        .executableTarget(name: "fake-stripe", dependencies: ["TillFakeStripe"]),
        // `fake-printer`: the tests' fake receipt printer (TCP, DLE EOT status, misbehaving on demand) as a program.
        .executableTarget(name: "fake-printer", dependencies: ["TillTestSupport"]),
        .executableTarget(
            name: "till",
            dependencies: [
                "TillCore",
                "TillTUI",
                "TillStripe",
                "TillHQ",
                "TillBench",
                "TillSampleData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TillTestSupport",
            dependencies: ["TillCore", "TillSampleData"]
        ),
        .testTarget(
            name: "TillCoreTests",
            dependencies: ["TillCore", "TillTestSupport", "TillSampleData", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Golden"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TillTUITests",
            dependencies: ["TillTUI", "TillCore", "TillTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Golden"]
        ),
        .testTarget(name: "TillEndToEndTests", dependencies: ["TillCore", "TillTestSupport", "TillFakeStripe"]),
        .testTarget(name: "TillStripeTests", dependencies: ["TillStripe", "TillFakeStripe", "TillCore", "TillTestSupport"]),
        .testTarget(
            name: "TillHQTests",
            dependencies: ["TillHQ", "TillCore", "TillTUI", "TillTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
