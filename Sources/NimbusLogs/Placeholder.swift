// TEMPORARY SHIM until helper/logs lands.
package import NimbusCore
package import NimbusStore

package struct LogsService: LogSink {
    package init(store: any SQLStore, clock: any WallClock = SystemWallClock()) async throws {}
    package func append(_ events: [LogEvent], group: String, stream: String) async throws {}
}
