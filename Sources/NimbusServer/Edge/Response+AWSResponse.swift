import HTTPTypes
import Hummingbird
import NimbusWire

extension Response {
    /// `response` as Hummingbird sends it; a streamed body is written as its chunks are read.
    init(_ response: AWSResponse) {
        self.init(
            status: HTTPResponse.Status(code: response.status),
            headers: response.headers,
            body: StreamingEdge.responseBody(response)
        )
    }
}
