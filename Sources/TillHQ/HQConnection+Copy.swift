import Foundation
import NIOCore
import PostgresNIO

extension HQConnection {
    /// `COPY table(columns) FROM STDIN` with `lines` in COPY's text format (tab-separated, `\N` for NULL): the
    /// fastest way PostgreSQL takes rows, which `till bench --hq` measures HQ's ingest against.
    ///
    /// postgres-nio offers COPY only as async/await, so this bridges with a semaphore: call it from a plain
    /// thread (the CLI's), never from a Swift concurrency task, whose pool it could starve.
    public func copy(table: String, columns: [String], lines: [String]) throws {
        let result = CopyResult()
        let done = DispatchSemaphore(value: 0)
        let connection = postgres
        Task {
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: HQConnection.silentLogger) { writer in
                    var buffer = ByteBuffer()
                    for line in lines {
                        buffer.writeString(line)
                        buffer.writeString("\n")
                        if buffer.readableBytes > 1 << 20 {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            } catch {
                result.error = error
            }
            done.signal()
        }
        guard done.wait(timeout: .now() + 300) == .success else { throw HQError.unreachable("COPY into \(table) took over 5 minutes") }
        if let error = result.error { throw HQError.from(error, endpoint: url.endpoint) }
    }
}

private final class CopyResult: @unchecked Sendable {
    var error: (any Error)?
}
