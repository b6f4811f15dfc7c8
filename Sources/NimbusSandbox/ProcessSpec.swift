/// What to run in a confined child process.
package struct ProcessSpec: Sendable {
    /// Absolute path of the program.
    package var executable: String
    package var arguments: [String]
    /// The child's whole environment: nothing is inherited from the server.
    package var environment: [String: String]
    package var workingDirectory: String
    package var limits: ResourceLimits
    /// The cgroup, namespace and temporary-directory confinement; each part applies where the host offers it
    /// (`ChildProcess.capabilities`).
    package var confinement: Confinement

    package init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        workingDirectory: String = "/",
        limits: ResourceLimits = ResourceLimits(),
        confinement: Confinement = Confinement()
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.limits = limits
        self.confinement = confinement
    }
}
