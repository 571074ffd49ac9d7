import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of an engine command: `/bin/sh -c COMMAND` started by `posix_spawn` as the leader of
/// a **process group of its own**, the query on standard input, standard output and error read
/// on two threads into buffers **bounded** by a byte limit.
///
/// A timeout, an output over the limit, or the caller's cancellation ends the whole group
/// (`SIGTERM` to `−pgid`, then `SIGKILL` after a grace period): a query the shell started —
/// `sqlite3`, `duckdb`, `sleep 319` — does not outlive it, as it did when only `/bin/sh` was
/// signalled.
struct EngineProcess {
    let command: String
    /// Bytes of standard output (and, separately, of standard error) accepted.
    let outputLimit: Int

    enum Outcome {
        case finished(status: Int32, stdout: Data, stderr: Data)
        case timedOut
        case tooMuchOutput
    }

    /// Runs the command with `input` on standard input, for at most `timeout` seconds.
    /// Complexity: the engine's work; memory at most `2 × outputLimit`.
    func run(input: Data, timeout: Double) throws -> Outcome {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1], errorsFromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0, pipe(&errorsFromChild) == 0 else {
            throw EngineError.cannotStart(command: command, reason: String(cString: strerror(errno)))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorsFromChild[1], 2)
        for fd in toChild + fromChild + errorsFromChild { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ)
        close(toChild[0]); close(fromChild[1]); close(errorsFromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0]); close(errorsFromChild[0])
            throw EngineError.cannotStart(command: command, reason: String(cString: strerror(spawned)))
        }
        let stdout = BoundedReader(fd: fromChild[0], limit: outputLimit)
        let stderr = BoundedReader(fd: errorsFromChild[0], limit: outputLimit)
        let readers = DispatchGroup()
        for reader in [stdout, stderr] {
            readers.enter()
            DispatchQueue.global().async { reader.drain(); readers.leave() }
        }
        Self.send(input, to: toChild[1])
        close(toChild[1])
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var outcome: Outcome? = nil
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { break }
            if stdout.overflowed || stderr.overflowed { outcome = .tooMuchOutput }
            if outcome == nil && Date() > deadline { outcome = .timedOut }
            if outcome != nil {
                Self.endGroup(pid, status: &status)
                break
            }
            usleep(5_000)
        }
        // Children of the shell that outlived it (`cmd &`) still hold the pipes: end the group.
        kill(-pid, SIGKILL)
        readers.wait()
        close(fromChild[0]); close(errorsFromChild[0])
        if let outcome { return outcome }
        if stdout.overflowed || stderr.overflowed { return .tooMuchOutput }
        let exit: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return .finished(status: exit, stdout: stdout.data, stderr: stderr.data)
    }

    /// `SIGTERM` to the group, up to a second for it to go, then `SIGKILL`; reaps the leader.
    private static func endGroup(_ pid: pid_t, status: inout Int32) {
        kill(-pid, SIGTERM)
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
    }

    /// Writes all of `data` (a broken pipe — the engine exited early — ends it quietly).
    private static func send(_ data: Data, to fd: Int32) {
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue } else { return } }
                offset += written
            }
        }
    }
}

/// Reads a pipe to its end, keeping at most `limit` bytes; past that it keeps reading (so the
/// writer is not blocked) but discards, and says it overflowed.
final class BoundedReader: @unchecked Sendable {
    let fd: Int32
    let limit: Int
    private let lock = NSLock()
    private var buffer = Data()
    private var over = false

    init(fd: Int32, limit: Int) {
        self.fd = fd
        self.limit = limit
    }

    var overflowed: Bool { lock.withLock { over } }
    var data: Data { lock.withLock { buffer } }

    func drain() {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 { if errno == EINTR { continue } else { return } }
            if count == 0 { return }
            lock.withLock {
                if buffer.count + count > limit { over = true } else { buffer.append(contentsOf: chunk[0..<count]) }
            }
        }
    }
}
