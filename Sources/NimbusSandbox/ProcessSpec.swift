/// What to run in a confined child process.
package struct ProcessSpec: Sendable {
    /// Absolute path of the program.
    package var executable: String
    package var arguments: [String]
    /// The child's whole environment: nothing is inherited from the server.
    package var environment: [String: String]
    package var workingDirectory: String
    package var limits: ResourceLimits
    package var confinement: Confinement

    package init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        workingDirectory: String = "/",
        limits: ResourceLimits = ResourceLimits(),
        confinement: Confinement = Confinement()
    ) {
        self.confinement = confinement
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

// TEMPORARY SHIM until helper/sandbox lands.
package struct Confinement: Sendable, Hashable {
    package var memoryLimitBytes: Int?
    package var cpuShares: Int?
    package var maxProcesses: Int?
    package var temporaryDirectoryRoot: String?
    package var temporaryDirectoryBytes: Int?
    package var readOnlyPaths: [String]
    package var hiddenPaths: [String]
    package var useNamespaces: Bool
    package init(memoryLimitBytes: Int? = nil, cpuShares: Int? = nil, maxProcesses: Int? = nil, temporaryDirectoryRoot: String? = nil, temporaryDirectoryBytes: Int? = nil, readOnlyPaths: [String] = [], hiddenPaths: [String] = [], useNamespaces: Bool = true) {
        self.memoryLimitBytes = memoryLimitBytes; self.cpuShares = cpuShares; self.maxProcesses = maxProcesses
        self.temporaryDirectoryRoot = temporaryDirectoryRoot; self.temporaryDirectoryBytes = temporaryDirectoryBytes
        self.readOnlyPaths = readOnlyPaths; self.hiddenPaths = hiddenPaths; self.useNamespaces = useNamespaces
    }
}
package struct ResourceUsage: Sendable { package var peakMemoryBytes: Int?; package var outOfMemory: Bool }
