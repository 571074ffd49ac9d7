import DriverAnalysis
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every byte `kda` writes goes through here: reports, charts, generated surveys, SQL, standard
/// output.
///
/// - A regular file (or a symbolic link to one) is replaced atomically: the bytes go to a
///   temporary file created with `O_CREAT|O_EXCL|O_NOFOLLOW` under an unpredictable name in the
///   target's directory, are flushed, get the target's permission bits (a new file gets
///   `0666 & ~umask`), and the temporary file is renamed over the target. An interrupted or
///   failing run leaves the old file, never a partial one.
/// - Anything else that exists (a character or block device, a FIFO, a symbolic link to one) is
///   written in place: `--output /dev/null` stays a device.
/// - A directory, a socket or a dangling symbolic link is refused, as is an output that is one of
///   the run's inputs (same device and inode) or two outputs of one run at the same place.
/// - A failed write (`ENOSPC`, `EPIPE`, `EBADF`, …) is a ``UsageError`` (exit 2) naming the path,
///   never a crash; temporary files are removed, also on SIGINT/SIGTERM.
enum OutputFile {
    /// Writes `text` to `path`, or to standard output when `path` is `nil`.
    static func write(_ text: String, to path: String?, inputs: [String] = []) throws {
        try write([(text, path)], inputs: inputs)
    }

    /// Writes several outputs of one run: all are prepared (temporary files written and flushed)
    /// before any is renamed into place, so either every file is replaced or none is.
    static func write(_ outputs: [(text: String, path: String?)], inputs: [String] = []) throws {
        let paths = outputs.compactMap(\.path)
        try checkDistinct(paths)
        var prepared: [PreparedOutput] = []
        defer { prepared.forEach { $0.discard() } }
        for (text, path) in outputs {
            guard let path else { continue }
            let output = try PreparedOutput(path, inputs: inputs)
            prepared.append(output)
            try output.write(Array(text.utf8))
            try output.finish()
        }
        try PreparedOutput.commit(prepared)
        prepared = []
        for (text, path) in outputs where path == nil { try StandardStreams.writeOutput(text) }
    }

    /// Streams to `path` (for outputs too large to hold): `body` receives a function that appends
    /// bytes; the file appears only when `body` returns.
    static func stream(to path: String, inputs: [String] = [], _ body: (_ append: ([UInt8]) throws -> Void) throws -> Void) throws {
        let output = try PreparedOutput(path, inputs: inputs)
        defer { output.discard() }
        try body { try output.write($0) }
        try output.finish()
        try PreparedOutput.commit([output])
    }

    /// Refuses two outputs of one run at the same path or the same existing file.
    static func checkDistinct(_ paths: [String]) throws {
        for (k, a) in paths.enumerated() {
            for b in paths[(k + 1)...] {
                let same = URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
                    || (FileIdentity(a).map { $0 == FileIdentity(b) } ?? false)
                if same { throw UsageError(message: "\(a) is given for two outputs; choose different paths") }
            }
        }
    }
}

/// Device and inode of an existing file (following symbolic links).
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}

/// One output being written: a temporary file to be renamed, or a special file written in place.
final class PreparedOutput {
    let path: String
    /// Where the temporary file is renamed to (the resolved target of a symbolic link).
    let target: String
    /// The temporary file, `nil` when writing in place.
    private(set) var temporary: String?
    private var descriptor: Int32
    private var slot: Int?

    init(_ path: String, inputs: [String]) throws {
        self.path = path
        let shown = path
        func failure(_ reason: String) -> UsageError { UsageError(message: "cannot write \(shown): \(reason)") }
        guard !path.isEmpty else { throw UsageError(message: "the output path is empty") }
        guard !path.utf8.contains(0) else { throw failure("the path contains a NUL byte") }
        if let identity = FileIdentity(path), let input = inputs.first(where: { FileIdentity($0) == identity }) {
            throw UsageError(message: "cannot write \(shown): it is the input \(input); choose another output path")
        }
        var link = stat()
        var resolved = path
        if lstat(path, &link) == 0 {
            var st = link
            if (link.st_mode & S_IFMT) == S_IFLNK {
                if let refusal = Self.unsafeLinkReason(path, link: link) { throw failure(refusal) }
                guard stat(path, &st) == 0 else { throw failure("it is a symbolic link to a missing file (\(Self.errorText(errno)))") }
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                if (link.st_mode & S_IFMT) == S_IFLNK {   // replace the link's target, keep the link
                    guard let real = realpath(path, nil) else { throw failure(Self.errorText(errno)) }
                    resolved = String(cString: real)
                    free(real)
                }
            case S_IFDIR:
                throw failure("it is a directory")
            case S_IFSOCK:
                throw failure("it is a socket")
            default:
                // Device, FIFO: write in place, never replace it by a regular file.
                // (`/dev/stdout` on a pipe included: opened by its name, not resolved.)
                let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
                guard fd >= 0 else { throw failure(Self.errorText(errno)) }
                var opened = stat()
                guard fstat(fd, &opened) == 0, (opened.st_mode & S_IFMT) != S_IFREG else {
                    close(fd)   // swapped for a regular file since lstat: never write into it untruncated
                    throw failure("it changed while being opened")
                }
                descriptor = fd
                target = resolved
                temporary = nil
                return
            }
            target = resolved
            (descriptor, temporary) = try Self.createTemporary(beside: resolved, mode: st.st_mode & 0o7777, owner: (st.st_uid, st.st_gid), failure: failure)
        } else {
            guard errno == ENOENT else { throw failure(Self.errorText(errno)) }
            target = path
            let mask = umask(0o022)
            umask(mask)
            (descriptor, temporary) = try Self.createTemporary(beside: path, mode: 0o666 & ~mask, owner: nil, failure: failure)
        }
        if let temporary { slot = TemporaryFiles.register(temporary) }
    }

    /// Why a symbolic link named as an output must not be followed, or `nil` when it may be.
    ///
    /// The rule (stricter than the kernel's `fs.protected_symlinks`, which covers only sticky
    /// world-writable directories): a final-component link is never followed when its directory
    /// is sticky or writable by others (a shared folder where anyone may plant a link to a file
    /// of the user running `kda`), nor when the link's owner differs from the directory's owner
    /// (someone else put it there). Otherwise — the user's own link in a directory they control
    /// — the link's target is replaced and the link kept.
    static func unsafeLinkReason(_ path: String, link: stat) -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        var dir = stat()
        guard stat(directory.isEmpty ? "." : directory, &dir) == 0 else {
            return "it is a symbolic link whose directory cannot be examined (\(errorText(errno))); not followed"
        }
        let shared = (dir.st_mode & S_ISVTX) != 0 || (dir.st_mode & S_IWOTH) != 0
        if shared {
            return "it is a symbolic link in a shared directory (sticky or writable by others), which kda never follows — anyone there could point it at a file of yours; remove the link or write elsewhere"
        }
        if link.st_uid != dir.st_uid {
            return "it is a symbolic link owned by uid \(link.st_uid), not by the directory's owner (uid \(dir.st_uid)), which kda does not follow; remove the link or write elsewhere"
        }
        return nil
    }

    /// `O_CREAT|O_EXCL|O_NOFOLLOW` under a random name in the directory of `target`.
    static func createTemporary(beside target: String, mode: mode_t, owner: (uid_t, gid_t)?,
                                failure: (String) -> UsageError) throws -> (Int32, String) {
        let url = URL(fileURLWithPath: target)
        let directory = url.deletingLastPathComponent().path
        let stem = String(url.lastPathComponent.unicodeScalars.prefix(48).map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        })
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let token = String(generator.next() as UInt64, radix: 36) + String(generator.next() as UInt64, radix: 36)
            let candidate = (directory as NSString).appendingPathComponent(".\(stem).kda-\(token).tmp")
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 {
                if let owner, geteuid() == 0 { _ = fchown(fd, owner.0, owner.1) }
                guard fchmod(fd, mode) == 0 else {
                    let reason = errorText(errno)
                    close(fd)
                    unlink(candidate)
                    throw failure(reason)
                }
                return (fd, candidate)
            }
            if errno != EEXIST { throw failure(errorText(errno)) }
        }
        throw failure("cannot create a temporary file")
    }

    func write(_ bytes: [UInt8]) throws {
        do { try StandardStreams.writeAll(descriptor, bytes) } catch let error as WriteFailure {
            throw UsageError(message: "cannot write \(path): \(error.reason)")
        }
    }

    /// Flushes and closes; a failure here (`ENOSPC` on NFS, `EIO`) is reported like a failed write.
    func finish() throws {
        guard descriptor >= 0 else { return }
        defer { descriptor = -1 }
        if temporary != nil, fsync(descriptor) != 0, errno != EINVAL {
            let reason = Self.errorText(errno)
            close(descriptor)
            throw UsageError(message: "cannot write \(path): \(reason)")
        }
        if close(descriptor) != 0 && errno != EINTR {
            throw UsageError(message: "cannot write \(path): \(Self.errorText(errno))")
        }
    }

    /// Renames every temporary file into place, with SIGINT/SIGTERM held off so that a run is
    /// not interrupted between two renames.
    static func commit(_ outputs: [PreparedOutput]) throws {
        var block = sigset_t(), previous = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGINT)
        sigaddset(&block, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &block, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        for output in outputs {
            guard let temporary = output.temporary else { continue }
            guard rename(temporary, output.target) == 0 else {
                throw UsageError(message: "cannot write \(output.path): \(errorText(errno))")
            }
            output.temporary = nil
            if let slot = output.slot { TemporaryFiles.unregister(slot) }
        }
    }

    /// Closes the descriptor and removes the temporary file, if still there.
    func discard() {
        if descriptor >= 0 { close(descriptor); descriptor = -1 }
        if let temporary { unlink(temporary); self.temporary = nil }
        if let slot { TemporaryFiles.unregister(slot); self.slot = nil }
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// A failed `write(2)`.
struct WriteFailure: Error {
    let code: Int32
    var reason: String { PreparedOutput.errorText(code) }
}

/// Standard output and error without `FileHandle.write` (which traps on `EPIPE`/`ENOSPC`) or
/// stdio buffering (which loses errors).
enum StandardStreams {
    /// Writes every byte, retrying on `EINTR` and short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + offset, min(bytes.count - offset, 1 << 20))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw WriteFailure(code: errno)
            }
            offset += written
        }
    }

    /// Standard output; a failure is a ``UsageError`` (exit 2).
    static func writeOutput(_ text: String) throws {
        do { try writeAll(STDOUT_FILENO, Array(text.utf8)) } catch let error as WriteFailure {
            throw UsageError(message: "cannot write standard output: \(error.reason)")
        }
    }

    /// Standard error, best effort (nowhere left to report a failure).
    static func writeError(_ text: String) {
        try? writeAll(STDERR_FILENO, Array(text.utf8))
    }

    /// Keeps descriptors 0–2 occupied: if the parent closed one, `/dev/null` is opened read-only
    /// in its place, so no file we open later becomes "standard output" by accident and writes
    /// to a closed standard output fail with `EBADF` (exit 2) instead of landing in a data file.
    static func occupyClosedDescriptors() {
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            let placeholder = open("/dev/null", O_RDONLY)
            if placeholder >= 0 && placeholder != fd { _ = dup2(placeholder, fd); close(placeholder) }
        }
    }
}

/// Temporary files to remove if the run is interrupted: a fixed table of C strings, read by the
/// signal handler (no allocation there).
enum TemporaryFiles {
    static let capacity = 8
    nonisolated(unsafe) static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()

    static func register(_ path: String) -> Int? {
        for k in 0..<capacity where table[k] == nil {
            table[k] = strdup(path)
            return k
        }
        return nil
    }

    static func unregister(_ slot: Int) {
        let path = table[slot]
        table[slot] = nil
        free(path)
    }

    /// Async-signal-safe: `unlink` of every registered path.
    static func removeAll() {
        for k in 0..<capacity { if let path = table[k] { unlink(path) } }
    }
}
