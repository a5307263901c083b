import SignetHTTP
import Testing

@Suite("Server configuration")
struct ServerConfigurationTests {
    @Test("The base URL defaults to http://HOST:PORT (IPv6 in brackets), a trailing slash dropped; body limits 1 MB JSON, 50 MB PDF")
    func defaults() {
        let standard = ServerConfiguration()
        #expect(standard.host == "127.0.0.1" && standard.port == 8080 && standard.baseURL == "http://127.0.0.1:8080")
        #expect(standard.dataDirectory == "data" && standard.keysDirectory == "keys")
        #expect(standard.jsonBodyLimit == 1_000_000 && standard.pdfBodyLimit == 50_000_000)
        #expect(ServerConfiguration(host: "::1", port: 9000).baseURL == "http://[::1]:9000")
        #expect(ServerConfiguration(baseURL: "https://sign.example.com/").baseURL == "https://sign.example.com")
    }
}
