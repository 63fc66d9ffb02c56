#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP port on 127.0.0.1 that refuses connections for as long as this value lives: a socket
/// bound to it that never listens. Unlike a port freed by a stopped server, no other test's server
/// can take it meanwhile (one did: a "closed" predictor answered Health as serving).
final class ClosedPort: Sendable {
    /// The port.
    let port: Int
    private let socketFD: Int32

    /// Binds a free port; nil when the system has no socket to give.
    init?() {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketFD, generic, length) == 0 && getsockname(socketFD, generic, &length) == 0
            }
        }
        guard bound else {
            close(socketFD)
            return nil
        }
        self.socketFD = socketFD
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socketFD) }
}
