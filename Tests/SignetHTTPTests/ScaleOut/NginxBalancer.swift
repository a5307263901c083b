import Foundation
import Glibc
import SignetTestSupport

/// Debian's nginx (`/usr/sbin/nginx`) as the load balancer in front of several `signet serve`
/// instances: a foreground master process (`daemon off; master_process on;`) with its own
/// configuration, pid file, logs and temp paths in `directory`, round-robin over `upstreams`
/// on a loopback port. Stopped with SIGQUIT (graceful) by `stop()`, killed on deinit.
final class NginxBalancer: @unchecked Sendable {
    // Unchecked: `process` is only touched by init, stop and deinit, from the test's task.
    private let process = Process()
    /// The port it listens on (127.0.0.1).
    let port: Int
    /// Its directory: nginx.conf, nginx.pid, error.log, access.log, temp/.
    let directory: URL

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The nginx binary Debian's `nginx` package installs.
    static let executable = URL(fileURLWithPath: "/usr/sbin/nginx")

    /// Writes the configuration for `upstreams` (ports on 127.0.0.1) into `directory`, starts
    /// nginx on `port` and waits until it accepts connections.
    init(directory: URL, port: Int, upstreams: [Int]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw OracleSetupError(description: "nginx is not installed (apt-get install nginx; scripts/bootstrap.sh does)")
        }
        self.port = port
        self.directory = directory
        let temp = directory.appendingPathComponent("temp")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("nginx.conf")
        try Self.configuration(port: port, upstreams: upstreams.map { "127.0.0.1:\($0)" }, directory: directory.path)
            .write(to: config, atomically: true, encoding: .utf8)
        process.executableURL = Self.executable
        // -e: the error log before the configuration is read (else /var/log/nginx/error.log).
        process.arguments = ["-p", directory.path, "-c", config.path, "-e", directory.appendingPathComponent("error.log").path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while LoopbackConnection(port: port) == nil {
            guard process.isRunning, Date() < deadline else {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                throw OracleSetupError(description: "nginx did not start: \(errorLog)")
            }
            usleep(20_000)
        }
    }

    /// The error log so far.
    var errorLog: String { (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? "" }
    /// The access log so far (`upstream=` names the instance that answered).
    var accessLog: String { (try? String(contentsOf: directory.appendingPathComponent("access.log"), encoding: .utf8)) ?? "" }

    /// Graceful shutdown (SIGQUIT), then waits for the exit.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGQUIT) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The configuration: the one docs/deployment.md shows, with `directory` for the paths a
    /// packaged nginx keeps under /var and /run, and `upstreams` as `host:port`.
    ///
    /// - Round robin over the instances; an instance that refuses a connection or times out is
    ///   skipped for `fail_timeout` (nginx's passive health check).
    /// - `proxy_next_upstream error timeout`: a request is tried on the next instance only when
    ///   the connection failed or timed out, and nginx never passes a non-idempotent request
    ///   (POST, PATCH, LOCK) on unless `non_idempotent` is listed — it is not: a POST whose
    ///   instance died may have committed, and only the client (with its Idempotency-Key) may
    ///   send it again.
    /// - HTTP/1.1 keep-alive to the instances; bodies up to 25 MB (the service's own limits
    ///   are lower and answer 413 themselves).
    static func configuration(port: Int, upstreams: [String], directory: String) -> String {
        let servers = upstreams.map { "        server \($0) max_fails=1 fail_timeout=2s;" }.joined(separator: "\n")
        return """
        daemon off;
        master_process on;
        worker_processes 2;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log warn;

        events {
            worker_connections 1024;
        }

        http {
            log_format upstream '$remote_addr "$request" $status $body_bytes_sent upstream=$upstream_addr '
                                'upstream_status=$upstream_status request_time=$request_time';
            access_log \(directory)/access.log upstream;
            client_body_temp_path \(directory)/temp/client_body;
            proxy_temp_path \(directory)/temp/proxy;
            fastcgi_temp_path \(directory)/temp/fastcgi;
            uwsgi_temp_path \(directory)/temp/uwsgi;
            scgi_temp_path \(directory)/temp/scgi;

            upstream signet {
        \(servers)
                keepalive 32;
            }

            server {
                listen 127.0.0.1:\(port);
                client_max_body_size 25m;

                location / {
                    proxy_pass http://signet;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_next_upstream error timeout;
                    proxy_next_upstream_tries 3;
                    proxy_connect_timeout 2s;
                    proxy_read_timeout 120s;
                    proxy_send_timeout 120s;
                }
            }
        }

        """
    }
}
