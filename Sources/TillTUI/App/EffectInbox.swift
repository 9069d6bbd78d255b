import Foundation
import Synchronization
import TillCore

/// Where effects running off the key loop leave their answers, and how they wake the loop: a mutex-guarded list
/// and a pipe. The run loop waits on the terminal and the pipe's read end together, so an answer is drawn the
/// moment it arrives instead of at the next key or tick (bubbletea sends a command's result as a message the
/// same way).
final class EffectInbox<Answer: Sendable>: Sendable {
    enum Message: Sendable {
        /// Long work says how far it has come.
        case progress(id: Int, String)
        /// The effect is done; nil when it was skipped because a newer one of its kind had been asked for.
        case finished(id: Int, Answer?)
    }

    private let messages = Mutex<[Message]>([])
    /// [read end, write end]; both non-blocking, so a full pipe never stalls an effect and draining never waits.
    let pipe: (read: Int32, write: Int32)

    init() {
        var fds: [Int32] = [-1, -1]
        // A pipe that cannot be made leaves the loop to its 250 ms tick: slower answers, nothing lost.
        if Glibc.pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        pipe = (fds[0], fds[1])
    }

    deinit {
        if pipe.read >= 0 { close(pipe.read) }
        if pipe.write >= 0 { close(pipe.write) }
    }

    func post(_ message: Message) {
        messages.withLock { $0.append(message) }
        if pipe.write >= 0 {
            var byte: UInt8 = 1
            _ = write(pipe.write, &byte, 1)
        }
    }

    /// Everything that has arrived, oldest first.
    func takeAll() -> [Message] {
        if pipe.read >= 0 {
            var buffer = [UInt8](repeating: 0, count: 256)
            while read(pipe.read, &buffer, buffer.count) > 0 {}
        }
        return messages.withLock { taken in
            defer { taken.removeAll() }
            return taken
        }
    }

    /// Waits up to `milliseconds` for something to arrive (returns at once when something has).
    func wait(milliseconds: Int) {
        guard messages.withLock({ $0.isEmpty }) else { return }
        guard pipe.read >= 0 else {
            Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
            return
        }
        var descriptor = pollfd(fd: pipe.read, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Int32(milliseconds))
    }
}

/// For reads: which request of each kind is the newest, so a search typed past is neither run nor shown.
final class SlotGenerations: Sendable {
    private let latest = Mutex<[String: Int]>([:])

    func issue(_ slot: String, id: Int) { latest.withLock { $0[slot] = id } }

    func isLatest(_ slot: String, id: Int) -> Bool { latest.withLock { $0[slot] == id } }
}
