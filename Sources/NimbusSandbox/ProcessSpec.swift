/// What to run in a confined child process.
package struct ProcessSpec: Sendable {
    /// Absolute path of the program.
    package var executable: String
    package var arguments: [String]
    /// The child's whole environment: nothing is inherited from the server.
    package var environment: [String: String]
    package var workingDirectory: String
    package var limits: ResourceLimits

    package init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        workingDirectory: String = "/",
        limits: ResourceLimits = ResourceLimits()
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.limits = limits
    }
}

/// Resource limits applied to the child before its program starts (`setrlimit` semantics).
///
/// Defaults are AWS Lambda's: 1,024 open files and 1,024 processes.
package struct ResourceLimits: Sendable, Hashable {
    package var openFiles: Int = 1024
    package var processes: Int = 1024

    package init(openFiles: Int = 1024, processes: Int = 1024) {
        self.openFiles = openFiles
        self.processes = processes
    }
}
