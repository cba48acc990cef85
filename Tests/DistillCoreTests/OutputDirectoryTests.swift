import Foundation
import Testing

@testable import DistillCore

@Suite("Output directories and files written together", .serialized)
struct OutputDirectoryTests {
    let files = TemporaryDirectory()

    func contents(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    func hiddenFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".") }
    }

    @Test func checkingCreatesNothing() throws {
        let path = files.path + "/a/b/out"
        let output = try OutputDirectory(path)
        #expect(!FileManager.default.fileExists(atPath: files.path + "/a"))
        try output.write([("x.txt", Data("x".utf8))])
        #expect(contents(path + "/x.txt") == "x")
    }

    @Test func anUnwritablePlaceIsRefusedAtOnce() throws {
        let file = files.write("plain", "not a directory")
        #expect(throws: DataError("--out: \(file) exists and is not a directory")) { try OutputDirectory(file) }
        #expect(throws: DataError("--out: cannot create the directory \(file)/sub: \(file) is a file")) {
            try OutputDirectory(file + "/sub")
        }
    }

    @Test func aNewRunRemovesTheFilesOfAnEarlierOneItDoesNotWrite() throws {
        let output = try OutputDirectory(files.path + "/run")
        try output.write([("student.json", Data("1".utf8)), ("report.html", Data("1".utf8)), ("notes.txt", Data("mine".utf8))],
                         replacing: ["student.json", "report.html"])
        try output.write([("student.json", Data("2".utf8))], replacing: ["student.json", "report.html"])
        #expect(contents(output.path + "/student.json") == "2")
        #expect(!FileManager.default.fileExists(atPath: output.path + "/report.html"))
        // Files a run never writes are left alone.
        #expect(contents(output.path + "/notes.txt") == "mine")
        #expect(hiddenFiles(output.path).isEmpty)
    }

    @Test func aFailingFileLeavesNoneOfTheSetAndNoTemporaryFile() throws {
        let directory = files.path
        try FileManager.default.createDirectory(atPath: directory + "/taken", withIntermediateDirectories: false)
        #expect(throws: DataError.self) {
            try AtomicFile.write([(directory + "/first.txt", Data("1".utf8)), (directory + "/taken", Data("2".utf8))])
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/first.txt"))
        #expect(hiddenFiles(directory).isEmpty)
    }

    @Test func writersTakeTurnsOnTheDirectoryLock() throws {
        let output = try OutputDirectory(files.path + "/locked")
        try output.write([("a.txt", Data("old".utf8))])
        let descriptor = open(output.path, O_RDONLY | O_DIRECTORY)
        #expect(descriptor >= 0)
        #expect(flock(descriptor, LOCK_EX) == 0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? output.write([("a.txt", Data("new".utf8))])
            finished.signal()
        }
        // While another holder has the lock, the write waits.
        #expect(finished.wait(timeout: .now() + 0.5) == .timedOut)
        #expect(contents(output.path + "/a.txt") == "old")
        flock(descriptor, LOCK_UN)
        close(descriptor)
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(contents(output.path + "/a.txt") == "new")
    }

    @Test func aFileThatCannotBeWrittenIsFoundBeforeAnyWork() throws {
        #expect(throws: DataError.self) { try AtomicFile.checkWritable(files.path + "/no/such/dir/out.csv", option: "--out") }
        #expect(throws: DataError("--out: \(files.path) is a directory; give a file name")) {
            try AtomicFile.checkWritable(files.path, option: "--out")
        }
        try AtomicFile.checkWritable(files.path + "/fine.csv", option: "--out")
        #expect(!FileManager.default.fileExists(atPath: files.path + "/fine.csv"))
        #expect(hiddenFiles(files.path).isEmpty)
    }
}
