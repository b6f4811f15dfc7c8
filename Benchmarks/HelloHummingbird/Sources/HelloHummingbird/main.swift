// Usage: HelloHummingbird [host] [port]   (default 127.0.0.1 8080)
// Answers GET / and POST / with a small fixed body; POST reads the request body first.
import Hummingbird
import Logging

let arguments = CommandLine.arguments
let host = arguments.count > 1 ? arguments[1] : "127.0.0.1"
let port = arguments.count > 2 ? Int(arguments[2]) ?? 8080 : 8080

var logger = Logger(label: "hello-hummingbird")
logger.logLevel = .warning

let router = Router()
router.get("/") { _, _ -> String in
    "hello"
}
router.post("/") { request, _ -> String in
    _ = try await request.body.collect(upTo: 1 << 20)
    return "hello"
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname(host, port: port), serverName: nil),
    logger: logger
)
try await app.runService()
