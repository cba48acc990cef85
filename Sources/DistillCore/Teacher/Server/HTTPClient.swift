import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blocking HTTP requests with a deadline and bounded retries, for teachers behind a server.
///
/// URLSession (libcurl on Linux) does the protocol; this type makes each request
/// synchronous, since `Teacher.predict` is, and bounds it twice: the session's own timeout
/// and a wait on the calling thread, so a server that accepts and never answers cannot hold
/// a batch longer than `timeout`.
final class HTTPClient: Sendable {
    struct Response {
        var status: Int
        var body: Data
    }

    /// What may be tried again: a busy server (429, 503), and while connecting at start a
    /// server that is not listening yet.
    enum RetryPolicy {
        case busy
        case busyOrNotListening
    }

    let timeout: TimeInterval
    /// Tries per request, the first included.
    let attempts: Int
    /// Seconds before the second try; doubled before each later one.
    let firstDelay: TimeInterval
    private let session: URLSession

    init(timeout: TimeInterval, connections: Int, attempts: Int = 5, firstDelay: TimeInterval = 0.25) {
        precondition(timeout > 0 && connections > 0 && attempts > 0)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpMaximumConnectionsPerHost = connections
        session = URLSession(configuration: configuration)
        self.timeout = timeout
        self.attempts = attempts
        self.firstDelay = firstDelay
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// Sends `body` (a POST with JSON) or nothing (a GET) to `url`; retries what `retry`
    /// allows with exponential backoff, and returns the last answer with any status.
    /// - Throws: `TeacherError` naming the URL when no answer came (refused, timed out,
    ///   connection closed), after the last try.
    func send(_ url: URL, body: Data? = nil, retry: RetryPolicy = .busy) throws -> Response {
        var delay = firstDelay
        for attempt in 1...attempts {
            let last = attempt == attempts
            do {
                let response = try sendOnce(url, body: body)
                if last || ![429, 503].contains(response.status) { return response }
            } catch let failure as Failure {
                if last || !(failure.notListening && retry == .busyOrNotListening) {
                    let tries = attempt > 1 ? " (after \(attempt) tries)" : ""
                    throw TeacherError("\(url.absoluteString): \(failure.message)\(tries)")
                }
            }
            Thread.sleep(forTimeInterval: delay)
            delay *= 2
        }
        preconditionFailure("the last attempt returns or throws")
    }

    private struct Failure: Error {
        var message: String
        var notListening: Bool
    }

    private func sendOnce(_ url: URL, body: Data?) throws -> Response {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let task = session.dataTask(with: request) { data, response, error in
            outcome.set(data: data, response: response, error: error)
            done.signal()
        }
        task.resume()
        guard done.wait(timeout: .now() + timeout) == .success else {
            task.cancel()
            throw Failure(message: "no answer within \(Self.seconds(timeout)) (--timeout)", notListening: false)
        }
        let (data, response, error) = outcome.value
        if let error {
            throw Self.failure(error, timeout: timeout)
        }
        guard let http = response as? HTTPURLResponse else {
            throw Failure(message: "the answer is not HTTP", notListening: false)
        }
        return Response(status: http.statusCode, body: data ?? Data())
    }

    private static func failure(_ error: Error, timeout: TimeInterval) -> Failure {
        guard let urlError = error as? URLError else {
            return Failure(message: "\(error.localizedDescription)", notListening: false)
        }
        switch urlError.code {
        case .cannotConnectToHost, .cannotFindHost:
            return Failure(message: "nothing answers there (connection refused); is the server running?", notListening: true)
        case .timedOut:
            return Failure(message: "no answer within \(seconds(timeout)) (--timeout)", notListening: false)
        case .networkConnectionLost, .badServerResponse, .zeroByteResource:
            return Failure(message: "the server closed the connection without a complete answer", notListening: false)
        default:
            return Failure(message: urlError.localizedDescription, notListening: false)
        }
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() && value < 1e9 ? "\(Int(value)) s" : "\(value) s"
    }
}

/// What one request's completion handler received, handed to the waiting thread.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (Data?, URLResponse?, Error?) = (nil, nil, nil)

    func set(data: Data?, response: URLResponse?, error: Error?) {
        lock.lock()
        defer { lock.unlock() }
        stored = (data, response, error)
    }

    var value: (Data?, URLResponse?, Error?) {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
