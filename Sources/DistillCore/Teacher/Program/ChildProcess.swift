import Foundation

/// A long-lived child process spoken to one line at a time over its stdin and stdout.
///
/// Its stderr is the parent's, so its messages reach the user as they are. Every read and
/// write waits at most until a deadline, so a child that hangs cannot hang Distill. The
/// child runs in a process group of its own, so that stopping it also stops whatever the
/// shell started for it.
final class ChildProcess {
    let command: String
    private let pid: pid_t
    private var inputFD: Int32
    private let outputFD: Int32
    private var pending: [UInt8] = []
    private var exitStatus: Int32?

    /// Starts `command` through `/bin/sh -c`.
    init(command: String) throws {
        // A child that dies while we write must give EPIPE, not kill Distill.
        signal(SIGPIPE, SIG_IGN)
        self.command = command
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw ChildProcess.startError(command) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw ChildProcess.startError(command)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        for fd in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with the default action for the signals Distill ignores or
        // handles itself (a program inheriting an ignored SIGPIPE or SIGINT misbehaves).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signalNumber in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signalNumber) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)

        let words: [String] = ["/bin/sh", "-c", command]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        defer { arguments.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, "/bin/sh", &actions, &attributes, arguments + [nil], environ)
        close(toChild[0])
        close(fromChild[1])
        guard result == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw ChildProcess.startError(command, errno: result)
        }
        pid = child
        InterruptCleanup.track(processGroup: child)
        inputFD = toChild[1]
        outputFD = fromChild[0]
        for fd in [inputFD, outputFD] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    private static func startError(_ command: String, errno code: Int32 = errno) -> TeacherError {
        TeacherError("cannot start the teacher program '\(command)': \(String(cString: strerror(code)))")
    }

    /// Closing its input asks the child to finish; one that does not within two seconds is
    /// killed.
    deinit {
        defer { InterruptCleanup.forget(processGroup: pid) }
        closeInput()
        close(outputFD)
        let deadline = Date().addingTimeInterval(2)
        while !hasExited(), Date() < deadline { usleep(10_000) }
        if !hasExited() {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    private func closeInput() {
        if inputFD >= 0 {
            close(inputFD)
            inputFD = -1
        }
    }

    /// Reaps the child if it has ended, remembering its wait status.
    private func hasExited() -> Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        exitStatus = status
        return true
    }

    /// Writes one line (a newline is added).
    func send(_ line: String, deadline: Date) throws {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        let fd = inputFD
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
        let fd = outputFD
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
                kill(-pid, SIGKILL)
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
        while !hasExited(), Date() < deadline { usleep(5_000) }
        guard let status = exitStatus else { return "" }
        // The wait status layout of Linux: the low 7 bits hold the signal, the next byte the code.
        let signal = status & 0x7F
        return signal == 0 ? "; it exited with status \((status >> 8) & 0xFF)" : "; it was killed by signal \(signal)"
    }
}
