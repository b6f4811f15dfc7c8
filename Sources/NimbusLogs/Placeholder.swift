// Replaced by the NimbusLogs service.
enum NimbusLogsPlaceholder {}
