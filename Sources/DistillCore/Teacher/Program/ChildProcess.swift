import Foundation

/// A long-lived child process spoken to one line at a time over its stdin and stdout.
///
/// Its stderr is the parent's, so its messages reach the user as they are. Every read and
/// write waits at most until a deadline, so a child that hangs cannot hang Distill.
final class ChildProcess {
    let command: String
    private let process = Process()
    private let input: FileHandle
    private let output: FileHandle
    private var pending: [UInt8] = []

    /// Starts `command` through `/bin/sh -c`.
    init(command: String) throws {
        // A child that dies while we write must give EPIPE, not kill Distill.
        signal(SIGPIPE, SIG_IGN)
        self.command = command
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        do {
            try process.run()
        } catch {
            throw TeacherError("cannot start the teacher program '\(command)': \(error.localizedDescription)")
        }
        input = stdinPipe.fileHandleForWriting
        output = stdoutPipe.fileHandleForReading
    }

    deinit {
        try? input.close()
        if process.isRunning {
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning, Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
    }

    /// Writes one line (a newline is added).
    func send(_ line: String, deadline: Date) throws {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        let fd = input.fileDescriptor
        while offset < bytes.count {
            try wait(for: fd, events: Int16(POLLOUT), until: deadline, doing: "reading its input")
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, min($0.count, 65536)) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw TeacherError("the teacher program stopped reading its input (\(String(cString: strerror(errno))))\(exitSummary())")
            }
            offset += written
        }
    }

    /// Reads one line, without its newline.
    func receive(deadline: Date) throws -> String {
        let fd = output.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return String(decoding: line, as: UTF8.self)
            }
            try wait(for: fd, events: Int16(POLLIN), until: deadline, doing: "answering")
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw TeacherError("cannot read the teacher program's answer: \(String(cString: strerror(errno)))")
            }
            if got == 0 {
                throw TeacherError("the teacher program closed its output before answering\(exitSummary())")
            }
            pending += buffer[0..<got]
        }
    }

    private func wait(for fd: Int32, events: Int16, until deadline: Date, doing activity: String) throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                kill(process.processIdentifier, SIGKILL)
                throw TeacherError("the teacher program took longer than the time allowed for \(activity) (see --timeout); it was stopped")
            }
            var poller = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 1000).rounded(.up)))
            if ready > 0 { return }
            if ready < 0, errno != EINTR {
                throw TeacherError("cannot wait for the teacher program: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// "; it exited with status N" once the child has ended, or "" while it runs.
    private func exitSummary() -> String {
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        guard !process.isRunning else { return "" }
        switch process.terminationReason {
        case .exit: return "; it exited with status \(process.terminationStatus)"
        case .uncaughtSignal: return "; it was killed by signal \(process.terminationStatus)"
        @unknown default: return "; it ended"
        }
    }
}
