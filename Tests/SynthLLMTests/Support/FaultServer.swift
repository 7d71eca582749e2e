import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A small misbehaving HTTP server on 127.0.0.1 for fault injection: it answers the first requests
/// with scripted faults (429, 500, a truncated or malformed body) and forwards the rest to the real
/// llama.cpp server. One connection per request (`Connection: close`).
///
/// `@unchecked Sendable`: all mutable state is guarded by `lock`.
final class FaultServer: @unchecked Sendable {
    enum Fault: Sendable {
        case status(Int, retryAfter: Int?)
        /// Headers promise more bytes than are sent, then the connection closes.
        case truncated
        /// A complete 200 response whose JSON is cut off.
        case malformedJSON
        /// Read the request, then say nothing for this many seconds before closing.
        case stall(Double)
        /// Answer 200 with this body at once.
        case canned(String)
        /// Pass the request on to `upstream` and relay its answer.
        case forward
    }

    let port: Int
    private let listener: Int32
    private let upstream: URL?
    private let lock = NSLock()
    private var script: [Fault]
    private let fallback: Fault
    private var received = 0
    private var inFlight = 0
    private var peak = 0
    private var closed = false
    private var authorizations: [String] = []

    /// - Parameters:
    ///   - script: answers for the first requests, in order.
    ///   - fallback: the answer once the script is used up.
    ///   - upstream: the real server's chat-completions URL for `.forward`.
    init(script: [Fault], fallback: Fault = .forward, upstream: URL?) throws {
        self.script = script
        self.fallback = fallback
        self.upstream = upstream
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw CocoaError(.fileWriteUnknown) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    /// Requests received so far.
    var requestCount: Int { lock.withLock { received } }
    /// The `Authorization` header values received, in order.
    var receivedAuthorizations: [String] { lock.withLock { authorizations } }

    /// The most requests handled at the same time.
    var peakConcurrency: Int { lock.withLock { peak } }

    func close() {
        lock.withLock { closed = true }
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if lock.withLock({ closed }) { return }
                continue
            }
            let fault: Fault = lock.withLock {
                received += 1
                inFlight += 1
                peak = max(peak, inFlight)
                return script.isEmpty ? fallback : script.removeFirst()
            }
            Thread { [self] in
                handle(connection, fault)
                lock.withLock { inFlight -= 1 }
            }.start()
        }
    }

    private func handle(_ connection: Int32, _ fault: Fault) {
        defer { Glibc.close(connection) }
        guard let body = readRequestBody(connection) else { return }
        switch fault {
        case .status(let code, let retryAfter):
            let payload = #"{"error":{"message":"injected \#(code)","code":\#(code)}}"#
            let extra = retryAfter.map { "Retry-After: \($0)\r\n" } ?? ""
            write(connection, status: code, extraHeaders: extra, body: Data(payload.utf8))
        case .truncated:
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\nConnection: close\r\n\r\n"
            send(connection, Data(head.utf8) + Data(#"{"choices":[{"message":{"con"#.utf8))
        case .malformedJSON:
            write(connection, status: 200, extraHeaders: "", body: Data(#"{"choices":[{"message":{"con"#.utf8))
        case .canned(let text):
            write(connection, status: 200, extraHeaders: "", body: Data(text.utf8))
        case .stall(let seconds):
            Thread.sleep(forTimeInterval: seconds)
        case .forward:
            let (status, data) = forward(body)
            write(connection, status: status, extraHeaders: "", body: data)
        }
    }

    private func readRequestBody(_ connection: Int32) -> Data? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let original = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                let head = original.lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if buffer.count - end.upperBound >= length {
                    if let line = original.split(separator: "\r\n").first(where: {
                        $0.lowercased().hasPrefix("authorization:")
                    }) {
                        let value = line.dropFirst("authorization:".count).trimmingCharacters(in: .whitespaces)
                        lock.withLock { authorizations.append(value) }
                    }
                    return Data(buffer[end.upperBound..<end.upperBound + length])
                }
            }
            let count = recv(connection, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    private func forward(_ body: Data) -> (Int, Data) {
        guard let upstream else { return (502, Data()) }
        var request = URLRequest(url: upstream, timeoutInterval: 120)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            box.set((response as? HTTPURLResponse)?.statusCode ?? 502, data ?? Data())
            done.signal()
        }.resume()
        done.wait()
        return box.get()
    }

    private func write(_ connection: Int32, status: Int, extraHeaders: String, body: Data) {
        let reason = status == 200 ? "OK" : status == 429 ? "Too Many Requests" : "Error"
        let head =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
            + extraHeaders + "Connection: close\r\n\r\n"
        send(connection, Data(head.utf8) + body)
    }

    private func send(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    /// `@unchecked Sendable`: guarded by its own lock.
    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (Int, Data) = (502, Data())
        func set(_ status: Int, _ data: Data) { lock.withLock { value = (status, data) } }
        func get() -> (Int, Data) { lock.withLock { value } }
    }
}
