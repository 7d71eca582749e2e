import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// POSTs JSON with URLSession and classifies what came back for the retry state machine.
struct HTTPTransport: Sendable {
    /// A status, headers and body, or why there is none.
    struct Reply: Sendable {
        var status: Int
        var retryAfter: Double?
        var body: Data
    }

    private let session: URLSession

    /// - Parameter timeout: seconds per attempt, at least 1 (Linux URLSession treats fractions below 1 as 0).
    init(concurrency: Int, timeout: Double) {
        let timeout = max(1, timeout)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, concurrency)
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    /// Sends one attempt; never throws except for task cancellation.
    func post(url: URL, body: Data, bearer: String?, timeout: Double) async throws -> Result<Reply, AttemptFailure> {
        var request = URLRequest(url: url, timeoutInterval: max(1, timeout))
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        do {
            let (data, response) = try await Self.data(for: request, in: session)
            guard let http = response as? HTTPURLResponse else {
                return .failure(.connection("expected an http response, found none"))
            }
            let retryAfter = http.value(forHTTPHeaderField: "Retry-After").flatMap {
                Double($0.trimmingCharacters(in: .whitespaces))
            }
            return .success(Reply(status: http.statusCode, retryAfter: retryAfter, body: data))
        } catch let error as URLError {
            switch error.code {
            case .cancelled:
                throw CancellationError()
            case .timedOut:
                return .failure(.timeout)
            default:
                return .failure(.connection(Self.describe(error)))
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .failure(.connection(String(describing: error)))
        }
    }

    /// `session.data(for:)` that never cancels the URLSession task: swift-corelibs-foundation can crash
    /// ("Trying to access a behaviour for a task that is not in the registry") when a task is cancelled
    /// while it completes. On Swift task cancellation this returns `CancellationError` at once and lets
    /// the request finish (or time out) on its own in the background.
    private static func data(for request: URLRequest, in session: URLSession) async throws -> (Data, URLResponse) {
        let once = ResumeOnce()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard once.install(continuation) else { return }
                Task {
                    do { once.resume(.success(try await session.data(for: request))) } catch {
                        once.resume(.failure(error))
                    }
                }
            }
        } onCancel: {
            once.resume(.failure(CancellationError()))
        }
    }

    /// Lets in-flight tasks finish, then releases the session.
    func close() { session.finishTasksAndInvalidate() }

    private static func describe(_ error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost: "connection refused"
        case .networkConnectionLost: "connection lost"
        case .cannotFindHost: "unknown host"
        case .notConnectedToInternet: "no network"
        case .badServerResponse: "bad server response"
        default: "url error \(error.code.rawValue)"
        }
    }
}

/// A continuation resumed at most once, by the request or by cancellation, whichever comes first.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<(Data, URLResponse), any Error>?
    private var cancelledEarly = false
    private var done = false

    /// Stores the continuation; false (after resuming it with `CancellationError`) when already cancelled.
    func install(_ continuation: CheckedContinuation<(Data, URLResponse), any Error>) -> Bool {
        lock.lock()
        if cancelledEarly {
            done = true
            lock.unlock()
            continuation.resume(throwing: CancellationError())
            return false
        }
        self.continuation = continuation
        lock.unlock()
        return true
    }

    func resume(_ result: Result<(Data, URLResponse), any Error>) {
        lock.lock()
        guard !done else {
            lock.unlock()
            return
        }
        guard let continuation else {
            // Cancelled before the continuation was installed.
            if case .failure(let error) = result, error is CancellationError { cancelledEarly = true }
            lock.unlock()
            return
        }
        done = true
        self.continuation = nil
        lock.unlock()
        continuation.resume(with: result)
    }
}
